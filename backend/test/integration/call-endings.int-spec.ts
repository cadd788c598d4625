import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PLACEMENT_REFUSED } from '../../src/modules/calls/call-placement.service';
import {
  NEVER_CONFIRMED,
  WebhookMaintenanceService,
} from '../../src/modules/webhooks/webhook-maintenance.service';
import { WebhookProcessingService } from '../../src/modules/webhooks/webhook-processing.service';
import { serializeNormalizedEvent } from '../../src/modules/webhooks/stored-normalized-event';
import { ProviderApiStub } from '../fixtures/providers/provider-api-stub';
import { connectSocket, RecordedSocket } from '../support/sockets';
import { loginAs, request, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { HOLD_PER_CALL, organizationWithUsRate, placeHeldCall } from '../support/us-rate';

/**
 * Calls that never started (the provider refused them, or never confirmed them) end like every
 * other call: through the state machine, with a timeline row, call:updated, their hold released
 * and wallet:updated.
 */
describe('calls that never started (real PostgreSQL and Redis)', () => {
  const bolna = new ProviderApiStub();
  let stack: RunningStack;
  let dataSource: DataSource;
  let sockets: RecordedSocket[] = [];

  beforeAll(async () => {
    await bolna.start();
    stack = await startStack({
      MAX_CALL_SECONDS: '600',
      BOLNA_API_KEY: 'bolna-test-key',
      BOLNA_AGENT_ID: 'bolna-test-agent',
      BOLNA_WEBHOOK_SECRET: 'bolna-test-secret',
      BOLNA_API_BASE_URL: bolna.baseUrl,
    });
    dataSource = stack.api.dataSource;
  });
  afterEach(() => {
    for (const socket of sockets) socket.close();
    sockets = [];
  });
  afterAll(async () => {
    await stack.close();
    await bolna.stop();
  });

  async function watch(admin: TestUser): Promise<RecordedSocket> {
    const socket = await connectSocket(stack.api.baseUrl, await loginAs(stack.api.baseUrl, admin));
    sockets.push(socket);
    return socket;
  }

  async function timeline(callId: string) {
    return dataSource.query(
      `SELECT raw_status, status, applied, outcome, webhook_event_id IS NOT NULL AS from_event
         FROM call_events WHERE call_id = $1 ORDER BY occurred_at`,
      [callId],
    ) as Promise<Record<string, unknown>[]>;
  }

  /** The call:updated of this call that failed it, and the wallet:updated that released its hold. */
  async function failureEvents(socket: RecordedSocket, callId: string, balance: bigint) {
    return eventually(async () => {
      const updated = socket.events.find(
        ({ event, payload }) =>
          event === 'call:updated' && payload.id === callId && payload.status === 'failed',
      );
      const wallet = socket.events.find(
        ({ event, payload }) => event === 'wallet:updated' && payload.heldMicros === '0',
      );
      return updated && wallet && { updated: updated.payload, wallet: wallet.payload };
    }, `call:updated (failed) and wallet:updated (nothing held) for call ${callId}`).then(
      (seen) => {
        expect(seen.wallet).toEqual({
          balanceMicros: balance.toString(),
          heldMicros: '0',
          availableMicros: balance.toString(),
        });
        return seen.updated;
      },
    );
  }

  it('a call its provider never confirmed fails through a stored event, like any ending', async () => {
    const { admin, agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await placeHeldCall(stack.api, agent, { providerCallId: null });
    // Silent for an hour: older than any reconciliation threshold, and than other tests' calls.
    await dataSource.query(
      `UPDATE calls SET status_updated_at = now() - interval '1 hour' WHERE id = $1`,
      [call.id],
    );
    const socket = await watch(admin);

    await stack.worker.get(WebhookMaintenanceService).reconcile(1800);

    const updated = await failureEvents(socket, call.id, 10n * HOLD_PER_CALL);
    expect(updated.hangupReason).toBe('The provider never confirmed the call');
    await expect(timeline(call.id)).resolves.toEqual([
      {
        raw_status: NEVER_CONFIRMED,
        status: 'failed',
        applied: true,
        outcome: 'applied+enriched',
        from_event: true,
      },
    ]);
    const [stored]: { cost_micros: string; held: string }[] = await dataSource.query(
      `SELECT c.cost_micros, w.held_micros AS held FROM calls c JOIN wallets w ON w.organization_id = c.organization_id
        WHERE c.id = $1`,
      [call.id],
    );
    expect(stored).toEqual({ cost_micros: '0', held: '0' });

    // The next run finds it failed, and stores nothing more.
    await stack.worker.get(WebhookMaintenanceService).reconcile(1800);
    const [{ count }]: { count: string }[] = await dataSource.query(
      `SELECT count(*) FROM webhook_events WHERE dedupe_key = $1`,
      [`never-confirmed:${call.id}`],
    );
    expect(count).toBe('1');
  });

  it('a call its provider refused fails with a timeline row, call:updated and wallet:updated', async () => {
    const { admin, agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const socket = await watch(admin);
    bolna.answer({ status: 400, body: { message: 'recipient_phone_number is invalid' } });

    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: await loginAs(stack.api.baseUrl, agent),
      body: { provider: 'bolna', to: '+14155550123' },
    });

    expect(placed.status).toBe(502);
    const created = socket.events.find(({ event }) => event === 'call:created');
    const callId = created?.payload.id as string;
    expect(callId).toBeDefined();
    const updated = await failureEvents(socket, callId, 10n * HOLD_PER_CALL);
    expect(updated.hangupReason).toMatch(/recipient_phone_number is invalid/);
    await expect(timeline(callId)).resolves.toEqual([
      {
        raw_status: PLACEMENT_REFUSED,
        status: 'failed',
        applied: true,
        outcome: 'applied+enriched',
        from_event: false,
      },
    ]);
  });

  it('a string that looks like a bigint in a stored event stays a string through processing', async () => {
    const { agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await placeHeldCall(stack.api, agent);
    const [row]: { id: string }[] = await dataSource.query(
      `INSERT INTO webhook_events (provider, source, dedupe_key, url, headers, content_type, raw_body)
       VALUES ('simulator', 'reconciliation', $1, 'reconciliation:test', '{}', 'application/json', $2)
       RETURNING id`,
      [
        `test-${randomUUID()}`,
        serializeNormalizedEvent({
          dedupeKey: 'reconciled-123n',
          providerCallId: call.providerCallId!,
          callId: call.id,
          rawStatus: '404n',
          status: 'failed',
          occurredAt: new Date(),
          facts: { hangupReason: '123n', providerCostMicros: 7n, providerCurrency: 'USD' },
        }),
      ],
    );

    const results = await stack.worker
      .get(WebhookProcessingService)
      .processBatch([{ eventId: row.id }]);

    expect(results.get(row.id)).toBe('processed');
    const [stored]: Record<string, unknown>[] = await dataSource.query(
      `SELECT c.status, c.raw_status, c.hangup_reason, c.provider_cost_micros, e.raw_status AS timeline_status
         FROM calls c JOIN call_events e ON e.call_id = c.id WHERE c.id = $1`,
      [call.id],
    );
    expect(stored).toEqual({
      status: 'failed',
      raw_status: '404n',
      hangup_reason: '123n',
      provider_cost_micros: '7',
      timeline_status: '404n',
    });
  });
});
