import { PageQuery } from '../../common/page-query';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;
// A tag that is not a string is left as it is for validation to refuse (String() of an object
// from JSON can throw: `{"toString":1}`).
const normalizeTags = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [
        ...new Set(
          value
            .map((tag) => (typeof tag === 'string' ? tag.trim().toLowerCase() : tag))
            .filter((tag) => tag !== ''),
        ),
      ]
    : value;

export class CreateContactDto {
  @ApiProperty({ example: 'Asha Rao' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({
    example: '(415) 555-0100',
    description: 'Any usual spelling; stored as E.164 using the organization’s country',
  })
  @IsString()
  @MaxLength(40)
  phone: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(200)
  company?: string;

  @ApiPropertyOptional({ type: [String], example: ['vip', 'renewal'] })
  @IsOptional()
  @Transform(normalizeTags)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z0-9][a-z0-9 _-]{0,39}$/, {
    each: true,
    message: 'each tag must be 1-40 letters, digits, spaces, - or _',
  })
  tags?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

/** Every field of a contact, each optional. */
export class UpdateContactDto extends PartialType(CreateContactDto) {}

export class ListContactsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Name, number or company contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  tag?: string;
}

export class ContactView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiPropertyOptional({ type: String, nullable: true }) country: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) email: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) notes: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastCalledAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ContactList {
  @ApiProperty({ type: [ContactView] }) items: ContactView[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

export class ContactLookup {
  @ApiProperty() found: boolean;
  @ApiPropertyOptional({ type: ContactView, nullable: true }) contact: ContactView | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The number read as E.164, when valid',
  })
  phone: string | null;
}

export const IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'tags', 'notes'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export class ImportRowResult {
  @ApiProperty({ description: 'Line of the data row in the file (the header is line 1)' })
  line: number;
  @ApiProperty({ enum: ['created', 'updated', 'skipped'] }) outcome:
    'created' | 'updated' | 'skipped';
  @ApiPropertyOptional({ type: String, nullable: true }) contactId?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Why a row was skipped, or what an imported row left out',
  })
  reason?: string;
}

export class ImportReport {
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() skipped: number;
  @ApiProperty({ description: 'Which CSV header fed which field' }) columns: Partial<
    Record<ImportField, string>
  >;
  @ApiProperty({ type: [ImportRowResult] }) results: ImportRowResult[];
}
