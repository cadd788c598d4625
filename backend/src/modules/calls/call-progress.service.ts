import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NormalizedEvent, ProviderName } from '../providers/provider-adapter';
import { decideTransition, isTerminal, TransitionOutcome } from './call-status';
import { hydrate, updateById } from '../../database/raw-rows';
import { Call } from './entities/call.entity';

type CallChanges = Partial<Omit<Call, 'metadata' | 'organization' | 'agent'>>;

export interface ProgressResult {
  call: Call;
  outcome: TransitionOutcome;
  /** The status changed. */
  applied: boolean;
  /** Late facts (duration, recording, provider cost, answer time) were added to the call. */
  enriched: boolean;
  /** This event moved the call into a terminal status. */
  ended: boolean;
}

/**
 * Applies provider events to calls, inside the caller's transaction: the status state machine,
 * enrichment with late facts (each fact set once), and the timeline.
 */
@Injectable()
export class CallProgressService {
  /** Finds and locks (FOR UPDATE) the call an event is about; null when no call matches (yet). */
  async lockCallForEvent(
    manager: EntityManager,
    provider: ProviderName,
    event: NormalizedEvent,
  ): Promise<Call | null> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const callId = event.callId && uuid.test(event.callId) ? event.callId : null;
    // Our own call id (echoed by the provider) first, then the provider's call id, then the parent leg.
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT * FROM calls
        WHERE provider = $1
          AND (id = $2 OR provider_call_id = $3 OR ($4::varchar IS NOT NULL AND parent_provider_call_id = $4))
        ORDER BY (id = $2) IS TRUE DESC, (provider_call_id = $3) IS TRUE DESC
        LIMIT 1
        FOR UPDATE`,
      [provider, callId, event.providerCallId, event.parentProviderCallId ?? null],
    );
    return rows[0] ? hydrate(manager, Call, rows[0]) : null;
  }

  async applyProviderEvent(
    manager: EntityManager,
    call: Call,
    event: NormalizedEvent,
    source: { webhookEventId: string | null; receivedAt: Date },
  ): Promise<ProgressResult> {
    const wasTerminal = isTerminal(call.status);
    const outcome = decideTransition(call.status, event.status, {
      event: event.sequence,
      lastApplied: call.lastSequence,
    });
    const applied = outcome === 'applied';
    const changes: CallChanges = {};

    if (!call.providerCallId && event.providerCallId) changes.providerCallId = event.providerCallId;
    if (applied && event.status) {
      changes.status = event.status;
      changes.rawStatus = event.rawStatus;
      changes.statusUpdatedAt = new Date();
      if (event.sequence !== undefined) changes.lastSequence = event.sequence;
      if (event.status === 'in_progress' && !call.answeredAt) changes.answeredAt = event.occurredAt;
      if (isTerminal(event.status)) changes.endedAt = event.occurredAt;
    }

    // Late facts enrich the call once, whether or not the event changed its status.
    const facts = event.facts;
    const enrichment: CallChanges = {};
    if (event.status === 'in_progress' && !call.answeredAt && !changes.answeredAt)
      enrichment.answeredAt = event.occurredAt;
    if (facts.durationSeconds !== undefined && call.billableSeconds === null) {
      enrichment.billableSeconds = Math.max(0, Math.ceil(facts.durationSeconds));
    }
    if (facts.recordingUrl && !call.recordingUrl) enrichment.recordingUrl = facts.recordingUrl;
    if (facts.providerCostMicros !== undefined && call.providerCostMicros === null) {
      enrichment.providerCostMicros = facts.providerCostMicros;
      enrichment.providerCurrency = facts.providerCurrency ?? null;
    }
    if (facts.hangupReason && !call.hangupReason && event.status && isTerminal(event.status)) {
      enrichment.hangupReason = facts.hangupReason;
    }
    const enriched = Object.keys(enrichment).length > 0;

    Object.assign(changes, enrichment);
    if (Object.keys(changes).length > 0) {
      await updateById(manager, Call, call.id, changes);
      Object.assign(call, changes);
    }

    await manager.query(
      `INSERT INTO call_events (call_id, organization_id, webhook_event_id, provider, raw_status, status, applied, outcome, sequence, facts, occurred_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        call.id,
        call.organizationId,
        source.webhookEventId,
        call.provider,
        event.rawStatus.slice(0, 64),
        event.status,
        applied,
        enriched ? `${outcome}+enriched` : outcome,
        event.sequence ?? null,
        JSON.stringify(serializableFacts(event)),
        event.occurredAt,
        source.receivedAt,
      ],
    );

    return { call, outcome, applied, enriched, ended: !wasTerminal && isTerminal(call.status) };
  }
}

function serializableFacts(event: NormalizedEvent): Record<string, string | number> {
  const facts: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(event.facts)) {
    if (value !== undefined) facts[key] = typeof value === 'bigint' ? value.toString() : value;
  }
  return facts;
}
