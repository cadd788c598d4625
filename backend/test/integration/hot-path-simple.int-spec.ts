import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { CallKeys } from '../../src/modules/calls/call-progress.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { WebhookProcessingService } from '../../src/modules/webhooks/webhook-processing.service';
import { simulatorEvent } from '../support/provider-webhooks';
import { RunningStack, startStack, startWorker } from '../support/test-worker';
import { HOLD_PER_CALL, organizationWithUsRate, placeHeldCall } from '../support/us-rate';

/** What one batch sends to PostgreSQL: simple queries as their text, prepared ones by their name. */
type Sent = { simple: string } | { prepared: string };

/**
 * HOT_PATH_SIMPLE (for A/B benchmarks) swaps each of three hot-path optimizations for its simpler
 * form. Each form must charge the call the same way, and send what it says it sends: the
 * optimizations are the calls locked in the events' round trip (the ingress's hint, as an EXECUTE
 * with literals) and the batch's write sent with the COMMIT.
 */
describe('the hot path and its simpler forms, HOT_PATH_SIMPLE (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    stack = await startStack({ MAX_CALL_SECONDS: '600' });
    dataSource = stack.api.dataSource;
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await stack.close();
  });

  /** A worker of its own with this setting, recording what each batch's connection is sent. */
  async function workerWith(simple: string) {
    const worker = await startWorker({ ...stack.env, HOT_PATH_SIMPLE: simple });
    workers.push(worker);
    const workerData = worker.get(DataSource);
    const batches: Sent[][] = [];
    const createQueryRunner = workerData.createQueryRunner.bind(workerData);
    jest.spyOn(workerData, 'createQueryRunner').mockImplementation((...args) => {
      const runner: QueryRunner = createQueryRunner(...args);
      const connect = runner.connect.bind(runner);
      runner.connect = async () => {
        const client = (await connect()) as PoolClient;
        const sent: Sent[] = [];
        batches.push(sent);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        const recording = (...args: unknown[]) => {
          const [first] = args;
          sent.push(
            typeof first === 'string'
              ? { simple: first }
              : { prepared: (first as { text: string }).text },
          );
          return query(...args);
        };
        Object.assign(client, { query: recording });
        const release = runner.release.bind(runner);
        runner.release = () => {
          Object.assign(client, { query });
          return release();
        };
        return client;
      };
      return runner;
    });
    return { processing: worker.get(WebhookProcessingService), batches };
  }

  /** Ends one held call with a `completed` webhook whose job names its call, as the ingress does. */
  async function endCall(processing: WebhookProcessingService): Promise<Call> {
    const { agent } = await organizationWithUsRate(stack.api, 10n * HOLD_PER_CALL);
    const call = await placeHeldCall(stack.api, agent);
    const [row] = await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body)
       VALUES ('simulator', $1, '/api/webhooks/simulator', '{}', 'application/json', $2) RETURNING id`,
      [
        `test-${randomUUID()}`,
        JSON.stringify(simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 30 })),
      ],
    );
    const hint: CallKeys = {
      provider: 'simulator',
      callId: null,
      providerCallId: call.providerCallId!,
      parentProviderCallId: null,
    };
    const results = await processing.processBatch([{ eventId: row.id, call: hint }]);
    expect([...results.values()]).toEqual(['processed']);
    return dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
  }

  /** The last batch of three, its connection having prepared every statement by then. */
  async function lastOfThree(simple: string): Promise<Sent[]> {
    const { processing, batches } = await workerWith(simple);
    for (let i = 0; i < 3; i += 1) {
      const call = await endCall(processing);
      expect(call.status).toBe('completed');
      expect(call.costMicros).toBe(60_000n); // 30 s billed as a first minute at 0.06/min
    }
    // Whatever else the worker runs on its own connections (schedulers) is not a batch.
    return batches
      .filter((sent) => 'simple' in sent[0] && /^BEGIN; SET LOCAL/.test(sent[0].simple))
      .at(-1)!;
  }
  let baseline: Promise<Sent[]> | undefined;
  const baseLength = async () => (await (baseline ??= lastOfThree(''))).length;

  const simpleTexts = (sent: Sent[]) => sent.flatMap((q) => ('simple' in q ? [q.simple] : []));
  const lockingCalls = (sent: Sent[]) =>
    sent.filter((q) => 'prepared' in q && q.prepared.includes('CROSS JOIN LATERAL')).length;

  it('by default locks the hinted call with the events and sends the write with the COMMIT', async () => {
    const sent = await (baseline ??= lastOfThree(''));
    const simple = simpleTexts(sent);
    expect(simple[0]).toMatch(/^BEGIN;[\s\S]*FROM webhook_events[\s\S]*;\nEXECUTE sb_\d+\(E'/);
    expect(simple.at(-1)).toMatch(/^EXECUTE sb_\d+\([\s\S]*\);\nCOMMIT$/);
    expect(lockingCalls(sent)).toBe(0);
  });

  it('literals: every statement parameterized and prepared on its own, then a bare COMMIT', async () => {
    const base = await baseLength();
    const sent = await lastOfThree('literals');
    expect(simpleTexts(sent).some((text) => text.includes('EXECUTE'))).toBe(false);
    expect(simpleTexts(sent).at(-1)).toBe('COMMIT');
    expect(lockingCalls(sent)).toBe(1);
    expect(sent).toHaveLength(base + 2);
  });

  it('callHint: the calls looked up from the parsed events in their own statement', async () => {
    const base = await baseLength();
    const sent = await lastOfThree('callHint');
    const simple = simpleTexts(sent);
    expect(simple[0]).not.toContain('EXECUTE');
    expect(lockingCalls(sent)).toBe(1);
    expect(simple.at(-1)).toMatch(/;\nCOMMIT$/);
    expect(sent).toHaveLength(base + 1);
  });

  it('commitWrites: the write in its own round trip, then a bare COMMIT', async () => {
    const base = await baseLength();
    const sent = await lastOfThree('commitWrites');
    expect(simpleTexts(sent)[0]).toMatch(/;\nEXECUTE sb_\d+\(E'/);
    expect(simpleTexts(sent).at(-1)).toBe('COMMIT');
    expect(sent).toHaveLength(base + 1);
  });
});
