import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ApiProcesses, startApiProcesses } from '../support/api-processes';
import { connectSocket, RecordedSocket } from '../support/sockets';
import { createOperator, createOrganization, loginAs, request } from '../support/test-app';
import { eventually } from '../support/test-worker';

type Recorded = RecordedSocket['events'][number];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the socket has received nothing for `ms` (events still in flight have landed). */
async function quiet(socket: RecordedSocket, ms = 1500): Promise<void> {
  const deadline = Date.now() + 15_000;
  let seen = socket.events.length;
  let since = Date.now();
  while (Date.now() - since < ms) {
    if (Date.now() > deadline) throw new Error('the socket never went quiet');
    await sleep(100);
    if (socket.events.length !== seen) {
      seen = socket.events.length;
      since = Date.now();
    }
  }
}

/** What would have been wrong for a non-admin to receive: another user's call, the organization's numbers. */
const adminOnly = (events: Recorded[], ownCallIds: string[]) =>
  events.filter(
    (event) =>
      ((event.event === 'call:created' || event.event === 'call:updated') &&
        !ownCallIds.includes(event.payload.id)) ||
      (event.event === 'metrics:updated' && event.payload.scope === 'organization'),
  );

const hasCall = (socket: RecordedSocket, callId: string) =>
  socket.events.some((event) => event.event === 'call:created' && event.payload.id === callId);

/** Resolves with the reason of the socket's next disconnection, or null if none comes in `ms`. */
const nextDisconnect = (socket: RecordedSocket, ms: number) =>
  new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    socket.socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });

