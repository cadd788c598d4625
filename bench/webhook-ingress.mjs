#!/usr/bin/env node
// Webhook ingress throughput and acknowledgement latency: Switchboard's real ingress (verify the
// Standard Webhooks signature, parse, INSERT into webhook_events, enqueue on BullMQ, 200) against a
// bare Fastify route doing only the same INSERT, in the same run, on the same database.
//   node bench/webhook-ingress.mjs [--seconds 10] [--concurrency 32] [--rate 1000]
// Needs `npm run build -w backend`. Prints figures; not part of npm test.
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { closedLoop, openLoop } from './lib/load.mjs';
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

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (pairs, arg, i, all) =>
        arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs,
      [],
    ),
);
const seconds = Number(args.seconds ?? 10);
const concurrency = Number(args.concurrency ?? 32);
const rate = Number(args.rate ?? 1000);
const SECRET = `whsec_${Buffer.from('switchboard-simulator-development-secret').toString('base64')}`;

function signedWebhook() {
  const id = `msg_${randomUUID()}`;
  const body = JSON.stringify({
    id,
    call_id: `SIMbench${id.slice(4, 16)}`,
    status: 'ringing',
    occurred_at: new Date().toISOString(),
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${signature}`,
    },
  };
}

async function measure(label, url) {
  await closedLoop({ url, next: signedWebhook, concurrency, durationMs: 2000 }); // warm-up
  const max = await closedLoop({
    url,
    next: signedWebhook,
    concurrency,
    durationMs: seconds * 1000,
  });
  const fixed = await openLoop({
    url,
    next: signedWebhook,
    ratePerSecond: rate,
    durationMs: seconds * 1000,
  });
  return { label, max, fixed };
}

const env = benchEnvironment('ingress');
const calibration = await calibrate(env);
const switchboardPort = 3901;
const barePort = 3902;
let api;
let bare;
try {
  migrate(env);
  api = startProcess(
    process.env.BENCH_API_SCRIPT ?? join(root, 'backend/dist/main.js'),
    { ...env, PORT: String(switchboardPort), SIMULATOR_WEBHOOK_SECRET: SECRET },
    'api',
  );
  bare = startProcess(
    join(root, 'bench/bare-ingress.mjs'),
    { ...env, PORT: String(barePort) },
    'bare',
  );
  await waitForHttp(`http://127.0.0.1:${switchboardPort}/health/live`);
  await waitForHttp(`http://127.0.0.1:${barePort}/`);

  const results = [
    await measure(
      'switchboard ingress',
      `http://127.0.0.1:${switchboardPort}/api/webhooks/simulator`,
    ),
    await measure('bare Fastify + INSERT', `http://127.0.0.1:${barePort}/api/webhooks/simulator`),
  ];

  console.log(`\nWebhook ingress — ${machine()}`);
  console.log(calibration);
  console.log(
    `closed loop: ${concurrency} connections for ${seconds} s; open loop: ${rate}/s for ${seconds} s; one api process; load generator on the same machine\n`,
  );
  console.log(
    'target                  | max webhooks/s | p50 ms | p99 ms || at fixed rate: achieved/s | p50 ms | p99 ms | errors',
  );
  for (const { label, max, fixed } of results) {
    console.log(
      `${label.padEnd(23)} | ${fmt(max.perSecond, 0).padStart(14)} | ${fmt(max.p50, 2).padStart(6)} | ${fmt(max.p99, 2).padStart(6)} || ${fmt(fixed.perSecond, 0).padStart(25)} | ${fmt(fixed.p50, 2).padStart(6)} | ${fmt(fixed.p99, 2).padStart(6)} | ${max.errors + fixed.errors}`,
    );
  }
  const ratio = results[0].max.perSecond / results[1].max.perSecond;
  console.log(`\nSwitchboard / bare baseline throughput: ${fmt(ratio * 100, 0)} %`);
  console.log(`targets: ≥ 3000/s sustained, p99 ≤ 25 ms at 1000/s, ≥ 60 % of baseline`);
} finally {
  await stop(api);
  await stop(bare);
  await cleanUp(env);
}
