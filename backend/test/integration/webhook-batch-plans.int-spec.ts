import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dropDatabase } from '../../src/database/ensure-database';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { WebhookProcessingService } from '../../src/modules/webhooks/webhook-processing.service';
import { runDatabaseCli } from '../support/database-cli';
import { simulatorEvent } from '../support/provider-webhooks';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { HOLD_PER_CALL, organizationWithUsRate, placeHeldCall } from '../support/us-rate';

/**
 * The worker keeps each batch statement's generic plan for as long as its connection lives. A plan
 * made while webhook_events was small must not go on scanning the table once it has grown: this
 * needs a database of its own, where the table starts empty (the other test files share theirs).
 */
describe('webhook batches: plans made on an empty table (real PostgreSQL and Redis)', () => {
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  databaseUrl.pathname = `${databaseUrl.pathname}_plans`;
  let stack: RunningStack;
  let dataSource: DataSource;
  let processing: WebhookProcessingService;

  beforeAll(async () => {
    runDatabaseCli(['run'], { ...process.env, DATABASE_URL: databaseUrl.toString() });
    stack = await startStack({ DATABASE_URL: databaseUrl.toString() });
    dataSource = stack.api.dataSource;
    processing = stack.worker.get(WebhookProcessingService);
  });
  afterAll(async () => {
    await stack?.close();
    await dropDatabase(databaseUrl.toString());
  });

  /** Stores one simulator webhook as the ingress would, without queueing it; returns its id. */
  async function store(body: Record<string, unknown>): Promise<string> {
    const [row] = await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body)
       VALUES ('simulator', $1, '/api/webhooks/simulator', '{}', 'application/json', $2) RETURNING id`,
      [`test-${randomUUID()}`, JSON.stringify(body)],
    );
    return row.id;
  }

  /**
   * How many rows of webhook_events sequential scans have read, once the worker has reported
   * `updates` updated events. A backend reports its table statistics when it goes idle, at once if
   * it last reported more than a second before, else ten seconds later.
   */
  async function rowsScannedOnceUpdated(updates: number): Promise<number> {
    const { rows } = await eventually(async () => {
      const [row]: { seq_tup_read: string; n_tup_upd: string }[] = await dataSource.query(
        `SELECT seq_tup_read, n_tup_upd FROM pg_stat_user_tables WHERE relname = 'webhook_events'`,
      );
      return Number(row.n_tup_upd) >= updates && { rows: Number(row.seq_tup_read) };
    }, `the worker's statistics to report ${updates} updated webhook events`);
    return rows;
  }

  it('reaches the events by key after the table has grown, with the plans made while it was empty', async () => {
    const { agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    // Two calls, each told it rings: both batches send the same statements.
    const first = await placeHeldCall(stack.api, agent);
    const second = await placeHeldCall(stack.api, agent);

    // The first batch on an empty table: the worker's connection prepares its statements now.
    const ringing = await store(simulatorEvent(first.providerCallId!, 'ringing'));
    expect((await processing.processBatch([{ eventId: ringing }])).get(ringing)).toBe('processed');

    // The table grows far past the size those plans were made for (no ANALYZE to replan them),
    // and the second batch follows on the same connection (the pool closes one idle for 10 s).
    await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body, state)
       SELECT 'simulator', 'filler-' || n, '/api/webhooks/simulator', '{}', 'application/json', '{}', 'processed'
         FROM generate_series(1, 20000) AS n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100)); // so the worker reports at once

    const alsoRinging = await store(simulatorEvent(second.providerCallId!, 'ringing'));
    expect((await processing.processBatch([{ eventId: alsoRinging }])).get(alsoRinging)).toBe(
      'processed',
    );
    // A sequential scan would read all 20,000 rows (the first batch's could read a few).
    expect(await rowsScannedOnceUpdated(2)).toBeLessThan(20_000);
    const stored = await dataSource.getRepository(Call).findOneByOrFail({ id: second.id });
    expect(stored.status).toBe('ringing');
  });
});
