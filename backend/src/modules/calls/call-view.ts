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
  @ApiPropertyOptional({ type: String, nullable: true }) hangupReason: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The campaign that placed the call (docs/campaigns.md); null for other calls',
  })
  campaignId?: string | null;
  @ApiPropertyOptional({
    description: 'History listing only: the call has a stored recording',
  })
  hasRecording?: boolean;
  @ApiPropertyOptional({ description: 'History listing only: the call has a transcript' })
  hasTranscript?: boolean;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "The provider's summary of the call (an AI agent's), once it has arrived",
  })
  summary?: string | null;
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

export class TranscriptTurnView {
  @ApiProperty({ description: 'agent, callee, or the provider’s own label' }) speaker: string;
  @ApiProperty() text: string;
  @ApiPropertyOptional({ type: Number, description: 'Seconds from the start of the recording' })
  startSeconds?: number;
}

export class CallRecordingView {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Switchboard URL of the stored copy, signed and short-lived (usable as an <audio src>); null until stored',
  })
  url: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) urlExpiresAt: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) durationSeconds: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) contentType: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiProperty({
    enum: ['pending', 'stored', 'failed', 'expired'],
    description:
      'expired: stored, then deleted by the retention policy (see expiredAt, retentionDays)',
  })
  status: 'pending' | 'stored' | 'failed' | 'expired';
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Why the copy failed or is being retried (admins only)',
  })
  error: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'When the stored recording was deleted by the retention policy',
  })
  expiredAt: string | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'The retention period (days) after which it was deleted',
  })
  retentionDays: number | null;
}

export class CallDetailView extends CallView {
  @ApiProperty({ type: [CallEventView] }) timeline: CallEventView[];
  @ApiPropertyOptional({ type: CallRecordingView, nullable: true })
  recording: CallRecordingView | null;
  @ApiPropertyOptional({ type: [TranscriptTurnView], nullable: true })
  transcript: TranscriptTurnView[] | null;
  @ApiPropertyOptional({ type: String, nullable: true }) override summary: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true }) extractedData: Record<
    string,
    unknown
  > | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Who ended the call, as the provider says',
  })
  hangupBy: string | null;
  @ApiProperty({
    description:
      "The provider's final figures and artifacts have arrived (or its deadline passed); until then the console shows Finalizing…",
  })
  final: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) finalizedAt: string | null;
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
    hangupReason: call.hangupReason,
    campaignId: typeof call.metadata?.campaignId === 'string' ? call.metadata.campaignId : null,
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
    facts: withoutProviderUrls(event.facts),
    occurredAt: event.occurredAt.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
  };
}

/** Timeline rows written before #16 may hold a provider's recording URL: never shown. */
function withoutProviderUrls(
  facts: Record<string, string | number | boolean | null>,
): Record<string, string | number | boolean | null> {
  if (!('recordingUrl' in facts)) return facts;
  const { recordingUrl, ...rest } = facts;
  return recordingUrl ? { ...rest, recording: 'provided' } : rest;
}
