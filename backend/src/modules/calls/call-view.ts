import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVIDER_NAMES, ProviderName } from '../providers/provider-adapter';
import { CALL_STATUSES, CallStatus } from './call-status';
import { CallEvent } from './entities/call-event.entity';
import { Call, CALL_DIRECTIONS, CallDirection } from './entities/call.entity';

export class CallAgentView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

/** A call as the REST API and socket events return it. Money is micros as decimal strings. */
export class CallView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PROVIDER_NAMES }) provider: ProviderName;
  @ApiPropertyOptional({ type: String, nullable: true }) providerCallId: string | null;
  @ApiProperty({ enum: CALL_DIRECTIONS }) direction: CallDirection;
  @ApiPropertyOptional({ type: String, nullable: true }) from: string | null;
  @ApiProperty() to: string;
  @ApiPropertyOptional({ type: String, nullable: true }) country: string | null;
  @ApiProperty({ enum: CALL_STATUSES }) status: CallStatus;
  @ApiPropertyOptional({ type: String, nullable: true }) rawStatus: string | null;
  @ApiPropertyOptional({ type: CallAgentView, nullable: true }) agent: CallAgentView | null;
  @ApiPropertyOptional({ type: String, nullable: true }) contactId: string | null;
  @ApiPropertyOptional({
    type: CallAgentView,
    nullable: true,
    description: 'The linked contact (id, name)',
  })
  contact: CallAgentView | null;
  @ApiPropertyOptional({ type: String, nullable: true }) note: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) disposition: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) answeredAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) endedAt: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) durationSeconds: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) timeLimitSeconds: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'micros' }) costMicros:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'micros' }) providerCostMicros:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) providerCurrency: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) recordingUrl: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) hangupReason: string | null;
}

export class CallEventView {
  @ApiProperty() id: string;
  @ApiProperty() rawStatus: string;
  @ApiPropertyOptional({ enum: CALL_STATUSES, nullable: true }) status: CallStatus | null;
  @ApiProperty() applied: boolean;
  @ApiProperty({
    description:
      'applied, same_status, lower_rank, already_terminal, older_sequence, unknown_status (+enriched)',
  })
  outcome: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) sequence: number | null;
  @ApiProperty({ type: Object }) facts: Record<string, string | number | boolean | null>;
  @ApiProperty() occurredAt: string;
  @ApiProperty() receivedAt: string;
}

export class CallDetailView extends CallView {
  @ApiProperty({ type: [CallEventView] }) timeline: CallEventView[];
}

export class CallList {
  @ApiProperty({ type: [CallView] }) items: CallView[];
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Pass as cursor to get the next page',
  })
  nextCursor: string | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toCallView(call: Call, agentName?: string | null): CallView {
  return {
    id: call.id,
    provider: call.provider,
    providerCallId: call.providerCallId,
    direction: call.direction,
    from: call.fromNumber,
    to: call.toNumber,
    country: call.country,
    status: call.status,
    rawStatus: call.rawStatus,
    agent: call.agentId ? { id: call.agentId, name: agentName ?? call.agent?.name ?? '' } : null,
    contactId: call.contactId,
    contact: call.contactId ? { id: call.contactId, name: call.contact?.name ?? '' } : null,
    note: call.note,
    disposition: call.disposition,
    createdAt: call.createdAt.toISOString(),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt),
    durationSeconds: call.billableSeconds,
    timeLimitSeconds: call.timeLimitSeconds,
    costMicros: call.costMicros === null ? null : call.costMicros.toString(),
    providerCostMicros:
      call.providerCostMicros === null ? null : call.providerCostMicros.toString(),
    providerCurrency: call.providerCurrency,
    recordingUrl: call.recordingUrl,
    hangupReason: call.hangupReason,
  };
}

export function toCallEventView(event: CallEvent): CallEventView {
  return {
    id: event.id,
    rawStatus: event.rawStatus,
    status: event.status,
    applied: event.applied,
    outcome: event.outcome,
    sequence: event.sequence,
    facts: event.facts,
    occurredAt: event.occurredAt.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
  };
}
