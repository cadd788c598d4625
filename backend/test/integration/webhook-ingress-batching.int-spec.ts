import { getQueueToken } from '@nestjs/bullmq';
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, In } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { simulatorSecret } from '../support/test-secrets';
import { standardWebhookHeaders } from '../../src/modules/providers/simulator/simulator-signature';
import { WebhookEvent } from '../../src/modules/webhooks/entities/webhook-event.entity';
import {
  IngressRow,
  MAX_BATCH_ROWS,
  WebhookEventWriter,
} from '../../src/modules/webhooks/webhook-event-writer';
import { ENQUEUE_TIMEOUT_MS } from '../../src/modules/webhooks/webhook-enqueuer';
import { ProcessWebhookEventJob } from '../../src/modules/webhooks/webhook-job';
import { QueueName } from '../../src/queue/queue-name';
import type { Queue } from 'bullmq';
import { postSimulatorWebhook, PostResult, simulatorEvent } from '../support/provider-webhooks';
import { RunningApi, startApi } from '../support/test-app';
import { startRedis, stopRedis } from '../support/redis-server';
import { eventually, freePort } from '../support/test-worker';

/** POSTs raw bytes to the simulator ingress, signed (or not) like the simulator signs them. */
async function postRaw(
  baseUrl: string,
  raw: string,
  options: { secret?: string } = {},
): Promise<PostResult> {
  const response = await fetch(`${baseUrl}/api/webhooks/simulator`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...standardWebhookHeaders(options.secret ?? simulatorSecret(), `msg_${randomUUID()}`, raw),
    },
    body: raw,
  });
  return { status: response.status, body: await response.json() };
}

const row = (dedupeKey: string, overrides: Partial<IngressRow> = {}): IngressRow => ({
  provider: 'simulator',
  dedupeKey,
  url: '/api/webhooks/simulator',
  headers: JSON.stringify({ 'content-type': 'application/json' }),
  contentType: 'application/json',
  rawBody: JSON.stringify({ id: dedupeKey }),
  state: 'received',
  lastError: null,
  ...overrides,
});

/**
 * The ingress writes the rows of concurrent requests with one multi-row INSERT per batch and
 * enqueues them with one addBulk. Only the api runs here (no worker), on a Redis prefix of its own,
 * so every job the ingress enqueued is still waiting in the queue to be counted.
 */
