import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page-query';
import { DNC_SOURCES } from './entities/dnc-number.entity';

const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() || undefined : value;

export class AddDncDto {
  @ApiProperty({
    example: '(415) 555-0100',
    description: 'Any usual spelling; stored as E.164 using the organization’s country',
  })
  @IsString({ message: 'phone must be a string' })
  @MaxLength(40)
  phone: string;

  @ApiPropertyOptional({ example: 'Asked not to be called again' })
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString({ message: 'reason must be a string' })
  @MaxLength(500)
  reason?: string;
}

export class ListDncQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Number (digits) or reason contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** Who put a number on the list. */
export class DncCreatorView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class DncView {
  @ApiProperty() id: string;
  @ApiProperty({ example: '+14155550100' }) phone: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ enum: DNC_SOURCES }) source: string;
  @ApiProperty({ type: DncCreatorView, nullable: true, description: 'The user who added it' })
  createdBy: DncCreatorView | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Calls to this number refused since it was listed' })
  refusedAttempts: number;
  @ApiProperty({ type: String, nullable: true }) lastRefusedAt: string | null;
}

export class DncList {
  @ApiProperty({ type: [DncView] }) items: DncView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
