import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ORGANIZATION_ROLES, OrganizationRole } from '../auth/entities/user.entity';
import { UserView } from '../auth/user-view';
import { SetupLink } from '../auth/setup-link.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'new.agent@demo.test' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANIZATION_ROLES })
  @IsIn(ORGANIZATION_ROLES, { message: `role must be one of: ${ORGANIZATION_ROLES.join(', ')}` })
  role: OrganizationRole;

  @ApiProperty({
    minLength: 8,
    description:
      'Initial password; the user can be told to change it. Prefer POST /api/users/invitations (a setup link).',
  })
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(200)
  password: string;
}

/** An invitation: the user is created without a password and chooses it with a setup link. */
export class InviteUserDto {
  @ApiProperty({ example: 'new.agent@demo.test' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANIZATION_ROLES })
  @IsIn(ORGANIZATION_ROLES, { message: `role must be one of: ${ORGANIZATION_ROLES.join(', ')}` })
  role: OrganizationRole;
}

/** The invited user and their setup link, shown once. */
export class Invitation extends SetupLink {
  @ApiProperty({ type: UserView }) user: UserView;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_ROLES })
  @IsOptional()
  @IsIn(ORGANIZATION_ROLES, { message: `role must be one of: ${ORGANIZATION_ROLES.join(', ')}` })
  role?: OrganizationRole;

  @ApiPropertyOptional({ description: 'false deactivates the user: they can no longer sign in.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UserList {
  @ApiProperty({ type: [UserView] }) items: UserView[];
}
