import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager, In } from 'typeorm';
import { parseBody, withoutNul } from '../../common/body-parsers';
import {
  combineWrites,
  executeStatement,
  hydrate,
  isUuid,
  queryPrepared,
  SqlWrite,
  transactionStartingWith,
  uuidList,
} from '../../database/raw-rows';
import { AppConfig, HotPathPiece } from '../../config/app-config';
import { CallBillingService } from '../billing/call-billing.service';
import { SettledCalls, WalletService } from '../wallet/wallet.service';
import { ContactsService } from '../contacts/contacts.service';
import {
  CallKeys,
  callKeysOf,
  CallProgressService,
  isCallKeys,
  sameCallKeys,
  TimelineEntry,
} from '../calls/call-progress.service';
import { Call } from '../calls/entities/call.entity';
import { CallOutcomesService, OutcomeEvent, OutcomePlan } from '../calls/call-outcomes.service';
import { RecordingJobs } from '../recordings/recording-jobs';
import { toCallView } from '../calls/call-view';
import { NormalizedEvent, ProviderName, WebhookParseError } from '../providers/provider-adapter';
import { PaymentEventsService, SucceededPayment } from '../payments/payment-events.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { WebhookEvent } from './entities/webhook-event.entity';
import { deserializeNormalizedEvent } from './stored-normalized-event';
import { ProcessWebhookEventJob } from './webhook-job';

/** No call matches the event yet (it may be committed a moment later): retried with backoff. */
export class CallNotFoundError extends Error {
  override name = 'CallNotFoundError';
}

/** Marks the events of a batch processed, with the call each was about. */
function processedWrite(
  processed: { id: string; organizationId: string; callId: string }[],
): SqlWrite | null {
  if (processed.length === 0) return null;
  return {
    sql: `UPDATE webhook_events SET state = 'processed', attempts = attempts + 1, processed_at = now(),
                 last_error = NULL, organization_id = done.organization_id, call_id = done.call_id
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS done(id, organization_id, call_id)
           WHERE webhook_events.id = done.id`,
    params: [
      processed.map((event) => event.id),
      processed.map((event) => event.organizationId),
      processed.map((event) => event.callId),
    ],
  };
}

/** A stored event still to process, and what it says. */
interface ReadyEvent {
  stored: WebhookEvent;
  event: NormalizedEvent;
}

/** A batch's events applied to their calls in memory: what is to be written and published. */
interface AppliedBatch {
  timeline: TimelineEntry[];
  processed: { id: string; organizationId: string; callId: string }[];
  /** Contacts whose call ended, for their last-called time. */
  touches: { contactId: string; at: Date }[];
  /** The calls to write, by id. */
  changedCalls: Map<string, Call>;
  /** Each state a call went through, in order. */
  states: Call[];
  lockedCalls: Call[];
  /** Each locked call by id: its state once the whole batch is applied. */
  finalState: Map<string, Call>;
  /** Events that carry a call outcome (artifacts) or the provider's final word. */
  outcomeEvents: OutcomeEvent[];
  /** The outcomes' write, once planned (storeOutcomes). */
  outcomes?: OutcomePlan;
}

/** What a committed batch publishes. */
interface CommittedBatch {
  states: Call[];
  /** Calls whose provider recording is to be copied now. */
  recordingsToCopy: string[];
  balances: Map<string, { balanceMicros: bigint; heldMicros: bigint }>;
  shortfalls: { callId: string; micros: bigint }[];
  /** Payments that credited their wallet (`payment:updated`). */
  payments?: SucceededPayment[];
}

export type ProcessingOutcome = 'processed' | 'skipped';

/** What became of each event of a batch: an outcome, or the error its job fails with. */
export type BatchResult = Map<string, ProcessingOutcome | Error>;

