import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { API_KEY_ROLES, ApiKeyRole } from './entities/api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CRM sync' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: API_KEY_ROLES, description: 'What the key may do: as an admin or an agent' })
  @IsIn(API_KEY_ROLES, { message: `role must be one of ${API_KEY_ROLES.join(', ')}` })
  role: ApiKeyRole;
}

export class ApiKeyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role: ApiKeyRole;
  @ApiProperty({ example: 'sb_live_AbCd', description: 'The first characters of the key' })
  prefix: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'To the minute' })
  lastUsedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({
    example: 'sb_live_AbCdEf…',
    description: 'The key itself: shown this once, never again (only its hash is stored)',
  })
  secret: string;
}

export class ApiKeyList {
  @ApiProperty({ type: [ApiKeyView] }) items: ApiKeyView[];
}
