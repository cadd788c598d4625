import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { JwtService } from '@nestjs/jwt';
import { jwtSecret } from '../support/test-secrets';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { User, UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { DashboardService } from '../../src/modules/dashboard/dashboard.service';
import { MetricsBroadcaster } from '../../src/modules/dashboard/metrics-broadcaster';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { connectSocket, RecordedSocket } from '../support/sockets';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { eventually, freePort, RunningStack, startStack } from '../support/test-worker';

const createCall = (dataSource: DataSource, agent: TestUser) =>
  dataSource.getRepository(Call).save({
    organizationId: agent.organizationId,
    agentId: agent.id,
    provider: 'simulator',
    providerCallId: `SIMrt${randomBytes(8).toString('hex')}`,
    direction: 'outbound',
    toNumber: '+14155550100',
    status: 'initiated',
    metadata: {},
  } as Call);

describe('realtime: authenticated organization rooms (real Redis streams adapter)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;

  beforeAll(async () => {
    stack = await startStack({ WEBHOOK_WORKER_CONCURRENCY: '16' });
    dataSource = stack.api.dataSource;
  });
  afterAll(() => stack.close());

  it('refuses a socket without a token, with a tampered token and with an expired token', async () => {
    const { users } = await createOrganization(dataSource, ['agent']);
    const token = await loginAs(stack.api.baseUrl, users.agent);
    await expect(connectSocket(stack.api.baseUrl, undefined)).rejects.toThrow(
      /Authentication required/,
    );
    await expect(connectSocket(stack.api.baseUrl, `${token.slice(0, -2)}xx`)).rejects.toThrow(
      /Invalid or expired access token/,
    );
    const expired = await new JwtService({ secret: jwtSecret() }).signAsync(
      { sub: users.agent.id, org: users.agent.organizationId, role: 'agent' },
      { expiresIn: -10 },
    );
    await expect(connectSocket(stack.api.baseUrl, expired)).rejects.toThrow(
      /Invalid or expired access token/,
    );
    const good = await connectSocket(stack.api.baseUrl, token);
    expect(good.socket.connected).toBe(true);
    good.close();
  });

  it('delivers every event of an organization to its 20 sockets and none of the other’s; agents see only their own calls', async () => {
    const orgs: {
      users: Record<UserRole, TestUser>;
      sockets: { user: TestUser; recorded: RecordedSocket }[];
      calls: Call[];
    }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { users } = await createOrganization(dataSource, ['owner', 'admin', 'agent']);
      const tokens = {
        admin: await loginAs(stack.api.baseUrl, users.admin),
        owner: await loginAs(stack.api.baseUrl, users.owner),
        agent: await loginAs(stack.api.baseUrl, users.agent),
      };
      const sockets: { user: TestUser; recorded: RecordedSocket }[] = [];
      for (let s = 0; s < 20; s += 1) {
        const role = s < 8 ? 'admin' : s < 12 ? 'owner' : 'agent';
        sockets.push({
          user: users[role],
          recorded: await connectSocket(stack.api.baseUrl, tokens[role]),
        });
      }
      // The owner also places calls: an agent must never see them.
      const calls: Call[] = [];
      for (let c = 0; c < 50; c += 1)
        calls.push(await createCall(dataSource, c % 2 === 0 ? users.agent : users.owner));
      orgs.push({ users, sockets, calls });
    }

    // 500 webhooks: per organization, 50 calls × (ringing, in_progress, completed, and two duplicates).
    const webhooks = orgs.flatMap(({ calls }) =>
      calls.flatMap((call) => {
        const ringing = simulatorEvent(call.providerCallId!, 'ringing');
        const completed = simulatorEvent(call.providerCallId!, 'completed', {
          duration_seconds: 12,
        });
        return [
          ringing,
          simulatorEvent(call.providerCallId!, 'in_progress'),
          completed,
          ringing,
          completed,
        ];
      }),
    );
    expect(webhooks).toHaveLength(500);
    const responses = await Promise.all(
      webhooks.map((body) => postSimulatorWebhook(stack.api.baseUrl, body)),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);

    const allIds = orgs.flatMap(({ calls }) => calls.map((call) => call.id));
    await eventually(
      async () => {
        const [{ pending }] = await dataSource.query(
          `SELECT count(*)::int AS pending FROM calls WHERE id = ANY($1) AND status <> 'completed'`,
          [allIds],
        );
        return pending === 0;
      },
      'every call to complete',
      30_000,
    );

    for (const [index, org] of orgs.entries()) {
      const ownIds = new Set(org.calls.map((call) => call.id));
      const otherIds = new Set(orgs[1 - index].calls.map((call) => call.id));
      // What was published: one call:updated per event that changed the call (applied or enriched).
      const published: { call_id: string; n: number }[] = await dataSource.query(
        `SELECT call_id, count(*)::int AS n FROM call_events
          WHERE call_id = ANY($1) AND (applied OR outcome LIKE '%enriched') GROUP BY call_id`,
        [[...ownIds]],
      );
      const expectedFor = (ids: Set<string>) =>
        published.filter((row) => ids.has(row.call_id)).reduce((sum, row) => sum + row.n, 0);
      const agentCallIds = new Set(
        org.calls.filter((call) => call.agentId === org.users.agent.id).map((call) => call.id),
      );

      await eventually(
        async () => {
          return org.sockets.every(({ user, recorded }) => {
            const updates = recorded.events.filter((event) => event.event === 'call:updated');
            const expected =
              user.role === 'agent' ? expectedFor(agentCallIds) : expectedFor(ownIds);
            return updates.length >= expected;
          });
        },
        'every socket to receive its events',
        15_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // and nothing more

      for (const { user, recorded } of org.sockets) {
        const updates = recorded.events.filter((event) => event.event === 'call:updated');
        const ids = updates.map((event) => event.payload.id as string);
        expect(ids.some((id) => otherIds.has(id))).toBe(false);
        if (user.role === 'agent') {
          expect(ids.every((id) => agentCallIds.has(id))).toBe(true);
          expect(updates).toHaveLength(expectedFor(agentCallIds));
        } else {
          expect(updates).toHaveLength(expectedFor(ownIds));
        }
        expect(
          updates.every((event) => typeof event.payload.status === 'string' && event.payload.to),
        ).toBe(true);
        // metrics:updated is coalesced: a handful, not one per webhook.
        const metrics = recorded.events.filter((event) => event.event === 'metrics:updated');
        expect(metrics.length).toBeGreaterThan(0);
        expect(metrics.length).toBeLessThan(40);
        expect(metrics.at(-1)!.payload.scope).toBe(
          user.role === 'agent' ? 'agent' : 'organization',
        );
      }
    }
    for (const org of orgs) for (const { recorded } of org.sockets) recorded.close();
  }, 90_000);

  it("sends an organization's metrics at most once a second across processes, and a later change after that second", async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const admin = await connectSocket(
      stack.api.baseUrl,
      await loginAs(stack.api.baseUrl, users.admin),
    );
    const metricsReceived = () =>
      admin.events.filter((event) => event.event === 'metrics:updated').length;
    // Both processes have a change for the organization at the same moment: one send.
    stack.api.app.get(MetricsBroadcaster).schedule(users.admin.organizationId);
    stack.worker.get(MetricsBroadcaster).schedule(users.admin.organizationId);
    await eventually(async () => metricsReceived() >= 1, 'the first metrics');
    const firstAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(metricsReceived()).toBe(1);
    // A change in the worker after that send is not lost: it is sent once the second has passed.
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a trailing send, if any, is done
    const before = metricsReceived();
    expect(before).toBeLessThanOrEqual(2);
    const changedAt = Date.now();
    stack.worker.get(MetricsBroadcaster).schedule(users.admin.organizationId);
    await eventually(async () => metricsReceived() === before + 1, 'the later metrics', 5000);
    expect(Date.now() - changedAt).toBeLessThan(1500);
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(1000);
    admin.close();
  });

  it('computes slow numbers less often, in every process: ten times as long apart as they took', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const organizationId = users.admin.organizationId;
    const admin = await connectSocket(
      stack.api.baseUrl,
      await loginAs(stack.api.baseUrl, users.admin),
    );
    const workerDashboard = stack.worker.get(DashboardService);
    const metrics = workerDashboard.metrics.bind(workerDashboard);
    const slow = jest
      .spyOn(workerDashboard, 'metrics')
      .mockImplementation(async (...args: Parameters<DashboardService['metrics']>) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return metrics(...args);
      });
    const received = () => admin.events.filter((event) => event.event === 'metrics:updated');
    try {
      stack.worker.get(MetricsBroadcaster).schedule(organizationId);
      await eventually(async () => received().length === 1, 'the first, slow, numbers');
      const firstAt = Date.now();
      // Changes right after, in both processes: nothing is computed for about 3 s (10 × 300 ms).
      stack.worker.get(MetricsBroadcaster).schedule(organizationId);
      stack.api.app.get(MetricsBroadcaster).schedule(organizationId);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(received()).toHaveLength(1);
      await eventually(async () => received().length === 2, 'the next numbers', 5000);
      expect(Date.now() - firstAt).toBeGreaterThanOrEqual(2500);
    } finally {
      slow.mockRestore();
      admin.close();
    }
  });

  it("computes an organization's metrics only while somebody watches it, in the process where the change happened", async () => {
    const watched = (await createOrganization(dataSource, ['admin'])).users.admin;
    const unwatched = (await createOrganization(dataSource, ['admin'])).users.admin;
    const apiMetrics = jest.spyOn(stack.api.app.get(DashboardService), 'metrics');
    const workerMetrics = jest.spyOn(stack.worker.get(DashboardService), 'metrics');
    try {
      const admin = await connectSocket(
        stack.api.baseUrl,
        await loginAs(stack.api.baseUrl, watched),
      );
      const calls = [
        await createCall(dataSource, watched),
        await createCall(dataSource, unwatched),
      ];
      for (const call of calls)
        await postSimulatorWebhook(
          stack.api.baseUrl,
          simulatorEvent(call.providerCallId!, 'ringing'),
        );
      await eventually(
        async () => admin.events.some((event) => event.event === 'metrics:updated'),
        "the watched organization's metrics",
      );
      await new Promise((resolve) => setTimeout(resolve, 1200)); // any late computation
      const organizationsComputed = (spy: typeof apiMetrics) =>
        spy.mock.calls.map(([organizationId]) => organizationId);
      // The webhooks were processed by the worker: it computed the numbers, not the api.
      expect(organizationsComputed(workerMetrics)).toContain(watched.organizationId);
      expect(organizationsComputed(apiMetrics)).toEqual([]);
      expect(organizationsComputed(workerMetrics)).not.toContain(unwatched.organizationId);
      // The calls were the admin's own: admins get the organization's numbers, no agent's.
      expect(workerMetrics.mock.calls.filter(([, agentId]) => agentId !== undefined)).toEqual([]);
      admin.close();
    } finally {
      apiMetrics.mockRestore();
      workerMetrics.mockRestore();
    }
  });

  it("computes an agent's own numbers only while that agent is connected", async () => {
    const { users } = await createOrganization(dataSource, ['admin', 'agent']);
    // A second agent of the organization, who never connects.
    const awayUser = await dataSource.getRepository(User).save({
      organizationId: users.agent.organizationId,
      email: `away-${randomBytes(4).toString('hex')}@example.test`,
      name: 'away agent',
      role: 'agent',
      passwordHash: 'never signs in',
    });
    const away: TestUser = { ...users.agent, id: awayUser.id, email: awayUser.email };
    const workerMetrics = jest.spyOn(stack.worker.get(DashboardService), 'metrics');
    try {
      const agent = await connectSocket(
        stack.api.baseUrl,
        await loginAs(stack.api.baseUrl, users.agent),
      );
      const admin = await connectSocket(
        stack.api.baseUrl,
        await loginAs(stack.api.baseUrl, users.admin),
      );
      const calls = [await createCall(dataSource, users.agent), await createCall(dataSource, away)];
      for (const call of calls)
        await postSimulatorWebhook(
          stack.api.baseUrl,
          simulatorEvent(call.providerCallId!, 'ringing'),
        );
      await eventually(
        async () =>
          agent.events.some(
            (event) => event.event === 'metrics:updated' && event.payload.scope === 'agent',
          ),
        "the agent's own numbers",
      );
      await new Promise((resolve) => setTimeout(resolve, 1200)); // any late computation
      const agentsComputed = workerMetrics.mock.calls.flatMap(([, agentId]) =>
        agentId === undefined ? [] : [agentId],
      );
      expect(agentsComputed).toContain(users.agent.id);
      expect(agentsComputed).not.toContain(away.id);
      expect(
        admin.events.some(
          (event) => event.event === 'metrics:updated' && event.payload.scope === 'organization',
        ),
      ).toBe(true);
      agent.close();
      admin.close();
    } finally {
      workerMetrics.mockRestore();
    }
  });

  it('does not compute the numbers of an agent whose call changed while the turn was being claimed', async () => {
    const { users } = await createOrganization(dataSource, ['admin', 'agent']);
    const organizationId = users.admin.organizationId;
    const absentAgentId = (
      await dataSource.getRepository(User).save({
        organizationId,
        email: `absent-${randomBytes(4).toString('hex')}@example.test`,
        name: 'absent agent',
        role: 'agent',
        passwordHash: 'never signs in',
      })
    ).id;
    const admin = await connectSocket(
      stack.api.baseUrl,
      await loginAs(stack.api.baseUrl, users.admin),
    );
    const broadcaster = stack.worker.get(MetricsBroadcaster);
    // The absent agent's call changes exactly while the first turn is in its Redis round trip.
    type Claim = (organizationId: string, agents: string[], intervalMs: number) => Promise<unknown>;
    const claimable = broadcaster as unknown as { claim: Claim };
    const claim = claimable.claim.bind(broadcaster);
    let claims = 0;
    const claimSpy = jest.spyOn(claimable, 'claim').mockImplementation((...args) => {
      claims += 1;
      if (claims === 1) broadcaster.schedule(organizationId, absentAgentId);
      return claim(...args);
    });
    const workerMetrics = jest.spyOn(stack.worker.get(DashboardService), 'metrics');
    try {
      broadcaster.schedule(organizationId);
      await eventually(
        async () => claims >= 2,
        'a second turn for the change made while claiming',
        5000,
      );
      await eventually(
        async () =>
          !(broadcaster as unknown as { pending: Map<string, { timer?: unknown }> }).pending.get(
            organizationId,
          )?.timer,
        'the second turn to end',
      );
      expect(workerMetrics.mock.calls.some(([, agentId]) => agentId === absentAgentId)).toBe(false);
      expect(admin.events.some((event) => event.event === 'metrics:updated')).toBe(true);
    } finally {
      claimSpy.mockRestore();
      workerMetrics.mockRestore();
      admin.close();
    }
  });

  it('ignores a client that tries to join another room', async () => {
    const a = (await createOrganization(dataSource, ['agent'])).users.agent;
    const b = (await createOrganization(dataSource, ['owner'])).users.owner;
    const socket = await connectSocket(stack.api.baseUrl, await loginAs(stack.api.baseUrl, a));
    socket.socket.emit('join', `org:${b.organizationId}`);
    socket.socket.emit('subscribe', { room: `admins:${b.organizationId}` });
    const call = await createCall(dataSource, b);
    await postSimulatorWebhook(stack.api.baseUrl, simulatorEvent(call.providerCallId!, 'ringing'));
    await eventually(
      async () =>
        (await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).status ===
        'ringing',
      'the call to ring',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.events.filter((event) => event.event === 'call:updated')).toEqual([]);
    socket.close();
  });
});