/**
 * The worker's unit of work: a batch of stored webhook events, processed in one transaction with
 * one statement per step for the whole batch (lock the events, lock their calls, state machine and
 * timeline in memory, write the calls and the timeline, mark the events processed, settle the
 * wallets of calls that ended); events are published only after the commit. An event that cannot
 * be processed yet (no call matches, unparseable body) gets its own error and is left as it was;
 * any other error fails the whole batch (the caller then retries its events one by one).
 */
@Injectable()
export class WebhookProcessingService {
  private readonly logger = new Logger(WebhookProcessingService.name);
  /** The hot-path optimizations replaced by their simpler form (HOT_PATH_SIMPLE, for A/B runs). */
  private readonly simple: Record<HotPathPiece, boolean>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderRegistry,
    private readonly progress: CallProgressService,
    private readonly realtime: RealtimePublisher,
    private readonly billing: CallBillingService,
    private readonly wallets: WalletService,
    private readonly contacts: ContactsService,
    private readonly outcomes: CallOutcomesService,
    private readonly recordingJobs: RecordingJobs,
    private readonly payments: PaymentEventsService,
    config: AppConfig,
  ) {
    this.simple = {
      literals: config.simpleHotPath('literals'),
      callHint: config.simpleHotPath('callHint'),
      commitWrites: config.simpleHotPath('commitWrites'),
    };
  }

  async processBatch(jobs: ProcessWebhookEventJob[]): Promise<BatchResult> {
    const results: BatchResult = new Map();
    const valid = this.acceptJobs(jobs, results);
    if (valid.length === 0) return results;
    const ids = valid.map(({ eventId }) => eventId);
    const hints = new Map(
      this.simple.callHint
        ? []
        : valid.flatMap(({ eventId, call }) =>
            isCallKeys(call) ? [[eventId, call] as const] : [],
          ),
    );
    // Only when every job names its call: a batch that also had to look calls up would lock them
    // in two statements, out of id order.
    const hintedKeys = hints.size === valid.length ? [...hints.values()] : [];

    const committed = await transactionStartingWith(
      this.dataSource,
      (client) => this.lockEventsSql(client, ids, hintedKeys),
      async (manager, [, , lockedEvents, lockedWithEvents]) => {
        const hintedCalls =
          lockedWithEvents ?? (await this.lockHintedCallsApart(manager, hintedKeys));
        // Payment webhooks (modules/payments) take their own step; the rest are about calls.
        const [callEvents, paymentEvents] = PaymentEventsService.partition(lockedEvents);
        const paymentIds = new Set(paymentEvents.map((row) => row.id as string));
        const ready = this.readyEvents(
          manager,
          paymentIds.size ? ids.filter((id) => !paymentIds.has(id)) : ids,
          callEvents,
          results,
        );
        const calls = await this.lockCallsOf(
          manager,
          ready.map(({ stored, event }) => ({
            keys: callKeysOf(stored.provider as ProviderName, event),
            hint: hints.get(stored.id),
          })),
          hintedCalls, // absent when the hinted calls were not locked
        );
        const applied = this.applyTransitions(ready, calls, results);
        await this.storeOutcomes(manager, applied);
        // Calls that ended are priced first (their wallets locked), so each cost is written with
        // its call; the money moves in the last statement before the commit.
        const plan = await this.billing.priceEndedCalls(manager, applied.lockedCalls);
        for (const callId of plan.settlements.keys())
          applied.changedCalls.set(callId, applied.finalState.get(callId)!);
        // The calls, their timeline and the events are written last, with the COMMIT (one round
        // trip); the money statements do not depend on them.
        const write = this.batchWrite(applied);
        const settled = await this.wallets.postSettlements(manager, plan);
        const result = this.toPublish(applied, settled);
        if (paymentEvents.length) {
          const paid = await this.payments.apply(manager, paymentEvents, results);
          for (const [organizationId, balance] of paid.balances)
            result.balances.set(organizationId, balance);
          result.payments = paid.succeeded;
        }
        return { result, writeWithCommit: await this.writeBeforeCommit(manager, write) };
      },
    );

    await this.publish(committed);
    return results;
  }

  /** A job names its event; anything but an event id cannot be processed, now or later. */
  private acceptJobs(
    jobs: ProcessWebhookEventJob[],
    results: BatchResult,
  ): ProcessWebhookEventJob[] {
    for (const { eventId } of jobs)
      if (!isUuid(eventId))
        results.set(eventId, new UnrecoverableError(`${eventId} is not a webhook event id`));
    return jobs.filter(({ eventId }) => isUuid(eventId));
  }

  /**
   * The transaction's first round trip, sent with its BEGIN: lock the events and, once this
   * connection has the lock statement prepared, the calls the ingress named (after the events,
   * as everywhere).
   *
   * Generic plans: the batch's statements keep theirs (queryPrepared) instead of planning anew.
   * No sequential scans: every statement reaches its rows by key, and a generic plan made while
   * a table was small (a new installation's first minutes) would go on reading the whole table
   * as it grows, for as long as the connection lives or until the next ANALYZE of the table.
   */
  private lockEventsSql(client: PoolClient, ids: string[], hintedKeys: CallKeys[]): string {
    const statements = [
      'SET LOCAL plan_cache_mode = force_generic_plan',
      'SET LOCAL enable_seqscan = off',
      `SELECT * FROM webhook_events WHERE id IN ${uuidList(ids)} ORDER BY id FOR UPDATE`,
    ];
    if (hintedKeys.length > 0 && !this.simple.literals) {
      const { sql, params } = this.progress.lockCallsStatement(this.dataSource.manager, hintedKeys);
      const lockCalls = executeStatement(client, sql, params);
      if (lockCalls) statements.push(lockCalls);
    }
    return statements.join(';\n');
  }

  /**
   * HOT_PATH_SIMPLE=literals: the calls the ingress named, locked in a statement of their own
   * right after the events' round trip (nothing travels as `EXECUTE` with literals).
   */
  private async lockHintedCallsApart(
    manager: EntityManager,
    hintedKeys: CallKeys[],
  ): Promise<Record<string, unknown>[] | undefined> {
    if (!this.simple.literals || hintedKeys.length === 0) return undefined;
    const { sql, params } = this.progress.lockCallsStatement(manager, hintedKeys);
    return queryPrepared(manager, sql, params);
  }

  /**
   * The batch's write, to travel with the COMMIT; or, in the simpler form (HOT_PATH_SIMPLE
   * commitWrites or literals), sent now as a prepared statement of its own, then a bare COMMIT.
   */
  private async writeBeforeCommit(
    manager: EntityManager,
    write: SqlWrite | null,
  ): Promise<SqlWrite | null> {
    if (!write || !(this.simple.commitWrites || this.simple.literals)) return write;
    await queryPrepared(manager, write.sql, write.params);
    return null;
  }

  /**
   * The locked events still to process (stored, not done yet: a redelivered job or a replay racing
   * a retry is skipped) and parseable, in the order they arrived: a call's events apply in that
   * order. An unparseable event gets its error here.
   */
  private readyEvents(
    manager: EntityManager,
    ids: string[],
    lockedRows: Record<string, unknown>[],
    results: BatchResult,
  ): ReadyEvent[] {
    const byId = new Map(
      lockedRows.map((row) => {
        const stored = hydrate(manager, WebhookEvent, row);
        return [stored.id, stored];
      }),
    );
    const ready: ReadyEvent[] = [];
    for (const id of ids) {
      const stored = byId.get(id);
      if (!stored || stored.state === 'processed' || stored.state === 'rejected') {
        results.set(id, 'skipped');
        continue;
      }
      try {
        ready.push({ stored, event: this.normalize(stored) });
      } catch (error) {
        results.set(id, error as Error);
      }
    }
    ready.sort(
      (a, b) =>
        a.stored.receivedAt.getTime() - b.stored.receivedAt.getTime() ||
        a.stored.id.localeCompare(b.stored.id),
    );
    return ready;
  }

  /**
   * Runs each event through its call's state machine, in memory: the calls take the changes, and
   * what is to be written and published is collected. An event whose call is not there yet gets
   * its CallNotFoundError.
   */
  private applyTransitions(
    ready: ReadyEvent[],
    calls: (Call | null)[],
    results: BatchResult,
  ): AppliedBatch {
    // Events of one call share its (one) locked Call object.
    const lockedCalls = [...new Set(calls.filter((call): call is Call => call !== null))];
    const applied: AppliedBatch = {
      timeline: [],
      processed: [],
      touches: [],
      changedCalls: new Map(),
      states: [],
      lockedCalls,
      finalState: new Map(lockedCalls.map((call) => [call.id, call])),
      outcomeEvents: [],
    };
    ready.forEach(({ stored, event }, index) => {
      const call = calls[index];
      if (!call) {
        results.set(
          stored.id,
          new CallNotFoundError(
            `no ${stored.provider} call matches ${event.callId ? `call id ${event.callId} / ` : ''}provider call ${event.providerCallId}`,
          ),
        );
        return;
      }
      const result = this.progress.applyProviderEvent(call, event, {
        webhookEventId: stored.id,
        receivedAt: stored.receivedAt,
      });
      applied.timeline.push(result.timeline);
      if (event.artifacts || event.final || result.ended)
        applied.outcomeEvents.push({ call, event, timeline: result.timeline });
      if (result.changed) applied.changedCalls.set(call.id, call);
      if (result.applied || result.enriched) applied.states.push({ ...call } as Call);
      if (result.ended && call.contactId)
        applied.touches.push({ contactId: call.contactId, at: call.endedAt ?? new Date() });
      applied.processed.push({
        id: stored.id,
        organizationId: call.organizationId,
        callId: call.id,
      });
      results.set(stored.id, 'processed');
    });
    return applied;
  }

  /**
   * Late enrichment: the recording, transcript, summary… an event carries, stored once per call
   * (call_outcomes), and the provider's final word. Their timeline rows say what they stored; a
   * call whose outcome changed is published. Money is not touched. Only batches with such events
   * read anything (one statement).
   */
  private async storeOutcomes(manager: EntityManager, applied: AppliedBatch): Promise<void> {
    applied.outcomes = await this.outcomes.plan(manager, applied.outcomeEvents);
    const published = new Set(applied.states.map((state) => state.id));
    for (const callId of applied.outcomes.changedCallIds)
      if (!published.has(callId))
        applied.states.push({ ...applied.finalState.get(callId)! } as Call);
  }

  /** The batch's one write: changed calls, timeline, outcomes, contacts' last call, events processed. */
  private batchWrite(applied: AppliedBatch): SqlWrite | null {
    return combineWrites([
      ...this.progress.progressWrites([...applied.changedCalls.values()], applied.timeline),
      applied.outcomes?.write ?? null,
      this.contacts.lastCalledWrite(applied.touches),
      processedWrite(applied.processed),
    ]);
  }

  /**
   * What to publish once committed: each state a call went through in this batch, in order (one
   * call:updated each), a call's last state carrying what settlement added (its cost); the
   * wallets' balances; the shortfalls to log.
   */
  private toPublish(applied: AppliedBatch, settled: SettledCalls): CommittedBatch {
    const { states, finalState } = applied;
    const last = new Map(states.map((state, index) => [state.id, index]));
    for (const [callId, index] of last) states[index] = { ...finalState.get(callId)! } as Call;
    for (const callId of settled.settlements.keys())
      if (!last.has(callId)) states.push({ ...finalState.get(callId)! } as Call);
    const shortfalls: { callId: string; micros: bigint }[] = [];
    for (const [callId, settlement] of settled.settlements) {
      if (settlement.shortfallMicros > 0n)
        shortfalls.push({ callId, micros: settlement.shortfallMicros });
    }
    return {
      states,
      recordingsToCopy: applied.outcomes?.recordingsToCopy ?? [],
      balances: settled.balances,
      shortfalls,
    };
  }

  /**
   * The (locked) call of each event. An event whose job's hint names its call as the stored event
   * does gets its call from the rows locked with the events (or none: no such call yet); the others
   * are looked up and locked now. That second statement runs only after a wrong hint, and locks
   * after the first, out of id order: a concurrent batch could deadlock with it, which PostgreSQL
   * ends by failing one batch, whose events are then processed one by one.
   */
  private async lockCallsOf(
    manager: EntityManager,
    events: { keys: CallKeys; hint: CallKeys | undefined }[],
    lockedWithEvents: Record<string, unknown>[] | undefined,
  ): Promise<(Call | null)[]> {
    const keys = events.map((event) => event.keys);
    if (!lockedWithEvents) return this.progress.lockCalls(manager, keys);
    const matched = this.progress.matchLockedCalls(manager, lockedWithEvents, keys);
    const calls = matched.slice();
    const unhinted = events.flatMap(({ keys, hint }, index) =>
      hint && sameCallKeys(hint, keys) ? [] : [index],
    );
    if (unhinted.length === 0) return calls;
    const found = await this.progress.lockCalls(
      manager,
      unhinted.map((index) => keys[index]),
    );
    // A call locked by both statements must stay one object: events of a call share it.
    const byId = new Map(
      matched.filter((call) => call !== null).map((call) => [call.id, call] as const),
    );
    unhinted.forEach((index, position) => {
      const call = found[position];
      calls[index] = call ? (byId.get(call.id) ?? call) : null;
    });
    return calls;
  }

  /** After the commit; a failure here must not make the (committed) jobs retry. */
  private async publish({
    states,
    recordingsToCopy,
    balances,
    shortfalls,
    payments,
  }: CommittedBatch): Promise<void> {
    // At once: Exotel's links expire within minutes. A lost enqueue is found by the sweep.
    await this.recordingJobs.enqueue(recordingsToCopy);
    try {
      for (const state of states) {
        this.realtime.publish({
          event: 'call:updated',
          organizationId: state.organizationId,
          userId: state.agentId,
          payload: toCallView(state),
        });
      }
      for (const [organizationId, balance] of balances) {
        await this.wallets.publishBalance(organizationId, balance);
      }
      for (const payment of payments ?? [])
        this.realtime.publish({
          event: 'payment:updated',
          organizationId: payment.organizationId,
          payload: payment,
        });
    } catch (error) {
      this.logger.warn(
        `events processed, but their socket events were not sent: ${(error as Error).message}`,
      );
    }
    for (const { callId, micros } of shortfalls) {
      this.logger.warn(
        `call ${callId} talked beyond what its wallet could pay: ${micros} micros not charged`,
      );
    }
  }

  /** Records a failed attempt; `final` makes the event a dead letter (visible and replayable). */
  async recordFailure(eventId: string, error: unknown, final: boolean): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await this.dataSource.getRepository(WebhookEvent).update(
      { id: eventId, state: In(['received', 'retrying']) },
      {
        state: final ? 'dead' : 'retrying',
        attempts: () => 'attempts + 1',
        lastError: message.slice(0, 2000),
      },
    );
    if (final) this.logger.warn(`webhook event ${eventId} is a dead letter: ${message}`);
  }

  private normalize(stored: WebhookEvent): NormalizedEvent {
    try {
      if (stored.source === 'reconciliation') return deserializeNormalizedEvent(stored.rawBody);
      return this.providers.get(stored.provider as ProviderName).parseWebhook({
        url: stored.url,
        query: Object.fromEntries(
          [...new URL(stored.url, 'http://stored.invalid').searchParams].map(([key, value]) => [
            withoutNul(key),
            withoutNul(value),
          ]),
        ),
        headers: stored.headers as Record<string, string>,
        contentType: stored.contentType ?? '',
        rawBody: stored.rawBody,
        body: parseBody(stored.rawBody, stored.contentType ?? ''),
      });
    } catch (error) {
      if (error instanceof WebhookParseError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
