import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { USER_ROLES, UserRole } from './entities/user.entity';

/** The shortest password a user may choose (setup link, password change). */
export const MIN_PASSWORD_LENGTH = 8;

/** A one-time setup link, shown once to whoever issued it. */
export class SetupLink {
  @ApiProperty({
    example: 'https://calls.example.com/setup/3q2-…',
    description: 'Send it to the user: it works once, until expiresAt',
  })
  setupUrl: string;

  @ApiProperty() expiresAt: string;
}

/** What the setup page shows about a link before its password is chosen. */
export class SetupLinkInfo {
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: USER_ROLES }) role: UserRole;
  @ApiProperty({ type: String, nullable: true, description: 'Null for a platform operator' })
  organizationName: string | null;
  @ApiProperty() expiresAt: string;
}

export class CompleteSetupDto {
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString({ message: 'password must be a string' })
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `password must have at least ${MIN_PASSWORD_LENGTH} characters`,
  })
  @MaxLength(200, { message: 'password must have at most 200 characters' })
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: 'currentPassword must be a string' })
  @MinLength(1, { message: 'currentPassword must not be empty' })
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString({ message: 'newPassword must be a string' })
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `newPassword must have at least ${MIN_PASSWORD_LENGTH} characters`,
  })
  @MaxLength(200, { message: 'newPassword must have at most 200 characters' })
  newPassword: string;
}
