import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NormalizedEvent, PROVIDER_NAMES, ProviderName } from '../providers/provider-adapter';
import { CallStatus, decideTransition, isTerminal, TransitionOutcome } from './call-status';
import { hydrate, isUuid, queryPrepared, selectColumns, SqlWrite } from '../../database/raw-rows';
import { Contact } from '../contacts/entities/contact.entity';
import { User } from '../auth/entities/user.entity';
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

/** What finds the call a provider event is about (see `callKeysOf`). */
export interface CallKeys {
  provider: ProviderName;
  /** Our own call id, when the provider echoed it back. */
  callId: string | null;
  providerCallId: string;
  parentProviderCallId: string | null;
}

/**
 * Whether a value read back from outside (a job's data) is well-formed CallKeys: a malformed one
 * would fail the statement that uses it, and with it the whole batch.
 */
export function isCallKeys(value: unknown): value is CallKeys {
  if (typeof value !== 'object' || value === null) return false;
  const keys = value as Record<string, unknown>;
  // PostgreSQL text holds no NUL: one would fail the statement it is written into.
  const text = (field: unknown) => typeof field === 'string' && !field.includes('\u0000');
  return (
    (PROVIDER_NAMES as readonly unknown[]).includes(keys.provider) &&
    (keys.callId === null || (typeof keys.callId === 'string' && isUuid(keys.callId))) &&
    text(keys.providerCallId) &&
    (keys.parentProviderCallId === null || text(keys.parentProviderCallId))
  );
}

/** Whether two sets of keys name the same call in the same way. */
export function sameCallKeys(a: CallKeys, b: CallKeys): boolean {
  return (
    a.provider === b.provider &&
    a.callId === b.callId &&
    a.providerCallId === b.providerCallId &&
    a.parentProviderCallId === b.parentProviderCallId
  );
}

/** The keys that find an event's call: our own id first, then the provider's, then the parent leg. */
export function callKeysOf(provider: ProviderName, event: NormalizedEvent): CallKeys {
  return {
    provider,
    callId: event.callId && isUuid(event.callId) ? event.callId : null,
    providerCallId: event.providerCallId,
    parentProviderCallId: event.parentProviderCallId ?? null,
  };
}

/** A timeline row (call_events) waiting to be written with its batch. */
export interface TimelineEntry {
  callId: string;
  organizationId: string;
  webhookEventId: string | null;
  provider: ProviderName;
  rawStatus: string;
  status: CallStatus | null;
  applied: boolean;
  outcome: string;
  sequence: number | null;
  facts: Record<string, string | number>;
  occurredAt: Date;
  receivedAt: Date;
}

/**
 * Applies provider events to calls, inside the caller's transaction: the status state machine,
 * enrichment with late facts (each fact set once), and the timeline. Works on batches: the calls
 * of many events are locked in one statement, the events applied in memory, and the changed calls
 * and timeline rows written in one statement each.
 */
@Injectable()
export class CallProgressService {
  /**
   * Finds and locks (FOR UPDATE, in id order) the calls these keys find, with their agent's and
   * contact's names. The result is aligned with the input; null where no call matches (yet).
   */
  async lockCalls(manager: EntityManager, keys: CallKeys[]): Promise<(Call | null)[]> {
    if (keys.length === 0) return [];
    const { sql, params } = this.lockCallsStatement(manager, keys);
    return this.matchLockedCalls(manager, await queryPrepared(manager, sql, params), keys);
  }

