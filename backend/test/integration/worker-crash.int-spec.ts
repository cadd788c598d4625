import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { createOrganization, RunningApi, startApi, TestUser } from '../support/test-app';
import { eventually, freePort } from '../support/test-worker';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');
// Enough events that a fast worker cannot finish them all between two polls of the test.
const CALLS = 400;
const STATUSES = ['ringing', 'in_progress', 'completed'];

describe('a worker killed with SIGKILL in the middle of a batch loses nothing (real processes)', () => {
  let api: RunningApi;
  let dataSource: DataSource;
  let owner: TestUser;
  const workers: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const port = await freePort();
    env = {
      ...process.env,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      // A job held by a dead worker is taken over after this lock expires.
      WEBHOOK_JOB_LOCK_MS: '1500',
      WEBHOOK_WORKER_CONCURRENCY: '2',
      LOG_LEVEL: 'silent',
    };
    api = await startApi(env as Record<string, string>, port);
    dataSource = api.dataSource;
    owner = (await createOrganization(dataSource, ['owner'] as UserRole[])).users.owner;
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await api.close();
  });

  const startWorkerProcess = () => {
    const worker = spawn(process.execPath, [WORKER], { env, stdio: 'ignore' });
    workers.push(worker);
    return worker;
  };
  const processedCount = async () =>
    Number(
      (
        await dataSource.query(
          `SELECT count(*) FROM webhook_events WHERE state = 'processed' AND organization_id = $1`,
          [owner.organizationId],
        )
      )[0].count,
    );

  it('processes every event exactly once after a new worker starts', async () => {
    const calls: Call[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      calls.push(
        await dataSource.getRepository(Call).save({
          organizationId: owner.organizationId,
          agentId: owner.id,
          provider: 'simulator',
          providerCallId: `SIMcrash${randomBytes(6).toString('hex')}`,
          direction: 'outbound',
          toNumber: '+14155550100',
          status: 'initiated',
          metadata: {},
        } as Call),
      );
    }
    // A backlog: every event is stored and queued before any worker runs.
    const eventIds: string[] = [];
    for (const call of calls) {
      for (const status of STATUSES) {
        const response = await postSimulatorWebhook(
          api.baseUrl,
          simulatorEvent(call.providerCallId!, status),
        );
        expect(response.status).toBe(200);
        eventIds.push(response.body.id);
      }
    }
    const total = eventIds.length;

    const first = startWorkerProcess();
    await eventually(
      async () => (await processedCount()) >= 20,
      'the first worker to process some events',
      30_000,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const processedWhenKilled = await processedCount();
    expect(processedWhenKilled).toBeLessThan(total); // it really died mid-batch

    startWorkerProcess();
    await eventually(
      async () => (await processedCount()) === total,
      `all ${total} events processed`,
      60_000,
    );

    const [{ entries, distinct }] = await dataSource.query(
      `SELECT count(*)::int AS entries, count(DISTINCT webhook_event_id)::int AS distinct
         FROM call_events WHERE webhook_event_id = ANY($1)`,
      [eventIds],
    );
    expect({ entries, distinct }).toEqual({ entries: total, distinct: total });
    const statuses = await dataSource.query(
      `SELECT status, count(*)::int AS n FROM calls WHERE organization_id = $1 GROUP BY status`,
      [owner.organizationId],
    );
    expect(statuses).toEqual([{ status: 'completed', n: CALLS }]);
  }, 120_000);
});
