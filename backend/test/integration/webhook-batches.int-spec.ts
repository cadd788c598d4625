import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { CallKeys, CallProgressService } from '../../src/modules/calls/call-progress.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import { DuplicateTransactionError } from '../../src/modules/wallet/ledger.service';
import { WebhookEventBatcher } from '../../src/modules/webhooks/webhook-event-batcher';
import {
  CallNotFoundError,
  WebhookProcessingService,
} from '../../src/modules/webhooks/webhook-processing.service';
import { simulatorEvent } from '../support/provider-webhooks';
import { TestUser } from '../support/test-app';
import { RunningStack, startStack } from '../support/test-worker';
import { HOLD_PER_CALL, organizationWithUsRate, placeHeldCall } from '../support/us-rate';

/**
 * The worker's batches, driven directly: webhook events are stored (as the ingress stores them) but
 * not queued, and handed to the processing service or the batcher in one go, so the test decides
 * what shares a transaction.
 */
describe('webhook batches: many events in one transaction (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let processing: WebhookProcessingService;

  beforeAll(async () => {
    stack = await startStack({ MAX_CALL_SECONDS: '600' });
    dataSource = stack.api.dataSource;
    processing = stack.worker.get(WebhookProcessingService);
  });
  afterAll(() => stack.close());

  const heldCall = (agent: TestUser) => placeHeldCall(stack.api, agent);

  /**
   * Stores simulator webhooks as the ingress would, received 1 ms apart in the given order, without
   * queueing them; returns their ids.
   */
  async function store(bodies: (Record<string, unknown> | string)[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, body] of bodies.entries()) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const [row] = await dataSource.query(
        `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body, received_at)
         VALUES ('simulator', $1, '/api/webhooks/simulator', '{}', 'application/json', $2,
                 now() + make_interval(secs => $3 / 1000.0)) RETURNING id`,
        [`test-${randomUUID()}`, raw, index],
      );
      ids.push(row.id);
    }
    return ids;
  }

  /** Jobs as the sweeper or a replay enqueues them: the event id alone, no call hint. */
  const jobsFor = (ids: string[]) => ids.map((eventId) => ({ eventId }));

  async function wallet(organizationId: string): Promise<Wallet> {
    return dataSource.getRepository(Wallet).findOneByOrFail({ organizationId });
  }

  it('applies the events of several calls of two organizations in one batch in the order they arrived, charging each call once', async () => {
    const orgs = [
      await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL),
      await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL),
    ];
    const calls = [];
    for (const users of orgs)
      for (let i = 0; i < 3; i += 1) calls.push(await heldCall(users.agent));
    // `completed` first, then the rest of the lifecycle, then a second delivery of `completed`
    // (another message id, same facts).
    const bodies = calls.flatMap((call) => [
      simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 61 }),
      simulatorEvent(call.providerCallId!, 'ringing'),
      simulatorEvent(call.providerCallId!, 'in_progress'),
      simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 61 }),
    ]);
    const ids = await store(bodies);

    // Handed over in another order than they arrived in: ringing, in_progress, completed, completed.
    const handedOver = calls.flatMap((_, i) => [1, 2, 3, 0].map((k) => ids[i * 4 + k]));
    const results = await processing.processBatch(jobsFor(handedOver));
    expect([...results.values()].every((result) => result === 'processed')).toBe(true);

    for (const call of calls) {
      const after = await dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
      expect(after.status).toBe('completed');
      expect(after.billableSeconds).toBe(61);
      expect(after.costMicros).toBe(120_000n); // 61 s at 60/60 is two minutes
      const timeline: { applied: boolean; outcome: string }[] = await dataSource.query(
        'SELECT applied, outcome FROM call_events WHERE call_id = $1',
        [call.id],
      );
      expect(timeline).toHaveLength(4);
      // The first `completed` ends the call; what arrives after it is recorded, not applied.
      expect(timeline.filter((entry) => entry.applied)).toHaveLength(1);
      const charges: { kind: string }[] = await dataSource.query(
        'SELECT kind FROM ledger_transactions WHERE call_id = $1 ORDER BY kind::text',
        [call.id],
      );
      expect(charges.map((charge) => charge.kind)).toEqual(['capture', 'hold', 'release']);
    }
    for (const users of orgs) {
      const after = await wallet(users.agent.organizationId);
      expect(after.heldMicros).toBe(0n);
      expect(after.balanceMicros).toBe(10n * HOLD_PER_CALL - 3n * 120_000n);
    }
    const states: { state: string }[] = await dataSource.query(
      'SELECT DISTINCT state FROM webhook_events WHERE id = ANY($1)',
      [ids],
    );
    expect(states).toEqual([{ state: 'processed' }]);

    // A redelivered job for the same events changes nothing.
    const again = await processing.processBatch(jobsFor(ids));
    expect([...again.values()].every((result) => result === 'skipped')).toBe(true);
  });

  it('gives events that cannot be processed yet their own error and processes the rest of the batch', async () => {
    const users = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await heldCall(users.agent);
    const [good, unknownCall, malformed] = await store([
      simulatorEvent(call.providerCallId!, 'ringing'),
      simulatorEvent('SIMnosuchcall', 'ringing'),
      '{"id": "msg_broken", "status": "ringing"}',
    ]);

    const notAnEventId = "x'); DROP TABLE calls; --";
    const results = await processing.processBatch(
      jobsFor([good, unknownCall, malformed, notAnEventId]),
    );

    expect(results.get(good)).toBe('processed');
    expect(results.get(unknownCall)).toBeInstanceOf(CallNotFoundError);
    expect(results.get(malformed)).toBeInstanceOf(UnrecoverableError);
    expect(results.get(notAnEventId)).toBeInstanceOf(UnrecoverableError);
    expect((await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status).toBe(
      'ringing',
    );
    const states: { id: string; state: string }[] = await dataSource.query(
      'SELECT id, state FROM webhook_events WHERE id = ANY($1)',
      [[good, unknownCall, malformed]],
    );
    const stateOf = new Map(states.map((row) => [row.id, row.state]));
    expect(stateOf.get(good)).toBe('processed');
    // Left as they were: the processor records the failure and BullMQ retries (or dead-letters).
    expect(stateOf.get(unknownCall)).toBe('received');
    expect(stateOf.get(malformed)).toBe('received');
  });

  it('locks the calls the ingress named with the events, and finds the right call when the hint is wrong or absent', async () => {
    const attempts = 20;
    // Holds for every call this test places: 2 + 4 sequential + 3 per attempt (none is released).
    const users = await organizationWithUsRate(stack.api, BigInt(6 + 3 * attempts) * HOLD_PER_CALL);
    const [unnamed, malformed] = [await heldCall(users.agent), await heldCall(users.agent)];
    // The keys as the ingress reads them from these bodies (which echo no Switchboard call id).
    const keysOf = (call: Call): CallKeys => ({
      provider: 'simulator',
      callId: null,
      providerCallId: call.providerCallId!,
      parentProviderCallId: null,
    });
    const lockCalls = jest.spyOn(stack.worker.get(CallProgressService), 'lockCalls');
    // HOT_PATH_SIMPLE=callHint (an A/B's simpler form): hints are ignored, every call looked up.
    const hintsUsed = !stack.worker.get(AppConfig).simpleHotPath('callHint');
    try {
      // Sequential batches of one event each, the ingress's hint right: after the first batch on
      // a connection (which prepares the lock statement), no batch needs a lock statement of its own.
      const batches = 4;
      for (let i = 0; i < batches; i += 1) {
        const call = await heldCall(users.agent);
        const [eventId] = await store([simulatorEvent(call.providerCallId!, 'ringing')]);
        const results = await processing.processBatch([{ eventId, call: keysOf(call) }]);
        expect(results.get(eventId)).toBe('processed');
        expect((await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status).toBe(
          'ringing',
        );
      }
      if (hintsUsed) expect(lockCalls.mock.calls.length).toBeLessThan(batches);
      else expect(lockCalls).toHaveBeenCalledTimes(batches);

      // A right hint and a hint naming another (existing) call: only the wrongly hinted event's
      // call is looked up again, by what the stored event says. The hinted lock travels with the
      // events only on a pool connection that has prepared it (the worker's other jobs can hand a
      // batch a fresh connection, which then looks both up): tried until one has, at most `attempts`
      // times.
      const status = async (call: Call) =>
        (await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status;
      let lockedWithTheEvents = false;
      for (let attempt = 0; attempt < attempts && !lockedWithTheEvents; attempt += 1) {
        const [hinted, misnamed, bystander] = [
          await heldCall(users.agent),
          await heldCall(users.agent),
          await heldCall(users.agent),
        ];
        lockCalls.mockClear();
        const [right, wrong] = await store([
          simulatorEvent(hinted.providerCallId!, 'ringing'),
          simulatorEvent(misnamed.providerCallId!, 'ringing'),
        ]);
        const hintedResults = await processing.processBatch([
          { eventId: right, call: keysOf(hinted) },
          { eventId: wrong, call: keysOf(bystander) },
        ]);
        expect([...hintedResults.values()]).toEqual(['processed', 'processed']);
        expect(lockCalls).toHaveBeenCalledTimes(1);
        const lookedUp = lockCalls.mock.calls[0][1];
        if (hintsUsed && JSON.stringify(lookedUp) === JSON.stringify([keysOf(misnamed)]))
          lockedWithTheEvents = true;
        else expect(lookedUp).toEqual([keysOf(hinted), keysOf(misnamed)]);
        expect(await status(hinted)).toBe('ringing');
        expect(await status(misnamed)).toBe('ringing');
        // Named by a wrong hint, so locked for a moment, but no event was about it.
        expect(await status(bystander)).toBe('initiated');
        if (!hintsUsed) break;
      }
      expect(lockedWithTheEvents).toBe(hintsUsed);

      // No hint, and a malformed one (which must not fail the batch's statement).
      const [bare, garbled] = await store([
        simulatorEvent(unnamed.providerCallId!, 'ringing'),
        simulatorEvent(malformed.providerCallId!, 'ringing'),
      ]);
      const unhintedResults = await processing.processBatch([
        { eventId: bare },
        {
          eventId: garbled,
          call: {
            provider: 'skype',
            callId: 'not-a-uuid',
            providerCallId: 7,
          } as unknown as CallKeys,
        },
      ]);
      expect([...unhintedResults.values()]).toEqual(['processed', 'processed']);
    } finally {
      lockCalls.mockRestore();
    }
    const status = async (call: Call) =>
      (await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status;
    expect(await status(unnamed)).toBe('ringing');
    expect(await status(malformed)).toBe('ringing');
  });

  it('writes text with quotes, backslashes, commas and braces exactly', async () => {
    const users = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await heldCall(users.agent);
    const tricky = `https://r.example/a"b\\c,{d}'e\u00e9 NULL`;
    const oddStatus = `odd "st\\atus", {x} NULL`;
    const ids = await store([
      simulatorEvent(call.providerCallId!, 'ringing', { recording_url: tricky }),
      simulatorEvent(call.providerCallId!, oddStatus),
    ]);

    const results = await processing.processBatch(jobsFor(ids));

    expect([...results.values()]).toEqual(['processed', 'processed']);
    const after = await dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(after.status).toBe('ringing');
    expect(after.recordingUrl).toBe(tricky);
    const timeline: { raw_status: string; outcome: string; facts: Record<string, unknown> }[] =
      await dataSource.query(
        'SELECT raw_status, outcome, facts FROM call_events WHERE call_id = $1 ORDER BY received_at',
        [call.id],
      );
    expect(timeline).toEqual([
      // The provider's recording URL stays on the call (server side), out of the timeline.
      {
        raw_status: 'ringing',
        outcome: 'applied+enriched',
        facts: { recording: 'provided', stored: 'recording' },
      },
      { raw_status: oddStatus, outcome: 'unknown_status', facts: {} },
    ]);
  });

  it('retries a failed batch one event at a time, so one bad event fails only its own job', async () => {
    const users = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const [healthy, poisoned] = [await heldCall(users.agent), await heldCall(users.agent)];
    // The poisoned call's capture key is already taken: settling it must fail, loudly.
    await dataSource.query(
      `INSERT INTO ledger_transactions (organization_id, kind, idempotency_key, balance_change_micros,
              held_change_micros, balance_after_micros, held_after_micros)
       VALUES ($1, 'capture', $2, 0, 0, 0, 0)`,
      [users.agent.organizationId, `call:${poisoned.id}:capture`],
    );
    const ids = await store([
      simulatorEvent(healthy.providerCallId!, 'completed', { duration_seconds: 30 }),
      simulatorEvent(poisoned.providerCallId!, 'completed', { duration_seconds: 30 }),
    ]);
    await expect(processing.processBatch(jobsFor(ids))).rejects.toBeInstanceOf(
      DuplicateTransactionError,
    );

    const batcher = stack.worker.get(WebhookEventBatcher);
    const [healthyResult, poisonedResult] = await Promise.allSettled(
      ids.map((eventId) => batcher.process({ eventId })),
    );

    expect(healthyResult).toEqual({ status: 'fulfilled', value: 'processed' });
    expect(poisonedResult.status).toBe('rejected');
    expect((poisonedResult as PromiseRejectedResult).reason).toBeInstanceOf(
      DuplicateTransactionError,
    );
    const [healthyAfter, poisonedAfter] = await Promise.all(
      [healthy, poisoned].map((call) =>
        dataSource.getRepository(Call).findOneByOrFail({ id: call.id }),
      ),
    );
    expect(healthyAfter.status).toBe('completed');
    expect(healthyAfter.costMicros).toBe(60_000n);
    // Nothing of the poisoned call's batch was kept.
    expect(poisonedAfter.status).toBe('initiated');
    expect(poisonedAfter.costMicros).toBeNull();
    expect((await wallet(users.agent.organizationId)).heldMicros).toBe(HOLD_PER_CALL);
  });
});
