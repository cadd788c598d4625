import { ApiProperty } from '@nestjs/swagger';
import { organizationTimeZone } from '../../common/time-zone';
import { Organization } from './entities/organization.entity';
import { User, USER_ROLES, UserRole } from './entities/user.entity';

export class OrganizationSummary {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'USD', description: 'ISO 4217 currency of its wallet' }) currency: string;
  @ApiProperty({
    example: 'America/Los_Angeles',
    description: 'IANA time zone of its days and times (UTC until chosen)',
  })
  timeZone: string;
  @ApiProperty({
    description: 'Whether the time zone was chosen (by the owner or at their first sign-in)',
  })
  timeZoneChosen: boolean;
}

export function toOrganizationSummary(
  organization: Pick<Organization, 'id' | 'name' | 'currency' | 'timeZone'>,
): OrganizationSummary {
  return {
    id: organization.id,
    name: organization.name,
    currency: organization.currency,
    timeZone: organizationTimeZone(organization),
    timeZoneChosen: organization.timeZone !== null,
  };
}

/** A user as the API returns it (never the password hash). */
export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: USER_ROLES }) role: UserRole;
  @ApiProperty() active: boolean;
  @ApiProperty({
    description: 'Invited and has not chosen a password yet (their setup link is still to be used)',
  })
  pending: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Last sign-in (or setup link used)' })
  lastLoginAt: string | null;
  @ApiProperty() createdAt: string;
  /** Null for a platform operator. */
  @ApiProperty({ type: OrganizationSummary, nullable: true })
  organization: OrganizationSummary | null;
}

export function toUserView(
  user: User,
  organization: Pick<Organization, 'id' | 'name' | 'currency' | 'timeZone'> | null,
): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    pending: user.passwordHash === null,
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    createdAt: user.createdAt.toISOString(),
    organization: organization ? toOrganizationSummary(organization) : null,
  };
}
