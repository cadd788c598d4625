import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const CURSOR_INVALID = 'cursor is invalid: use the nextCursor of a previous page';

/** Keyset pagination parameters shared by every list endpoint: `cursor` from the previous page's `nextCursor`. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: CURSOR_INVALID })
  // A contacts cursor carries a name of up to 200 characters (4 UTF-8 bytes each) in base64.
  @MaxLength(1200, { message: CURSOR_INVALID })
  cursor?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200, { message: 'limit must not be greater than 200' })
  limit?: number;
}
