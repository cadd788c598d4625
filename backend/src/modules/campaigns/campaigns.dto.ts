import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/page-query';
import {
  CAMPAIGN_PROVIDERS,
  CAMPAIGN_STATUSES,
  CampaignProvider,
} from './entities/campaign.entity';
import { CAMPAIGN_CONTACT_STATES, SKIP_REASONS } from './entities/campaign-contact.entity';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
/** Outcomes a campaign may retry. */
export const RETRYABLE_STATUSES = ['busy', 'no_answer', 'failed', 'cancelled'] as const;

export class AudienceDto {
  @ApiPropertyOptional({ description: 'Every contact carrying this tag', example: 'leads-dec' })
  @IsOptional()
  @IsString({ message: 'audience.tag must be a string' })
  @MinLength(1)
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional({ type: [String], description: 'Explicit contact ids (at most 10,000)' })
  @IsOptional()
  @IsArray({ message: 'audience.contactIds must be an array of contact ids' })
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true, message: 'audience.contactIds must hold contact ids (UUIDs)' })
  contactIds?: string[];
}

export class WindowDto {
  @ApiProperty({
    type: [Number],
    example: [1, 2, 3, 4, 5],
    description: 'ISO days: 1 = Monday … 7 = Sunday',
  })
  @IsArray({ message: 'windows[].days must be an array of days 1..7' })
  @ArrayMinSize(1)
  @IsInt({ each: true, message: 'windows[].days must be days 1..7' })
  @Min(1, { each: true, message: 'windows[].days must be days 1..7' })
  @Max(7, { each: true, message: 'windows[].days must be days 1..7' })
  days: number[];

  @ApiProperty({ example: '09:00' })
  @Matches(HHMM, { message: 'windows[].start must be HH:MM' })
  start: string;

  @ApiProperty({ example: '17:00', description: 'Exclusive; after start' })
  @Matches(HHMM, { message: 'windows[].end must be HH:MM' })
  end: string;
}

export class ScheduleDto {
  @ApiPropertyOptional({ description: 'No call before this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'schedule.startAt must be an ISO 8601 date-time' })
  startAt?: string;

  @ApiPropertyOptional({
    example: 'America/New_York',
    description: "Zone of the windows; the callee's own zone (from the number) when absent",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({
    type: [WindowDto],
    description: 'Weekly calling windows (narrow the default calling hours)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WindowDto)
  windows?: WindowDto[];
}

export class PacingDto {
  @ApiProperty({ example: 5, description: 'Live calls at most' })
  @IsInt({ message: 'pacing.maxConcurrent must be a whole number' })
  @Min(1)
  @Max(500)
  maxConcurrent: number;

  @ApiPropertyOptional({ example: 60, description: 'Placements per minute at most' })
  @IsOptional()
  @IsInt({ message: 'pacing.perMinute must be a whole number' })
  @Min(1)
  @Max(100_000)
  perMinute?: number;
}

export class RetryDto {
  @ApiProperty({ enum: RETRYABLE_STATUSES, isArray: true, example: ['busy', 'no_answer'] })
  @IsArray()
  @IsIn(RETRYABLE_STATUSES, {
    each: true,
    message: `retry.on must hold statuses among: ${RETRYABLE_STATUSES.join(', ')}`,
  })
  on: string[];

  @ApiProperty({ example: 3, description: 'Attempts per contact, the first included' })
  @IsInt({ message: 'retry.maxAttempts must be a whole number' })
  @Min(1)
  @Max(10)
  maxAttempts: number;

  @ApiProperty({ example: 600, description: 'Seconds between the end of an attempt and the next' })
  @IsInt({ message: 'retry.delaySeconds must be a whole number' })
  @Min(0)
  @Max(7 * 24 * 3600)
  delaySeconds: number;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'December renewals' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: CAMPAIGN_PROVIDERS })
  @IsIn(CAMPAIGN_PROVIDERS, {
    message: `provider must be one of: ${CAMPAIGN_PROVIDERS.join(', ')}`,
  })
  provider: CampaignProvider;

  @ApiProperty({ type: AudienceDto })
  @IsObject({ message: 'audience must be an object with tag or contactIds' })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  @ApiPropertyOptional({ description: "One of the organization's caller IDs" })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  callerId?: string;

  @ApiPropertyOptional({ description: 'Bolna only (required there): the agent that talks' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  bolnaAgentId?: string;

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiProperty({ type: PacingDto })
  @IsObject({ message: 'pacing must be an object with maxConcurrent' })
  @ValidateNested()
  @Type(() => PacingDto)
  pacing: PacingDto;

  @ApiPropertyOptional({ type: RetryDto, description: 'No retries when absent' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryDto)
  retry?: RetryDto;
}

export class ListCampaignsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES, { message: `status must be one of: ${CAMPAIGN_STATUSES.join(', ')}` })
  status?: string;
}

export class ListCampaignContactsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CAMPAIGN_CONTACT_STATES })
  @IsOptional()
  @IsIn(CAMPAIGN_CONTACT_STATES, {
    message: `state must be one of: ${CAMPAIGN_CONTACT_STATES.join(', ')}`,
  })
  state?: string;
}

export class CampaignProgress {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Waiting for a first or next attempt' }) pending: number;
  @ApiProperty({ description: 'An attempt queued or live' }) inFlight: number;
  @ApiProperty({ description: 'Ended with a completed call' }) completed: number;
  @ApiProperty({ description: 'Ended without one (retries exhausted or not retried)' })
  failed: number;
  @ApiProperty({ description: 'Never dialed (reason per contact)' }) skipped: number;
  @ApiProperty({ description: 'Attempts placed so far' }) attempts: number;
  @ApiProperty({ description: 'Charged for its calls so far, micros (decimal string)' })
  spentMicros: string;
}

export class CampaignView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CAMPAIGN_PROVIDERS }) provider: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status: string;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['manual', 'wallet', 'suspended'],
    description:
      'manual: an admin paused it; wallet: the wallet cannot hold one more call (resumes by itself); suspended: the operator suspended the organization (resumes once reinstated)',
  })
  pauseReason: string | null;
  @ApiProperty() audience: AudienceDto;
  @ApiProperty({ type: String, nullable: true }) callerId: string | null;
  @ApiProperty({ type: String, nullable: true }) bolnaAgentId: string | null;
  @ApiProperty() schedule: ScheduleDto;
  @ApiProperty() pacing: PacingDto;
  @ApiProperty() retry: RetryDto;
  @ApiProperty() progress: CampaignProgress;
  @ApiProperty({ type: String, nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) endedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class CampaignList {
  @ApiProperty({ type: [CampaignView] }) items: CampaignView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CampaignContactView {
  @ApiProperty() id: string;
  @ApiProperty() contactId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty({ enum: CAMPAIGN_CONTACT_STATES }) state: string;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ type: String, nullable: true, enum: SKIP_REASONS }) skipReason: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: [String], description: 'Its calls, first attempt first' }) calls: string[];
  @ApiProperty({ type: String, nullable: true }) lastCallId: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The last call's summary, once its provider (or the simulator) gave one",
  })
  lastCallSummary: string | null;
}

