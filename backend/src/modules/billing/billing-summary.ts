import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

export const SUMMARY_GROUPS = ['day', 'provider', 'country', 'agent'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

export class SummaryQuery {
  @ApiPropertyOptional({
    description:
      "Start (inclusive, ISO 8601); default the start of the organization's day 30 days ago",
  })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date or time' })
  from?: string;

  @ApiPropertyOptional({ description: 'End (exclusive, ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date or time' })
  to?: string;

  @ApiPropertyOptional({ enum: SUMMARY_GROUPS, default: 'day' })
  @IsOptional()
  @IsIn(SUMMARY_GROUPS, { message: `groupBy must be one of: ${SUMMARY_GROUPS.join(', ')}` })
  groupBy?: SummaryGroup;
}

export class SummaryFigures {
  @ApiProperty() calls: number;
  @ApiProperty() answered: number;
  @ApiProperty({ description: 'answered / calls, 0..1' }) answerRate: number;
  @ApiProperty() billableSeconds: number;
  @ApiProperty({ description: 'billable minutes, one decimal' }) minutes: number;
  @ApiProperty({ description: 'average talk time of answered calls, seconds' })
  averageDurationSeconds: number;
  @ApiProperty({ description: 'micro-units' }) spendMicros: string;
  @ApiProperty() spend: string;
}

export class SummaryGroupRow extends SummaryFigures {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
}

export class BillingSummary {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: SUMMARY_GROUPS }) groupBy: SummaryGroup;
  @ApiProperty() currency: string;
  @ApiProperty({ description: "The organization's IANA time zone: its days make the `day` groups" })
  timeZone: string;
  @ApiProperty({ type: SummaryFigures }) totals: SummaryFigures;
  @ApiProperty({ type: [SummaryGroupRow] }) groups: SummaryGroupRow[];
}