describe('webhook ingress batching (real PostgreSQL and Redis)', () => {
  let api: RunningApi;
  let dataSource: DataSource;
  let queue: Queue<ProcessWebhookEventJob>;
  let writer: WebhookEventWriter;

  beforeAll(async () => {
    api = await startApi({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}_batching` });
    dataSource = api.dataSource;
    queue = api.app.get(getQueueToken(QueueName.WebhookEvents));
    writer = api.app.get(WebhookEventWriter);
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await api.close();
  });

  const eventsWithKeys = (keys: string[]) =>
    dataSource.getRepository(WebhookEvent).findBy({ provider: 'simulator', dedupeKey: In(keys) });

  /** Counts the INSERTs into webhook_events sent while `run` runs. */
  async function countingInserts<T>(
    run: () => Promise<T>,
  ): Promise<{ result: T; inserts: number }> {
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    const spy = jest.spyOn(pool, 'query');
    try {
      const result = await run();
      const inserts = spy.mock.calls.filter(([text]) =>
        String(text).startsWith('INSERT INTO webhook_events'),
      ).length;
      return { result, inserts };
    } finally {
      spy.mockRestore();
    }
  }

  it('stores 120 concurrent distinct webhooks once each, answers each with its own id and enqueues each once under that id', async () => {
    const events = Array.from({ length: 120 }, () => simulatorEvent('SIMbatch', 'ringing'));
    const before = await queue.getJobCounts('waiting');
    const responses = await Promise.all(
      events.map((event) => postSimulatorWebhook(api.baseUrl, event)),
    );

    expect(responses.map((response) => response.status)).toEqual(events.map(() => 200));
    expect(responses.every((response) => response.body.duplicate === false)).toBe(true);
    const ids = responses.map((response) => response.body.id as string);
    expect(new Set(ids).size).toBe(events.length);

    const stored = await eventsWithKeys(events.map((event) => event.id));
    expect(stored).toHaveLength(events.length);
    const idOfKey = new Map(stored.map((event) => [event.dedupeKey, event.id]));
    // Every request got the id of the row holding its own webhook, not a neighbour's.
    events.forEach((event, i) => expect(idOfKey.get(event.id)).toBe(ids[i]));
    expect(stored.every((event) => event.state === 'received')).toBe(true);

    const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
    expect(jobs.map((job) => job?.data.eventId)).toEqual(ids);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(before.waiting + events.length);
  });

  it('turns the same webhook sent 20 times at once into one row and one job; all 20 answered 200', async () => {
    const event = simulatorEvent('SIMsame', 'ringing');
    const before = await queue.getJobCounts('waiting');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postSimulatorWebhook(api.baseUrl, event)),
    );

    expect(responses.every((response) => response.status === 200)).toBe(true);
    const fresh = responses.filter((response) => response.body.duplicate === false);
    expect(fresh).toHaveLength(1);
    expect(
      responses.filter((response) => response.body.duplicate === true && response.body.id === null),
    ).toHaveLength(19);
    const stored = await eventsWithKeys([event.id]);
    expect(stored.map((stored) => stored.id)).toEqual([fresh[0].body.id]);
    expect((await queue.getJob(fresh[0].body.id))?.data.eventId).toBe(fresh[0].body.id);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(before.waiting + 1);
  });

  it('answers each request of a mixed burst on its own: good ones 200 and queued, malformed 400 kept as rejected, forged 403 with no row', async () => {
    const good = Array.from({ length: 10 }, () => simulatorEvent('SIMmixed', 'ringing'));
    const malformed = {
      id: `msg_malformed_${randomUUID()}`,
      call_id: 'SIMmixed',
      status: 'ringing',
    }; // no occurred_at
    const forged = simulatorEvent('SIMmixed', 'completed');
    const before = await queue.getJobCounts('waiting');
    const rejectedBefore = await dataSource
      .getRepository(WebhookEvent)
      .countBy({ state: 'rejected' });

    const [bad, wrong, ...ok] = await Promise.all([
      postRaw(api.baseUrl, JSON.stringify(malformed)),
      postSimulatorWebhook(api.baseUrl, forged, {
        secret: `whsec_${Buffer.from('not-the-secret').toString('base64')}`,
      }),
      ...good.map((event) => postSimulatorWebhook(api.baseUrl, event)),
    ]);

    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('simulator webhook: occurred_at is missing or not a string');
    expect(wrong.status).toBe(403);
    expect(ok.map((response) => response.status)).toEqual(good.map(() => 200));

    const rejected = await dataSource.getRepository(WebhookEvent).findBy({ state: 'rejected' });
    expect(rejected).toHaveLength(rejectedBefore + 1);
    const kept = rejected.find((event) => event.rawBody.includes(malformed.id))!;
    expect(kept.lastError).toBe('simulator webhook: occurred_at is missing or not a string');
    expect(await queue.getJob(kept.id)).toBeUndefined();
    expect(await eventsWithKeys([forged.id])).toHaveLength(0);
    expect(await eventsWithKeys(good.map((event) => event.id))).toHaveLength(good.length);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(before.waiting + good.length);
  });

  describe('WebhookEventWriter', () => {
    it('writes rows handed to it in the same turn with one INSERT, and maps each returned id to its row', async () => {
      const keys = Array.from({ length: 30 }, () => `msg_writer_${randomUUID()}`);
      const [existing] = keys;
      const existingId = await writer.insert(row(existing));
      expect(existingId).toEqual(expect.any(String));

      // The same new key twice in one statement, and a key already stored: ON CONFLICT DO NOTHING
      // inserts the first and skips the others.
      const twice = keys[1];
      const { result, inserts } = await countingInserts(() =>
        Promise.all([...keys, twice].map((key) => writer.insert(row(key)))),
      );

      expect(inserts).toBe(1);
      expect(result[0]).toBeNull(); // already stored
      expect(result[1]).toEqual(expect.any(String));
      expect(result.at(-1)).toBeNull(); // same key as result[1], later in the batch
      const stored = await eventsWithKeys(keys);
      expect(stored).toHaveLength(keys.length);
      const idOfKey = new Map(stored.map((event) => [event.dedupeKey, event.id]));
      expect(idOfKey.get(existing)).toBe(existingId);
      keys.slice(1).forEach((key, i) => expect(result[i + 1]).toBe(idOfKey.get(key)));
    });

    it(`splits more than ${MAX_BATCH_ROWS} rows into several INSERTs and stores them all`, async () => {
      const keys = Array.from({ length: MAX_BATCH_ROWS * 2 + 5 }, () => `msg_big_${randomUUID()}`);
      const { result, inserts } = await countingInserts(() =>
        Promise.all(keys.map((key) => writer.insert(row(key)))),
      );
      expect(inserts).toBe(3);
      expect(new Set(result).size).toBe(keys.length);
      expect(result.every((id) => typeof id === 'string')).toBe(true);
      expect(await eventsWithKeys(keys)).toHaveLength(keys.length);
    });

    it('lets two batches in flight that share keys in opposite orders wait for each other instead of deadlocking', async () => {
      const prefix = `msg_order_${randomUUID()}`;
      const [a, b, held] = [`${prefix}-a`, `${prefix}-b`, `${prefix}-k`];
      const lockWaiters = async () =>
        Number(
          (
            await dataSource.query(
              `SELECT count(*) AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          )[0].n,
        );
      // Another transaction has stored `held` and not committed yet: the first batch waits on it.
      const other = dataSource.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      try {
        await other.query(
          `INSERT INTO webhook_events (provider, dedupe_key, url, headers, raw_body)
           VALUES ('simulator', $1, '/', '{}', '')`,
          [held],
        );
        const { result, inserts } = await countingInserts(async () => {
          const first = [a, held, b].map((key) => writer.insert(row(key)));
          await eventually(async () => (await lockWaiters()) === 1, 'the first batch to wait');
          const second = [b, a].map((key) => writer.insert(row(key)));
          await eventually(async () => (await lockWaiters()) === 2, 'the second batch to wait');
          await other.commitTransaction();
          return Promise.all([...first, ...second]);
        });

        // Neither INSERT failed (a deadlock aborts one, and its rows are then written one by one).
        expect(inserts).toBe(2);
        const stored = await eventsWithKeys([a, b]);
        const idOfKey = new Map(stored.map((event) => [event.dedupeKey, event.id]));
        expect(result).toEqual([idOfKey.get(a), null, idOfKey.get(b), null, null]);
      } finally {
        if (other.isTransactionActive) await other.rollbackTransaction();
        await other.release();
      }
    });

    it('fails only the bad row when one row of a batch cannot be stored; the others are stored', async () => {
      const keys = Array.from({ length: 8 }, () => `msg_poison_${randomUUID()}`);
      const poisoned = keys[3];
      const outcomes = await Promise.allSettled(
        keys.map((key) =>
          // PostgreSQL text cannot hold a NUL character: the whole multi-row INSERT fails.
          writer.insert(row(key, key === poisoned ? { rawBody: 'nul \u0000 byte' } : {})),
        ),
      );

      expect(outcomes.map((outcome) => outcome.status)).toEqual(
        keys.map((key) => (key === poisoned ? 'rejected' : 'fulfilled')),
      );
      const stored = await eventsWithKeys(keys);
      expect(stored.map((event) => event.dedupeKey).sort()).toEqual(
        keys.filter((key) => key !== poisoned).sort(),
      );
    });
  });

  it('keeps a body with a NUL character (which PostgreSQL text cannot hold) as rejected, with U+FFFD in its place, and answers 400', async () => {
    const raw = '{"id": "msg_nul", "status": "ring\u0000ing"';
    expect(raw).toContain('\u0000');
    const response = await postRaw(api.baseUrl, raw);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/JSON/i);
    const [stored] = await dataSource.query(
      `SELECT state, raw_body FROM webhook_events WHERE raw_body = $1`,
      [raw.replace('\u0000', '\uFFFD')],
    );
    expect(stored).toEqual({ state: 'rejected', raw_body: raw.replace('\u0000', '\uFFFD') });
  });

  it('stores a webhook whose id carries an escaped NUL, with U+FFFD in its dedupe key', async () => {
    const event = { ...simulatorEvent('SIMnul', 'ringing'), id: `msg_${randomUUID()}\u0000x` };
    const response = await postSimulatorWebhook(api.baseUrl, event, {
      webhookId: `msg_${randomUUID()}`, // a header cannot carry the NUL
    });
    expect(response.status).toBe(200);
    const [stored] = await eventsWithKeys([event.id.replace('\u0000', '\uFFFD')]);
    expect(stored.id).toBe(response.body.id);
  });
});

