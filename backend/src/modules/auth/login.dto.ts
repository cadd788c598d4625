import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { UserView } from './user-view';

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.test' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'switchboard-admin' })
  @IsString()
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(200)
  password: string;
}

export class LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: UserView }) user: UserView;
}