describe("realtime: sockets follow their user's rights at once, on every api node (two api processes)", () => {
  let cluster: ApiProcesses;
  let dataSource: DataSource;
  let apiA: string;
  let apiB: string;
  const sockets: RecordedSocket[] = [];

  beforeAll(async () => {
    cluster = await startApiProcesses(2);
    [apiA, apiB] = cluster.urls;
    dataSource = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
  }, 120_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await dataSource?.destroy();
    await cluster?.close();
  });

  const connect = async (url: string, token: string) => {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  };

  /**
   * An organization whose owner acts through api A, an admin watching on api B, another agent, and
   * the admin whose rights change (created through the API like an admin would).
   */
  async function team() {
    const { users } = await createOrganization(dataSource, ['owner', 'admin', 'agent']);
    const ownerToken = await loginAs(apiA, users.owner);
    const password = 'target-password-1';
    const created = await request<{ id: string }>(apiA, 'POST', '/api/users', {
      token: ownerToken,
      body: {
        email: `target-${randomUUID()}@example.test`,
        name: 'Target',
        role: 'admin',
        password,
      },
    });
    expect(created.status).toBe(201);
    const target = { id: created.body.id, email: (created.body as any).email, password };
    return {
      ownerToken,
      agentToken: await loginAs(apiA, users.agent),
      observerToken: await loginAs(apiB, users.admin),
      target,
      targetToken: await loginAs(apiB, target),
    };
  }

  async function placeCall(url: string, token: string): Promise<string> {
    const response = await request<{ id: string }>(url, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'busy' },
    });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  /** The platform operator credits the organization of this token's user (a wallet:updated). */
  const topUp = async (token: string) => {
    const me = await request(apiA, 'GET', '/api/auth/me', { token });
    const operator = await loginAs(apiA, await createOperator(dataSource));
    expect(
      (
        await request(
          apiA,
          'POST',
          `/api/platform/organizations/${me.body.organization.id}/credits`,
          {
            token: operator,
            headers: { 'idempotency-key': randomUUID() },
            body: { amountMicros: '1000000', reason: 'Bank transfer' },
          },
        )
      ).status,
    ).toBe(201);
  };

  it('a deactivated admin’s socket on api B is closed at once and receives nothing more', async () => {
    const t = await team();
    const target = await connect(apiB, t.targetToken);
    const observer = await connect(apiB, t.observerToken);
    const before = await placeCall(apiA, t.agentToken);
    await eventually(
      async () => hasCall(target, before),
      "the admin's first event on api B",
      30_000,
    );
    await quiet(target);

    const disconnected = nextDisconnect(target, 3000);
    const patched = await request(apiA, 'PATCH', `/api/users/${t.target.id}`, {
      token: t.ownerToken,
      body: { active: false },
    });
    expect(patched.status).toBe(200);
    const mark = target.events.length;
    const observerMark = observer.events.length;

    await topUp(t.ownerToken);
    const after = await placeCall(apiA, t.agentToken);
    await eventually(async () => {
      const seen = observer.events.slice(observerMark).map((event) => event.event);
      return (
        hasCall(observer, after) &&
        seen.includes('wallet:updated') &&
        seen.includes('metrics:updated')
      );
    }, 'the observer on api B to receive the later events');
    await quiet(target, 1000);

    expect(target.events.slice(mark)).toEqual([]);
    expect(await disconnected).toBe('io server disconnect');
    // Reconnecting is refused: the middleware reads the user again.
    await expect(connectSocket(apiB, t.targetToken)).rejects.toThrow(
      'This account is no longer active',
    );
  }, 60_000);

  it('an admin demoted to agent leaves the admins’ events at once and still gets their own', async () => {
    const t = await team();
    const target = await connect(apiB, t.targetToken);
    const observer = await connect(apiB, t.observerToken);
    const before = await placeCall(apiA, t.agentToken);
    await eventually(
      async () => hasCall(target, before),
      "the admin's first event on api B",
      30_000,
    );
    await quiet(target);

    const disconnected = nextDisconnect(target, 3000);
    const patched = await request(apiA, 'PATCH', `/api/users/${t.target.id}`, {
      token: t.ownerToken,
      body: { role: 'agent' },
    });
    expect(patched.status).toBe(200);
    const reason = await disconnected;
    const mark = target.events.length;
    // The console reconnects by hand after a server-side disconnect (RealtimeService).
    target.socket.connect();
    await eventually(async () => target.socket.connected, 'the socket to reconnect');

    const other = await placeCall(apiA, t.agentToken);
    const own = await placeCall(apiA, t.targetToken);
    await eventually(
      async () => hasCall(observer, other) && hasCall(observer, own) && hasCall(target, own),
      'the calls on api B',
    );
    await quiet(target, 1500);
    expect(adminOnly(target.events.slice(mark), [own])).toEqual([]);
    await eventually(
      async () =>
        target.events
          .slice(mark)
          .some((event) => event.event === 'metrics:updated' && event.payload.scope === 'agent'),
      "the demoted admin's own numbers",
    );
    expect(reason).toBe('io server disconnect');
  }, 60_000);

  it('a session resumed after a demotion does not rejoin the admins’ room, nor replay its events', async () => {
    const t = await team();
    const target = await connect(apiB, t.targetToken);
    const observer = await connect(apiB, t.observerToken);
    // Resuming starts from the last event received: give the session one.
    const before = await placeCall(apiA, t.agentToken);
    await eventually(
      async () => hasCall(target, before),
      "the admin's first event on api B",
      30_000,
    );
    await quiet(target);

    // The transport drops (the server keeps the session, admins' room included) …
    target.socket.io.reconnection(false);
    const dropped = nextDisconnect(target, 5000);
    (target.socket.io.engine as unknown as { close(): void }).close();
    expect(await dropped).not.toBeNull();
    const mark = target.events.length;

    // … the admin is demoted meanwhile, and an admins' event is missed.
    expect(
      (
        await request(apiA, 'PATCH', `/api/users/${t.target.id}`, {
          token: t.ownerToken,
          body: { role: 'agent' },
        })
      ).status,
    ).toBe(200);
    const missed = await placeCall(apiA, t.agentToken);
    await eventually(async () => hasCall(observer, missed), 'the missed call on api B');

    target.socket.io.reconnection(true);
    target.socket.connect();
    await eventually(async () => target.socket.connected, 'the socket to come back');

    const later = await placeCall(apiA, t.agentToken);
    const own = await placeCall(apiA, t.targetToken);
    await eventually(
      async () => hasCall(observer, later) && hasCall(observer, own) && hasCall(target, own),
      'the later calls on api B',
    );
    await quiet(target, 1500);
    expect(adminOnly(target.events.slice(mark), [own])).toEqual([]);
    // Not resumed at all: the console reloads what it shows (RealtimeService's `resync`).
    expect(target.socket.recovered).toBe(false);
  }, 60_000);
});
