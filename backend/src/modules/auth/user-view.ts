import { ApiProperty } from '@nestjs/swagger';
import { Organization } from './entities/organization.entity';
import { User, USER_ROLES, UserRole } from './entities/user.entity';

export class OrganizationSummary {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

/** A user as the API returns it (never the password hash). */
export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: USER_ROLES }) role: UserRole;
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String }) lastLoginAt: string | null;
  @ApiProperty() createdAt: string;
  /** Null for a platform operator. */
  @ApiProperty({ type: OrganizationSummary, nullable: true })
  organization: OrganizationSummary | null;
}

export function toUserView(
  user: User,
  organization: Pick<Organization, 'id' | 'name'> | null,
): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    createdAt: user.createdAt.toISOString(),
    organization: organization ? { id: organization.id, name: organization.name } : null,
  };
}
