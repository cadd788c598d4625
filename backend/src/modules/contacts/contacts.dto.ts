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

/** Limits of a contact's fields: the form (this DTO) and the CSV import enforce the same ones. */
export const CONTACT_LIMITS = {
  name: 200,
  phone: 40,
  email: 320,
  company: 200,
  tags: 20,
  notes: 5000,
} as const;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9 _-]{0,39}$/;
export const TAG_RULE = 'each tag must be 1-40 letters, digits, spaces, - or _';

export class CreateContactDto {
  @ApiProperty({ example: 'Asha Rao' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(CONTACT_LIMITS.name)
  name: string;

  @ApiProperty({
    example: '(415) 555-0100',
    description: 'Any usual spelling; stored as E.164 using the organization’s country',
  })
  @IsString()
  @MaxLength(CONTACT_LIMITS.phone)
  phone: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Empty or null: none' })
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(CONTACT_LIMITS.email)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Empty or null: none' })
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(CONTACT_LIMITS.company)
  company?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['vip', 'renewal'] })
  @IsOptional()
  @Transform(normalizeTags)
  @IsArray()
  @ArrayMaxSize(CONTACT_LIMITS.tags)
  @Matches(TAG_PATTERN, { each: true, message: TAG_RULE })
  tags?: string[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(CONTACT_LIMITS.notes)
  notes?: string | null;
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

/** How many problem rows an import's answer carries; the rest are in its report (reportUrl). */
export const INLINE_IMPORT_PROBLEMS = 1000;

export class ImportReport {
  @ApiProperty({ description: 'The import, whose full report is at reportUrl' }) id: string;
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() skipped: number;
  @ApiProperty({
    description: 'Rows skipped, or imported without something (an invalid email): the full report',
  })
  problems: number;
  @ApiProperty({ description: 'Which CSV header fed which field' }) columns: Partial<
    Record<ImportField, string>
  >;
  @ApiProperty({
    type: [ImportRowResult],
    description: `The first ${INLINE_IMPORT_PROBLEMS} problem rows, by line; all of them: reportUrl`,
  })
  results: ImportRowResult[];
  @ApiProperty({ description: 'True when results holds fewer rows than problems' })
  truncated: boolean;
  @ApiProperty({ example: '/api/contacts/imports/3f0c…/report.csv' }) reportUrl: string;
}
