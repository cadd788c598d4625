#!/usr/bin/env node
// @ts-check
// End-to-end realtime latency: signed simulator webhooks POSTed to the api at a fixed rate →
// webhook_events → BullMQ → worker transaction → socket.io (Redis streams adapter) → a browser-like
// client connected to the api. Measures POST-sent → `call:updated` received, per webhook.
//   node bench/realtime-latency.mjs [--rate 500] [--seconds 10] [--warmup 5] [--api-nodes N] [--workers M]
// With --api-nodes N, N api processes share the database and the webhooks go to each in turn; the
// socket client stays on the first, so the other nodes' webhooks reach it through the Redis adapter.
// The first --warmup seconds at the same rate are not measured; the socket client runs on a thread
// of its own so that sending never delays a receipt, and requests go out through a lean HTTP
// client (bench/lib/raw-http.mjs) so that the load generator takes less of the CPU it shares.
// Needs `npm run build -w backend`. Prints figures; not part of npm test.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { percentile } from './lib/load.mjs';
import { RawHttpClient } from './lib/raw-http.mjs';
import {
  benchEnvironment,
  calibrate,
  cleanUp,
  fmt,
  machine,
  migrate,
  root,
  startProcess,
  stop,
  waitForHttp,
} from './lib/environment.mjs';
import { login } from './lib/api-session.mjs';
import { parseArgs } from './lib/args.mjs';
import { freePort } from './lib/private-services.mjs';
import { BENCH_SIMULATOR_SECRET, signSimulatorWebhook } from './lib/webhook-signing.mjs';

const args = parseArgs();
const RATE = args.number('rate', 500);
const SECONDS = args.number('seconds', 10);
// 5 s: after 2 s (1,000 webhooks at 500/s) the first measured seconds still ran at 2-3 times the
// median of the later ones (JIT, every pooled connection preparing its statements, heap growth).
const WARMUP_SECONDS = args.number('warmup', 5);
const SECRET = BENCH_SIMULATOR_SECRET;
const API_NODES = args.number('api-nodes', 1);
const WORKERS = args.number('workers', 1);
const PORT = 3903;
const base = `http://127.0.0.1:${PORT}`;
const ports = [PORT];
for (let i = 1; i < API_NODES; i += 1) ports.push(await freePort());

