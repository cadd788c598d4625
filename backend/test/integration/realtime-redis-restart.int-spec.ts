import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { WebhookMaintenanceService } from '../../src/modules/webhooks/webhook-maintenance.service';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { startRedis, stopRedis } from '../support/redis-server';
import { connectSocket } from '../support/sockets';
import { createOrganization, loginAs, request } from '../support/test-app';
import { eventually, freePort, RunningStack, startStack } from '../support/test-worker';

describe('realtime guarantee across a Redis restart', () => {
  let stack: RunningStack;
  let redis: ChildProcess;
  let redisPort: number;
  let dataSource: DataSource;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    stack = await startStack({ REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    dataSource = stack.api.dataSource;
  }, 30_000);
  afterAll(async () => {
    await stack.close();
    if (redis.exitCode === null) await stopRedis(redis);
  });

  it('delivers the events of webhooks received while Redis was down once it is back (nothing is lost)', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const client = await connectSocket(
      stack.api.baseUrl,
      await loginAs(stack.api.baseUrl, users.admin),
    );
    const call = await dataSource.getRepository(Call).save({
      organizationId: users.admin.organizationId,
      agentId: users.admin.id,
      provider: 'simulator',
      providerCallId: `SIMredis${randomBytes(6).toString('hex')}`,
      toNumber: '+14155550100',
      status: 'initiated',
      metadata: {},
    } as Call);
    const statusesReceived = () =>
      client.events
        .filter((event) => event.event === 'call:updated' && event.payload.id === call.id)
        .map((event) => event.payload.status);

    await postSimulatorWebhook(stack.api.baseUrl, simulatorEvent(call.providerCallId!, 'ringing'));
    await eventually(
      async () => statusesReceived().includes('ringing'),
      'ringing before the outage',
    );

    await stopRedis(redis);
    // During the outage the ingress still answers at once: the webhooks are stored in PostgreSQL.
    const started = Date.now();
    const during = await Promise.all([
      postSimulatorWebhook(stack.api.baseUrl, simulatorEvent(call.providerCallId!, 'in_progress')),
      postSimulatorWebhook(
        stack.api.baseUrl,
        simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 30 }),
      ),
    ]);
    expect(during.map((response) => response.status)).toEqual([200, 200]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await request(stack.api.baseUrl, 'GET', '/health/ready')).status).toBe(503);

    redis = await startRedis(redisPort);
    await eventually(
      async () => (await request(stack.api.baseUrl, 'GET', '/health/ready')).status === 200,
      'the api to see Redis again',
      20_000,
    );
    // The sweeper (every 30 s in production) finds the stored events whose job never reached Redis.
    const sweeper = stack.worker.get(WebhookMaintenanceService);
    await eventually(
      async () => (await sweeper.sweep(0)) >= 0 && statusesReceived().includes('completed'),
      'the events after the outage',
      30_000,
    );

    // The two events stored during the outage are processed in either order; every change the
    // database applied was pushed to the client.
    const applied: { status: string }[] = await dataSource.query(
      `SELECT status FROM call_events WHERE call_id = $1 AND (applied OR outcome LIKE '%enriched') ORDER BY received_at`,
      [call.id],
    );
    expect(statusesReceived().sort()).toEqual(applied.map((row) => row.status).sort());
    expect(statusesReceived()[0]).toBe('ringing');
    expect((await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status).toBe(
      'completed',
    );
    client.close();
  }, 90_000);
});