  /** The statement of `lockCalls`, for a caller that sends it along others (executeStatement). */
  lockCallsStatement(manager: EntityManager, keys: CallKeys[]): { sql: string; params: unknown[] } {
    return {
      sql: `SELECT ${selectColumns(manager, Call, 'c')}, a.name AS agent_name, ct.name AS contact_name
         FROM calls c
         LEFT JOIN users a ON a.id = c.agent_id
         LEFT JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.id IN (
         SELECT matched.id
           FROM unnest($1::provider_name[], $2::uuid[], $3::varchar[], $4::varchar[])
                AS e(provider, call_id, provider_call_id, parent_provider_call_id)
           CROSS JOIN LATERAL (
             SELECT id FROM calls
              WHERE provider = e.provider
                AND (id = e.call_id OR provider_call_id = e.provider_call_id
                     OR (e.parent_provider_call_id IS NOT NULL AND parent_provider_call_id = e.parent_provider_call_id))
              ORDER BY (id = e.call_id) IS TRUE DESC, (provider_call_id = e.provider_call_id) IS TRUE DESC
              LIMIT 1) matched)
        ORDER BY c.id
          FOR UPDATE OF c`,
      params: [
        keys.map((key) => key.provider),
        keys.map((key) => key.callId),
        keys.map((key) => key.providerCallId),
        keys.map((key) => key.parentProviderCallId),
      ],
    };
  }

  /**
   * The locked rows of `lockCallsStatement` as calls, aligned with `keys` by the same preference
   * as the query (our own id, then the provider's, then the parent leg); null where none matches.
   */
  matchLockedCalls(
    manager: EntityManager,
    rows: Record<string, unknown>[],
    keys: CallKeys[],
  ): (Call | null)[] {
    const calls = rows.map((row) => {
      const call = hydrate(manager, Call, row);
      // The names a call's view shows (toCallView), so publishing needs no other read.
      if (row.agent_name !== null) call.agent = { name: row.agent_name } as User;
      if (row.contact_name !== null) call.contact = { name: row.contact_name } as Contact;
      return call;
    });
    return keys.map((key) => {
      const candidates = calls.filter((call) => call.provider === key.provider);
      return (
        (key.callId && candidates.find((call) => call.id === key.callId)) ||
        candidates.find((call) => call.providerCallId === key.providerCallId) ||
        (key.parentProviderCallId
          ? candidates.find((call) => call.parentProviderCallId === key.parentProviderCallId)
          : undefined) ||
        null
      );
    });
  }

  /**
   * Applies one event to a (locked) call in memory: the call object takes the changes, and the
   * timeline row is returned. `progressWrites` writes both.
   */
  applyProviderEvent(
    call: Call,
    event: NormalizedEvent,
    source: { webhookEventId: string | null; receivedAt: Date },
  ): ProgressResult & { timeline: TimelineEntry; changed: boolean } {
    const wasTerminal = isTerminal(call.status);
    const outcome = decideTransition(call.status, event.status, {
      event: event.sequence,
      lastApplied: call.lastSequence,
    });
    const applied = outcome === 'applied';
    const changes: CallChanges = {};

    // A recording callback's CallSid is the parent leg's: it never names the call.
    if (!call.providerCallId && event.providerCallId && !event.recordingOnly)
      changes.providerCallId = event.providerCallId;
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
    Object.assign(call, changes);

    const timeline: TimelineEntry = {
      callId: call.id,
      organizationId: call.organizationId,
      webhookEventId: source.webhookEventId,
      provider: call.provider,
      rawStatus: event.rawStatus.slice(0, 64),
      status: event.status,
      applied,
      outcome: event.recordingOnly ? 'recording' : enriched ? `${outcome}+enriched` : outcome,
      sequence: event.sequence ?? null,
      facts: serializableFacts(event),
      occurredAt: event.occurredAt,
      receivedAt: source.receivedAt,
    };
    return {
      call,
      outcome,
      applied,
      enriched,
      ended: !wasTerminal && isTerminal(call.status),
      timeline,
      changed: Object.keys(changes).length > 0,
    };
  }

  /**
   * An event Switchboard decided itself (the provider refused the call), applied to the locked call
   * as a provider's event would be: state machine, timeline row, the call written, at once. The
   * caller settles the money (CallBillingService.settleIfEnded) in the same transaction.
   */
  async applyOwnEvent(
    manager: EntityManager,
    call: Call,
    event: NormalizedEvent,
  ): Promise<ReturnType<CallProgressService['applyProviderEvent']>> {
    const result = this.applyProviderEvent(call, event, {
      webhookEventId: null,
      receivedAt: new Date(),
    });
    for (const write of this.progressWrites(result.changed ? [call] : [], [result.timeline]))
      await manager.query(write.sql, write.params);
    return result;
  }