describe('webhook ingress batching while Redis is down', () => {
  let api: RunningApi;
  let redis: ChildProcess;

  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port); // private: stopping it disturbs nothing else
    api = await startApi({ REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await api.close();
    await stopRedis(redis);
  });

  it('stores every webhook of a burst and answers 200; the sweeper enqueues them later', async () => {
    await stopRedis(redis);
    const events = Array.from({ length: 30 }, () => simulatorEvent('SIMnoredis', 'ringing'));
    const responses = await Promise.all(
      events.map((event) => postSimulatorWebhook(api.baseUrl, event)),
    );

    expect(responses.map((response) => response.status)).toEqual(events.map(() => 200));
    const stored = await api.dataSource.getRepository(WebhookEvent).findBy({
      provider: 'simulator',
      dedupeKey: In(events.map((event) => event.id)),
    });
    expect(stored.map((event) => event.id).sort()).toEqual(
      responses.map((response) => response.body.id).sort(),
    );
    expect(stored.every((event) => event.state === 'received')).toBe(true);
  });
});

describe('webhook ingress when Redis was never reachable', () => {
  let api: RunningApi;

  beforeAll(async () => {
    // Nothing listens on this port: the api starts without ever reaching Redis.
    api = await startApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => api.close());

  it('stores the webhook and answers 200 once the enqueue gives up, instead of hanging', async () => {
    const event = simulatorEvent('SIMneverredis', 'ringing');
    const started = Date.now();
    const response = await postSimulatorWebhook(api.baseUrl, event);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(ENQUEUE_TIMEOUT_MS + 3000);
    const stored = await api.dataSource
      .getRepository(WebhookEvent)
      .findOneByOrFail({ provider: 'simulator', dedupeKey: event.id });
    expect(stored).toMatchObject({ id: response.body.id, state: 'received' });
  }, 20_000);
});
