import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { SWEEP_WEBHOOK_EVENTS } from '../../src/modules/webhooks/maintenance.processor';
import { QueueName } from '../../src/queue/queue-name';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { startRedis, stopRedis } from '../support/redis-server';
import { createOrganization } from '../support/test-app';
import { eventually, freePort, RunningStack, startStack } from '../support/test-worker';

describe('maintenance schedules across a Redis that lost its data', () => {
  let stack: RunningStack;
  let redis: ChildProcess;
  let redisPort: number;
  let dataSource: DataSource;

  beforeAll(async () => {
    process.env.MAINTENANCE_SCHEDULE_CHECK_MS = '300';
    redisPort = await freePort();
    redis = await startRedis(redisPort); // no persistence: a restart empties it
    stack = await startStack({ REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    dataSource = stack.api.dataSource;
  }, 30_000);
  afterAll(async () => {
    delete process.env.MAINTENANCE_SCHEDULE_CHECK_MS;
    await stack.close();
    if (redis.exitCode === null) await stopRedis(redis);
  });

  it('the worker puts the sweeper back, and the sweeper processes the events stored during the outage', async () => {
    const queue = stack.worker.get<Queue>(getQueueToken(QueueName.Maintenance));
    expect(await queue.getJobScheduler(SWEEP_WEBHOOK_EVENTS)).toBeDefined();
    const { users } = await createOrganization(dataSource, ['admin']);
    const call = await dataSource.getRepository(Call).save({
      organizationId: users.admin.organizationId,
      agentId: users.admin.id,
      provider: 'simulator',
      providerCallId: `SIMsched${randomBytes(6).toString('hex')}`,
      toNumber: '+14155550100',
      status: 'initiated',
      metadata: {},
    } as Call);

    await stopRedis(redis);
    // Stored in PostgreSQL, never enqueued: only the sweeper can find it.
    const during = await postSimulatorWebhook(
      stack.api.baseUrl,
      simulatorEvent(call.providerCallId!, 'ringing'),
    );
    expect(during.status).toBe(200);
    redis = await startRedis(redisPort);
    // The sweeper leaves events younger than a minute to their job; this one is older.
    await dataSource.query(
      `UPDATE webhook_events SET received_at = now() - interval '2 minutes' WHERE dedupe_key LIKE $1`,
      [`%${call.providerCallId}%`],
    );

    await eventually(
      async () => queue.getJobScheduler(SWEEP_WEBHOOK_EVENTS),
      'the sweeper schedule back in the emptied Redis',
      20_000,
    );
    await eventually(
      async () =>
        (await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status ===
        'ringing',
      'the event stored during the outage to be processed',
      30_000,
    );
  }, 90_000);
});
