import { PageQuery } from '../../common/page-query';
import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  PROVIDER_NAMES,
  ProviderName,
  SERVER_PLACED_PROVIDERS,
  ServerPlacedProvider,
} from '../providers/provider-adapter';
import { SIMULATOR_SCENARIOS, SimulatorScenario } from '../providers/simulator/simulator-plan';
import { CALL_STATUSES, CallStatus } from './call-status';
import { CALL_DIRECTIONS, CallDirection } from './entities/call.entity';

export class InitiateCallDto {
  @ApiProperty({ enum: SERVER_PLACED_PROVIDERS, example: 'simulator' })
  @IsIn(SERVER_PLACED_PROVIDERS, {
    message: `provider must be one of: ${SERVER_PLACED_PROVIDERS.join(', ')}`,
  })
  provider: ServerPlacedProvider;

  @ApiProperty({
    example: '+14155550100',
    description: 'E.164, or a national number of the organization’s country',
  })
  @IsString()
  @MaxLength(32)
  to: string;

  @ApiPropertyOptional({ description: 'Caller id / agent phone (Exotel dials this first)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  from?: string;

  @ApiPropertyOptional({
    enum: SIMULATOR_SCENARIOS,
    description: 'Simulator only: how the call ends',
  })
  @IsOptional()
  @IsIn(SIMULATOR_SCENARIOS, {
    message: `scenario must be one of: ${SIMULATOR_SCENARIOS.join(', ')}`,
  })
  scenario?: SimulatorScenario;

  @ApiPropertyOptional({
    description: 'Simulator only: talk time in seconds when the call connects',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4 * 3600)
  talkSeconds?: number;

  @ApiPropertyOptional({ description: 'Simulator only: duplicate, delay and reorder its webhooks' })
  @IsOptional()
  @IsBoolean()
  chaos?: boolean;

  @ApiPropertyOptional({
    description:
      "Admins only: place the call even outside the callee's default calling hours (recorded on the call)",
  })
  @IsOptional()
  @IsBoolean()
  overrideCallingHours?: boolean;
}

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

export class ListCallsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: CALL_STATUSES,
    isArray: true,
    description: 'One status or a comma-separated list',
    example: 'completed,busy',
  })
  @IsOptional()
  @Transform(toList)
  @IsIn(CALL_STATUSES, { each: true, message: `status must be among: ${CALL_STATUSES.join(', ')}` })
  status?: CallStatus[];

  @ApiPropertyOptional({ enum: PROVIDER_NAMES })
  @IsOptional()
  @IsIn(PROVIDER_NAMES, { message: `provider must be one of: ${PROVIDER_NAMES.join(', ')}` })
  provider?: ProviderName;

  @ApiPropertyOptional({ enum: CALL_DIRECTIONS })
  @IsOptional()
  @IsIn(CALL_DIRECTIONS, { message: `direction must be one of: ${CALL_DIRECTIONS.join(', ')}` })
  direction?: CallDirection;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'agentId must be a user id (UUID)' })
  agentId?: string;

  @ApiPropertyOptional({ description: 'Calls linked to this contact' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a contact id (UUID)' })
  contactId?: string;

  @ApiPropertyOptional({ example: 'US' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166 two-letter code' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  country?: string;

  @ApiPropertyOptional({ description: 'Calls created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date or time' })
  from?: string;

  @ApiPropertyOptional({ description: 'Calls created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date or time' })
  to?: string;

  @ApiPropertyOptional({
    description:
      'Digits to find in the dialed or calling number (when written like a number), else part of the contact’s name or words said on the call (transcript, summary)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  q?: string;
}

export type CallFilters = Omit<ListCallsQuery, 'cursor' | 'limit'>;

export const DISPOSITIONS = [
  'interested',
  'not_interested',
  'callback',
  'voicemail',
  'wrong_number',
  'do_not_call',
  'other',
] as const;

export class CallNoteDto {
  @ApiPropertyOptional({ example: 'Wants a quote by Friday' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ enum: DISPOSITIONS })
  @IsOptional()
  @IsIn(DISPOSITIONS, { message: `disposition must be one of: ${DISPOSITIONS.join(', ')}` })
  disposition?: (typeof DISPOSITIONS)[number];
}

/** The Voice SDK's call-quality warnings (`call.on('warning', name)`), as the SDK names them. */
export const QUALITY_WARNINGS = [
  'high-rtt',
  'high-jitter',
  'high-packet-loss',
  'high-packets-lost-fraction',
  'low-mos',
  'constant-audio-input-level',
  'constant-audio-output-level',
  'ice-connectivity-lost',
] as const;
export type QualityWarning = (typeof QUALITY_WARNINGS)[number];

/** `POST /api/calls/:id/quality-warnings`: a warning the agent's browser raised or cleared. */
export class QualityWarningDto {
  @ApiProperty({ enum: QUALITY_WARNINGS, example: 'high-rtt' })
  @IsIn(QUALITY_WARNINGS, { message: `warning must be one of: ${QUALITY_WARNINGS.join(', ')}` })
  warning: QualityWarning;

  @ApiPropertyOptional({ description: 'true: the warning cleared; false or absent: it was raised' })
  @IsOptional()
  @IsBoolean()
  cleared?: boolean;
}