  /**
   * The statements that write what applyProviderEvent changed (the calls' progress columns and
   * cost, the timeline rows), for the caller to send with its other writes (combineWrites).
   */
  progressWrites(changedCalls: Call[], timeline: TimelineEntry[]): SqlWrite[] {
    const writes: SqlWrite[] = [];
    if (changedCalls.length > 0) {
      const column = <T>(pick: (call: Call) => T) => changedCalls.map(pick);
      const iso = (date: Date | null) => (date ? date.toISOString() : null);
      writes.push({
        sql: `UPDATE calls SET provider_call_id = p.provider_call_id, status = p.status, raw_status = p.raw_status,
                status_updated_at = p.status_updated_at, last_sequence = p.last_sequence,
                answered_at = p.answered_at, ended_at = p.ended_at, billable_seconds = p.billable_seconds,
                recording_url = p.recording_url, provider_cost_micros = p.provider_cost_micros,
                provider_currency = p.provider_currency, hangup_reason = p.hangup_reason,
                cost_micros = p.cost_micros, updated_at = now()
           FROM unnest($1::uuid[], $2::varchar[], $3::call_status[], $4::varchar[], $5::timestamptz[],
                       $6::integer[], $7::timestamptz[], $8::timestamptz[], $9::integer[], $10::text[],
                       $11::bigint[], $12::char(3)[], $13::varchar[], $14::bigint[])
                AS p(id, provider_call_id, status, raw_status, status_updated_at, last_sequence, answered_at,
                     ended_at, billable_seconds, recording_url, provider_cost_micros, provider_currency,
                     hangup_reason, cost_micros)
          WHERE calls.id = p.id`,
        params: [
          column((call) => call.id),
          column((call) => call.providerCallId),
          column((call) => call.status),
          column((call) => call.rawStatus),
          column((call) => iso(call.statusUpdatedAt)),
          column((call) => call.lastSequence),
          column((call) => iso(call.answeredAt)),
          column((call) => iso(call.endedAt)),
          column((call) => call.billableSeconds),
          column((call) => call.recordingUrl),
          column((call) => call.providerCostMicros?.toString() ?? null),
          column((call) => call.providerCurrency),
          column((call) => call.hangupReason),
          column((call) => call.costMicros?.toString() ?? null),
        ],
      });
    }
    if (timeline.length > 0) {
      const column = <T>(pick: (entry: TimelineEntry) => T) => timeline.map(pick);
      writes.push({
        sql: `INSERT INTO call_events (call_id, organization_id, webhook_event_id, provider, raw_status, status, applied,
                outcome, sequence, facts, occurred_at, received_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::provider_name[], $5::varchar[],
                              $6::call_status[], $7::boolean[], $8::varchar[], $9::integer[], $10::jsonb[],
                              $11::timestamptz[], $12::timestamptz[])`,
        params: [
          column((entry) => entry.callId),
          column((entry) => entry.organizationId),
          column((entry) => entry.webhookEventId),
          column((entry) => entry.provider),
          column((entry) => entry.rawStatus),
          column((entry) => entry.status),
          column((entry) => entry.applied),
          column((entry) => entry.outcome),
          column((entry) => entry.sequence),
          column((entry) => JSON.stringify(entry.facts)),
          column((entry) => entry.occurredAt.toISOString()),
          column((entry) => entry.receivedAt.toISOString()),
        ],
      });
    }
    return writes;
  }
}

function serializableFacts(event: NormalizedEvent): Record<string, string | number> {
  const facts: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(event.facts)) {
    // A provider's recording URL (often a presigned link) stays out of the timeline, which the
    // API shows: the recording is served from Switchboard's own copy.
    if (key === 'recordingUrl') {
      if (value) facts.recording = 'provided';
      continue;
    }
    if (value !== undefined) facts[key] = typeof value === 'bigint' ? value.toString() : value;
  }
  return facts;
}