describe('realtime across processes: two api nodes and a worker', () => {
  const processes: ChildProcess[] = [];
  afterAll(() => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('delivers to a client on api A the events of a webhook posted to api B and processed by the worker', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const env = {
      ...process.env,
      LOG_LEVEL: 'silent',
      PUBLIC_BASE_URL: `http://127.0.0.1:${portB}`,
    };
    const start = (script: string, port?: number) => {
      const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', script)], {
        env: { ...env, ...(port ? { PORT: String(port) } : {}) },
        stdio: 'ignore',
      });
      processes.push(child);
    };
    start('main.js', portA);
    start('main.js', portB);
    start('worker.js');
    const apiA = `http://127.0.0.1:${portA}`;
    const apiB = `http://127.0.0.1:${portB}`;
    for (const url of [apiA, apiB]) {
      await eventually(
        async () => (await fetch(`${url}/health/ready`)).ok,
        `${url} to be ready`,
        30_000,
      );
    }

    const dataSource = await new DataSource(
      dataSourceOptions(process.env.DATABASE_URL!),
    ).initialize();
    try {
      const { users } = await createOrganization(dataSource, ['admin']);
      const client = await connectSocket(apiA, await loginAs(apiA, users.admin));
      const call = await createCall(dataSource, users.admin);
      expect(
        (await postSimulatorWebhook(apiB, simulatorEvent(call.providerCallId!, 'ringing'))).status,
      ).toBe(200);
      const received = await eventually(
        async () =>
          client.events.find(
            (event) => event.event === 'call:updated' && event.payload.id === call.id,
          ),
        'the event on api A',
        15_000,
      );
      expect(received.payload.status).toBe('ringing');
      client.close();
    } finally {
      await dataSource.destroy();
    }
  }, 60_000);
});

