import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { dropDatabase } from '../../src/database/ensure-database';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { connectSocket, RecordedSocket } from '../support/sockets';
import { request } from '../support/test-app';
import { eventually, freePort } from '../support/test-worker';

/**
 * `npm start` and `npm run cluster` as an operator runs them: the real scripts/start.mjs (with
 * --no-build: `npm test` has just built the backend) spawning the compiled api, worker and nginx, on a
 * database of their own (start.mjs migrates and seeds it). Faults are real signals to real processes.
 */
const ROOT = join(__dirname, '..', '..', '..');
const START = join(ROOT, 'scripts', 'start.mjs');
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const ADMIN = { email: 'admin@demo.test', password: 'switchboard-admin' };

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startScript(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [START, '--no-build', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Pids of every process the supervisor started, by name, from its log lines. */
function supervisedPids(output: string): Map<string, number[]> {
  const pids = new Map<string, number[]>();
  for (const [, name, pid] of output.matchAll(
    /\[supervisor\] (\S+) started(?: again)? \(pid (\d+)\)/g,
  ))
    pids.set(name, [...(pids.get(name) ?? []), Number(pid)]);
  return pids;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopScript(started: Started | undefined) {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill('SIGTERM');
  await Promise.race([started.exited, new Promise((resolve) => setTimeout(resolve, 12_000))]);
  for (const pid of [...supervisedPids(started.output()).values()].flat())
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  started.child.kill('SIGKILL');
}

async function waitForHttp(url: string, started: Started, timeoutMs = 200_000) {
  await eventually(
    async () => {
      if (started.child.exitCode !== null) throw new Error(`exited:\n${started.output()}`);
      return (await fetch(url)).status === 200;
    },
    `${url} (output so far:\n${started.output()})`,
    timeoutMs,
  );
}

/** A call of the demo organization, in `initiated`, for webhooks to move along. */
async function insertCall(databaseUrl: string, baseUrl: string) {
  const login = await request(baseUrl, 'POST', '/api/auth/login', { body: ADMIN });
  const { accessToken, user } = login.body;
  const call = { id: randomUUID(), providerCallId: `SIMproc${randomBytes(8).toString('hex')}` };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO calls (id, organization_id, agent_id, provider, provider_call_id, to_number, status)
       VALUES ($1, $2, $3, 'simulator', $4, '+14155550100', 'initiated')`,
      [call.id, user.organization.id, user.id, call.providerCallId],
    );
  } finally {
    await client.end();
  }
  return { ...call, token: accessToken as string };
}

/** A raw client that sends `head` (and maybe part of a body), then never sends another byte. */
function stalledClient(port: number, head: string, body?: Buffer) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined); // a reset is one way for the server to close it
  socket.on('close', () => (closed = true));
  socket.once('connect', () => {
    socket.write(head);
    if (body) socket.write(body);
  });
  return { received: () => received, closed: () => closed, destroy: () => socket.destroy() };
}

const chunked = (size: number) => {
  const data = Buffer.alloc(size, 32);
  return Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
};

describe('the supervisor (scripts/lib/supervisor.mjs)', () => {
  const node = (code: string) => ({
    command: process.execPath,
    args: ['-e', code],
    stdio: 'ignore' as const,
  });

  it('waits 1, 2, 4… times the first delay before each start of a process that keeps dying, up to a cap, and the first delay again after a stable run', async () => {
    const { DEFAULT_RESTART, nextRestartDelay } =
      await import('../../../scripts/lib/supervisor.mjs');
    const delays: number[] = [];
    let delay = 0;
    for (const ranMs of [100, 100, 100, 100, 100, 100, 100, 60_000, 100])
      delays.push((delay = nextRestartDelay(delay, ranMs)));
    expect(DEFAULT_RESTART).toEqual({
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      stableAfterMs: 60_000,
    });
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 1_000, 2_000]);
  });

  it('starts a process that dies again after those delays, with a log line each time', async () => {
    const { Supervisor } = await import('../../../scripts/lib/supervisor.mjs');
    const lines: string[] = [];
    // stableAfterMs far above what a process that exits at once can take, even on a loaded machine
    const supervisor = new Supervisor({
      log: (line: string) => lines.push(line),
      restart: { initialDelayMs: 50, maxDelayMs: 200, stableAfterMs: 120_000 },
    });
    const delays: number[] = [];
    supervisor.on('restart-scheduled', ({ delayMs }: { delayMs: number }) => delays.push(delayMs));
    supervisor.add({ name: 'flaky', ...node('process.exit(3)') });
    await eventually(async () => delays.length >= 4, 'four restarts', 60_000);
    await supervisor.stop();
    expect(delays.slice(0, 4)).toEqual([50, 100, 200, 200]);
    expect(lines.join('\n')).toMatch(
      /flaky \(pid \d+\) exited with code 3 after .* starting it again in 0\.1 s/,
    );
    expect(
      lines.filter((line) => /flaky started again \(pid \d+\)/.test(line)).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('stops every process: SIGTERM, then SIGKILL for one that ignores it past the deadline', async () => {
    const { Supervisor } = await import('../../../scripts/lib/supervisor.mjs');
    const supervisor = new Supervisor({ log: () => undefined, stopTimeoutMs: 500 });
    const exits: { name: string; signal: string | null; code: number | null }[] = [];
    supervisor.on('exit', (exit: { name: string; signal: string | null; code: number | null }) =>
      exits.push(exit),
    );
    supervisor.add({ name: 'polite', ...node('setInterval(() => {}, 1000)') });
    let ready = false;
    supervisor.add({
      name: 'stubborn',
      ...node(`process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)`),
      stdio: ['ignore', 'pipe', 'ignore'],
      onSpawn: (child: ChildProcess) => child.stdout!.once('data', () => (ready = true)),
    });
    await eventually(async () => supervisor.child('polite') && ready, 'both started');
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(exits.map(({ name, signal }) => [name, signal]).sort()).toEqual([
      ['polite', 'SIGTERM'],
      ['stubborn', 'SIGKILL'],
    ]);
    expect(supervisor.child('polite')).toBeUndefined();
  });
});

describe('npm start and npm run cluster: supervised processes (real PostgreSQL, Redis, nginx)', () => {
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  databaseUrl.pathname = `${databaseUrl.pathname}_procs`;
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_PREFIX: `${process.env.REDIS_PREFIX}_procs`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SIMULATOR_WEBHOOK_SECRET: SECRET,
    NODE_ENV: 'development',
  };
  let started: Started | undefined;

  afterEach(() => stopScript(started));
  afterAll(() => dropDatabase(databaseUrl.toString()));

  it('npm start: a SIGKILLed worker is started again while the api goes on accepting webhooks; SIGTERM stops everything within 10 s despite stalled clients', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    started = startScript([], { ...env, PORT: String(port), PUBLIC_BASE_URL: base });
    await waitForHttp(`${base}/health/ready`, started);
    await eventually(
      async () => supervisedPids(started!.output()).get('worker'),
      'the worker to start',
    );
    const [apiPid] = supervisedPids(started.output()).get('api')!;
    const [workerPid] = supervisedPids(started.output()).get('worker')!;
    const call = await insertCall(env.DATABASE_URL, base);

    process.kill(workerPid, 'SIGKILL');
    await eventually(async () => !alive(workerPid), 'the worker to die');
    // While no worker runs, the api stores and acknowledges every webhook.
    const statuses: number[] = [];
    for (const status of ['ringing', 'in_progress', 'completed']) {
      const extra = status === 'completed' ? { duration_seconds: 30 } : {};
      const event = simulatorEvent(call.providerCallId, status, extra);
      statuses.push((await postSimulatorWebhook(base, event, { secret: SECRET })).status);
    }
    for (let i = 0; i < 10; i += 1) {
      const late = simulatorEvent(call.providerCallId, 'ringing');
      statuses.push((await postSimulatorWebhook(base, late, { secret: SECRET })).status);
    }
    expect(statuses).toEqual(Array(13).fill(200));

    const restarted = await eventually(
      async () => supervisedPids(started!.output()).get('worker')?.[1],
      'the worker to be started again',
    );
    expect(restarted).not.toBe(workerPid);
    expect(started.output()).toMatch(
      new RegExp(
        `worker \\(pid ${workerPid}\\) exited with signal SIGKILL .*starting it again in 1\\.0 s`,
      ),
    );
    // The api never stopped: same process, never restarted.
    expect(alive(apiPid)).toBe(true);
    expect(supervisedPids(started.output()).get('api')).toEqual([apiPid]);
    // The new worker processes what arrived meanwhile.
    const final = await eventually(
      async () => {
        const response = await request(base, 'GET', `/api/calls/${call.id}`, { token: call.token });
        return response.body?.status === 'completed' ? response.body : null;
      },
      'the call to be completed by the restarted worker',
      60_000,
    );
    expect(final.durationSeconds).toBe(30);

    // Half-open connections: a client that sent the headers of a large body and stalls; one whose
    // declared body is over the limit (413 at once) and stalls; one sending a chunked body past the
    // limit (413 after 1 MB) and stalls; an open websocket.
    const stalled = stalledClient(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500000\r\n\r\n{"email":',
    );
    const declaredTooLarge = stalledClient(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 53000000\r\n\r\n',
      Buffer.alloc(64 * 1024, 32),
    );
    const chunkedTooLarge = stalledClient(
      port,
      'POST /api/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      Buffer.concat(Array.from({ length: 6 }, () => chunked(256 * 1024))),
    );
    const socket = await connectSocket(base, call.token);
    await eventually(
      async () =>
        declaredTooLarge.received().includes('413') && chunkedTooLarge.received().includes('413'),
      'the 413 answers',
    );
    // A 413 ends its connection: nothing waits for the rest of an upload that was refused.
    await eventually(
      async () => declaredTooLarge.closed() && chunkedTooLarge.closed(),
      'the 413 connections to close',
      5_000,
    );
    expect(stalled.closed()).toBe(false);

    const pids = [...supervisedPids(started.output()).values()].flat();
    const stopAt = Date.now();
    started.child.kill('SIGTERM');
    const result = await started.exited;
    const tookMs = Date.now() - stopAt;
    expect(result).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(10_000);
    expect(pids.filter(alive)).toEqual([]);
    expect(stalled.closed()).toBe(true);
    socket.close();
    stalled.destroy();
  }, 300_000);

  it('npm run cluster: 2 api + 2 workers behind nginx; a socket on api A (and one through nginx) sees a call whose webhooks went to api B; Ctrl-C stops it all', async () => {
    const clusterPort = await freePort();
    const nginxUrl = `http://127.0.0.1:${clusterPort}`;
    started = startScript(['--cluster'], { ...env, CLUSTER_PORT: String(clusterPort) });
    await waitForHttp(`${nginxUrl}/health/ready`, started);
    const apiUrls = [...started.output().matchAll(/\[cluster\] api-\d on (http:\/\/\S+)/g)].map(
      ([, url]) => url,
    );
    expect(apiUrls).toHaveLength(2);
    await Promise.all(apiUrls.map((url) => waitForHttp(`${url}/health/ready`, started!)));
    const names = [...supervisedPids(started.output()).keys()].sort();
    expect(names).toEqual(['api-1', 'api-2', 'nginx', 'worker-1', 'worker-2']);
    const [apiA, apiB] = apiUrls;

    const call = await insertCall(env.DATABASE_URL, nginxUrl);
    const sockets: RecordedSocket[] = [
      await connectSocket(apiA, call.token),
      // through nginx: the websocket upgrade is passed through
      await connectSocket(nginxUrl, call.token),
    ];
    for (const status of ['ringing', 'in_progress', 'completed']) {
      const extra = status === 'completed' ? { duration_seconds: 12 } : {};
      const event = simulatorEvent(call.providerCallId, status, extra);
      expect((await postSimulatorWebhook(apiB, event, { secret: SECRET })).status).toBe(200);
    }
    for (const socket of sockets)
      await eventually(
        async () =>
          socket.events.some(
            ({ event, payload }) =>
              event === 'call:updated' && payload.id === call.id && payload.status === 'completed',
          ),
        'call:updated (completed) on every socket',
        30_000,
      );
    sockets.forEach((socket) => socket.close());

    const nginxFiles = /\[cluster\] nginx on .* \(its files in (\S+)\)/.exec(started.output())?.[1];
    expect(nginxFiles && existsSync(nginxFiles)).toBe(true);
    const pids = [...supervisedPids(started.output()).values()].flat();
    const stopAt = Date.now();
    started.child.kill('SIGINT');
    const result = await started.exited;
    expect(result).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(nginxFiles!)).toBe(false);
  }, 300_000);
});