const env = {
  ...benchEnvironment('realtime'),
  PORT: String(PORT),
  PUBLIC_BASE_URL: base,
  SIMULATOR_WEBHOOK_SECRET: SECRET,
};
const calibration = await calibrate(env);
const apis = [];
const workers = [];
/** @type {Worker | undefined} */
let receiver;
try {
  migrate(env);
  spawnSync(process.execPath, [join(root, 'backend/dist/database/cli.js'), 'seed'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  for (const [i, port] of ports.entries())
    apis.push(
      startProcess(
        process.env.BENCH_API_SCRIPT ?? join(root, 'backend/dist/main.js'),
        { ...env, PORT: String(port) },
        `api-${i + 1}`,
      ),
    );
  for (let i = 0; i < WORKERS; i += 1)
    workers.push(
      startProcess(
        process.env.BENCH_WORKER_SCRIPT ?? join(root, 'backend/dist/worker.js'),
        env,
        `worker-${i + 1}`,
      ),
    );
  for (const port of ports) await waitForHttp(`http://127.0.0.1:${port}/health/live`);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the worker's start-up

  const { accessToken, user } = await login(base, 'admin@demo.test', 'switchboard-admin');

  // One call per webhook, so every webhook changes a call and is published.
  const warmupTotal = Math.round(RATE * WARMUP_SECONDS);
  const total = RATE * SECONDS;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const calls = Array.from({ length: warmupTotal + total }, () => ({
    id: randomUUID(),
    providerCallId: `SIMlat${randomUUID().replace(/-/g, '').slice(0, 20)}`,
  }));
  for (let i = 0; i < calls.length; i += 1000) {
    const chunk = calls.slice(i, i + 1000);
    /** @type {string[]} */
    const params = [];
    const values = chunk.map((call) => {
      params.push(call.id, call.providerCallId);
      return `($${params.length - 1}, '${user.organization.id}', '${user.id}', 'simulator', $${params.length}, '+14155550100', 'initiated')`;
    });
    await client.query(
      `INSERT INTO calls (id, organization_id, agent_id, provider, provider_call_id, to_number, status) VALUES ${values.join(', ')}`,
      params,
    );
  }
  await client.end();

  const socketThread = new Worker(new URL('./lib/socket-receiver.mjs', import.meta.url), {
    workerData: { base, token: accessToken },
  });
  receiver = socketThread;
  /**
   * The socket thread's next message of this type.
   * @param {string} type
   * @returns {Promise<{ type: string, count?: number, receivedAt?: [string, number][] }>}
   */
  const fromReceiver = (type) =>
    new Promise((resolve, reject) => {
      /** @param {{ type: string, message?: string }} message */
      const listen = (message) => {
        if (message.type === 'error') reject(new Error(`socket refused: ${message.message}`));
        else if (message.type === type) {
          socketThread.off('message', listen);
          resolve(message);
        }
      };
      socketThread.on('message', listen);
    });
  await fromReceiver('connected');
  const received = async () => {
    const reply = fromReceiver('count');
    socketThread.postMessage({ type: 'count' });
    return (await reply).count ?? 0;
  };

  const clients = ports.map((port) => new RawHttpClient({ host: '127.0.0.1', port }));
  let turn = 0;
  /** @param {{ id: string, providerCallId: string }} call */
  const post = (call) => {
    const http = clients[turn++ % clients.length];
    const id = `msg_${call.providerCallId}`;
    const body = JSON.stringify({
      id,
      call_id: call.providerCallId,
      switchboard_call_id: call.id,
      status: 'ringing',
      occurred_at: new Date().toISOString(),
    });
    return http.post(
      '/api/webhooks/simulator',
      { 'content-type': 'application/json', ...signSimulatorWebhook(SECRET, id, body) },
      body,
    );
  };

  /** POSTs one webhook per call at RATE; resolves with each call's send time and the errors. */
  const sendAtRate = async (/** @type {typeof calls} */ batch) => {
    /** @type {Map<string, number>} */
    const sentAt = new Map();
    const pending = [];
    let errors = 0;
    const started = performance.now();
    for (let i = 0; i < batch.length; i += 1) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      sentAt.set(batch[i].id, performance.timeOrigin + performance.now());
      pending.push(
        post(batch[i]).then((status) => {
          if (status !== 200) errors += 1;
        }),
      );
    }
    await Promise.all(pending);
    return { sentAt, errors };
  };
  /** @param {number} count @param {number} timeoutMs */
  const waitForEvents = async (count, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while ((await received()) < count && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
  };

  // Warm-up at the same rate (JIT, connection pools, prepared statements, caches), not measured.
  const warmup = await sendAtRate(calls.slice(0, warmupTotal));
  await waitForEvents(warmupTotal - warmup.errors, 10_000);
  const { sentAt, errors } = await sendAtRate(calls.slice(warmupTotal));
  await waitForEvents(warmupTotal - warmup.errors + total - errors, 30_000);
  clients.forEach((client) => client.destroy());
  const collected = fromReceiver('collected');
  socketThread.postMessage({ type: 'collect' });
  const receivedAt = new Map((await collected).receivedAt);
  /** @type {number[]} */
  const latencies = [];
  /** @type {number[][]} */
  const bySecond = Array.from({ length: SECONDS }, () => []); // by when the webhook was sent
  const firstSent = Math.min(...sentAt.values());
  for (const [callId, sent] of sentAt) {
    const arrived = receivedAt.get(callId);
    if (arrived === undefined) continue;
    const latency = arrived - sent;
    latencies.push(latency);
    bySecond[Math.min(SECONDS - 1, Math.floor((sent - firstSent) / 1000))].push(latency);
  }

  const sorted = Float64Array.from(latencies).sort();
  console.log(`\nRealtime latency (webhook POST → socket event) — ${machine()}`);
  console.log(calibration);
  console.log(
    `${RATE} webhooks/s for ${SECONDS} s; ${API_NODES} api process(es) taking the webhooks in turn, ${WORKERS} worker process(es), one socket client (own thread) on the first api; after ${WARMUP_SECONDS} s of warm-up at the same rate; all on this machine\n`,
  );
  console.log(
    `sent ${total}, ingress errors ${errors}, events received ${latencies.length}, missing ${total - errors - latencies.length}`,
  );
  console.log(
    `p50 ${fmt(percentile(sorted, 50))} ms · p90 ${fmt(percentile(sorted, 90))} ms · p99 ${fmt(percentile(sorted, 99))} ms · max ${fmt(sorted.at(-1))} ms`,
  );
  const secondP50 = bySecond.map((second) =>
    fmt(
      percentile(
        second.sort((a, b) => a - b),
        50,
      ),
    ),
  );
  console.log(`p50 of each second sent: ${secondP50.join(' · ')} ms`);
  console.log('targets: p50 ≤ 20 ms, p99 ≤ 150 ms at 500 webhooks/s');
} finally {
  await receiver?.terminate();
  for (const child of [...apis, ...workers]) await stop(child);
  await cleanUp(env);
}