describe('realtime: connection-state recovery authenticates again', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('recovers a dropped connection, and refuses the recovery once the user is deactivated', async () => {
    const { users } = await createOrganization(stack.api.dataSource, ['admin', 'agent']);
    const client = await connectSocket(
      stack.api.baseUrl,
      await loginAs(stack.api.baseUrl, users.agent),
    );

    // Recovery resumes from the last event the client received: give it one.
    const agentToken = await loginAs(stack.api.baseUrl, users.agent);
    await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: agentToken,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'busy' },
    });
    await eventually(
      async () => client.events.some((event) => event.event === 'call:created'),
      'a first event',
    );

    // A transport drop: the client reconnects and the server restores its session (rooms included).
    (client.socket.io.engine as unknown as { close(): void }).close();
    await eventually(
      async () => client.socket.connected && client.socket.recovered,
      'a recovered session',
    );

    // Dropped again, and deactivated meanwhile (a connected socket would be disconnected at once,
    // see realtime-access.int-spec.ts): the session is not resumed, and the middleware refuses.
    client.socket.io.reconnection(false);
    const dropped = new Promise((resolve) => client.socket.once('disconnect', resolve));
    (client.socket.io.engine as unknown as { close(): void }).close();
    await dropped;
    const admin = await loginAs(stack.api.baseUrl, users.admin);
    await request(stack.api.baseUrl, 'PATCH', `/api/users/${users.agent.id}`, {
      token: admin,
      body: { active: false },
    });
    const refused = new Promise<Error>((resolve) => client.socket.once('connect_error', resolve));
    client.socket.io.reconnection(true);
    client.socket.connect();
    expect((await refused).message).toBe('This account is no longer active');
    client.close();
  });
});