export class CampaignContactList {
  @ApiProperty({ type: [CampaignContactView] }) items: CampaignContactView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PreviewAudienceDto {
  @ApiProperty({ type: AudienceDto })
  @IsObject({ message: 'audience must be an object with tag or contactIds' })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;
}

export class AudiencePreview {
  @ApiProperty({ description: 'Contacts the audience matches' }) total: number;
  @ApiProperty({ description: 'On the do-not-call list: would be skipped' }) dnc: number;
  @ApiProperty({ description: 'Not valid numbers: would be skipped' }) invalidNumber: number;
  @ApiProperty({ description: 'Callable right now (calling hours and the windows given)' })
  callableNow: number;
  @ApiProperty({ description: 'Outside their hours or windows right now: would wait' })
  outsideHoursNow: number;
  @ApiProperty({
    description: 'Valid, unlisted numbers with no rate in the deck: would be skipped',
  })
  noRate: number;
  @ApiProperty({
    description:
      'Deck price of one answered call of estimateCallSeconds to each contact that would be dialed, micros (decimal string)',
  })
  estimatedCostMicros: string;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 60, description: 'The call length the estimate prices' })
  estimateCallSeconds: number;
}

export class OutcomeBucket {
  @ApiProperty({ description: 'Start of the bucket (ISO 8601)' }) at: string;
  @ApiProperty() completed: number;
  @ApiProperty() busy: number;
  @ApiProperty() noAnswer: number;
  @ApiProperty() failed: number;
  @ApiProperty() cancelled: number;
}

export class CampaignStats {
  @ApiProperty() progress: CampaignProgress;
  @ApiProperty({ description: 'Attempts queued, being placed or live now' }) live: number;
  @ApiProperty({ description: 'Attempts whose call ended' }) settledAttempts: number;
  @ApiProperty({ description: 'Settled attempts whose call was answered (completed)' })
  answeredAttempts: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'answeredAttempts / settledAttempts (null before any settles)',
  })
  answerRate: number | null;
  @ApiProperty({ description: 'Contacts pending or in flight: one attempt each at least' })
  remainingAttempts: number;
  @ApiProperty({
    description:
      'Average expected cost of one remaining attempt: deck price of an estimateCallSeconds call × answer rate so far (1 until 20 attempts have settled), micros',
  })
  expectedAttemptMicros: string;
  @ApiProperty({ description: 'remainingAttempts × expected cost of each, micros' })
  estimatedRemainingMicros: string;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 60 }) estimateCallSeconds: number;
  @ApiProperty({ description: 'Width of each outcome bucket' }) bucketSeconds: number;
  @ApiProperty({ type: [OutcomeBucket], description: 'Settled attempts by end time and outcome' })
  buckets: OutcomeBucket[];
}
