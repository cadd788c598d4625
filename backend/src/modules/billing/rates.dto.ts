import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class RateInput {
  @ApiProperty({ example: '44', description: 'E.164 digits the destination starts with (no +)' })
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/^\+/, '').trim() : value))
  @Matches(/^[1-9]\d{0,14}$/, {
    message: 'prefix must be 1 to 15 digits of an E.164 number, not starting with 0',
  })
  prefix: string;

  @ApiProperty({ example: 'United Kingdom' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  description: string;

  @ApiProperty({ example: '20000', description: 'micro-units per minute, as a string of digits' })
  @IsString()
  @Matches(/^\d{1,12}$/, {
    message: 'ratePerMinuteMicros must be a whole number of micro-units, e.g. "20000" for 0.02/min',
  })
  ratePerMinuteMicros: string;

  @ApiProperty({ example: 60 })
  @IsInt()
  @Min(1)
  @Max(3600)
  initialIncrement: number;

  @ApiProperty({ example: 60 })
  @IsInt()
  @Min(1)
  @Max(3600)
  subsequentIncrement: number;

  @ApiProperty({ example: 0 })
  @IsInt()
  @Min(0)
  @Max(3600)
  minimumSeconds: number;
}

export class ReplaceRatesDto {
  @ApiProperty({
    type: [RateInput],
    description: "The plan's rates; replaces the previous list",
  })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => RateInput)
  rates: RateInput[];
}

export class RateView {
  @ApiProperty() prefix: string;
  @ApiProperty() description: string;
  @ApiProperty() currency: string;
  @ApiProperty() ratePerMinuteMicros: string;
  @ApiProperty() initialIncrement: number;
  @ApiProperty() subsequentIncrement: number;
  @ApiProperty() minimumSeconds: number;
  /** organization: the organization's price plan; default: the default plan's (not in its plan). */
  @ApiProperty({ enum: ['organization', 'default'] }) source: 'organization' | 'default';
}

export class PricePlanSummary {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() isDefault: boolean;
}

export class RateDeckView {
  /** The plan these rates come from (read-only to organizations: set by the platform operator). */
  @ApiProperty({ type: PricePlanSummary }) plan: PricePlanSummary;
  @ApiProperty({ type: [RateView] }) organization: RateView[];
  @ApiProperty({ type: [RateView] }) default: RateView[];
}

export class QuoteView {
  @ApiProperty() to: string;
  @ApiProperty({ type: String, nullable: true }) country: string | null;
  @ApiProperty({ type: String, nullable: true }) countryName: string | null;
  @ApiProperty({ type: RateView, nullable: true }) rate: RateView | null;
  @ApiProperty() availableMicros: string;
  @ApiProperty({
    description: 'Longest call the wallet can pay for now (0: the call would be refused)',
  })
  maxAffordableSeconds: number;
  @ApiProperty({ description: 'Cost of the first billing increment' }) minimumCallCostMicros:
    string | null;
  @ApiProperty({ description: "On the organization's do-not-call list: a call would be refused" })
  doNotCall: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why a call would be refused' })
  refusal: string | null;
}
