#!/usr/bin/env node
// @ts-check
// Webhook ingress throughput and acknowledgement latency: Switchboard's real ingress (verify the
// Standard Webhooks signature, parse, INSERT into webhook_events, enqueue on BullMQ, 200) against a
// bare Fastify route doing only the same INSERT, in the same run, on the same database.
//   node bench/webhook-ingress.mjs [--seconds 10] [--concurrency 32] [--rate 1000] [--api-nodes N]
//   node bench/webhook-ingress.mjs --api http://127.0.0.1:3001,http://127.0.0.1:3002   (running apis)
// --api-nodes N starts N api processes on one database and spreads the requests over them in turn;
// --api measures api nodes already running (e.g. `npm run cluster`'s, or nginx in front of them),
// signing with SIMULATOR_WEBHOOK_SECRET (default: the development secret), with no baseline.
// Needs `npm run build -w backend`. Prints figures; not part of npm test.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from './lib/private-services.mjs';
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
import { parseArgs } from './lib/args.mjs';
import { BENCH_SIMULATOR_SECRET, signSimulatorWebhook } from './lib/webhook-signing.mjs';

const args = parseArgs();
const seconds = args.number('seconds', 10);
const concurrency = args.number('concurrency', 32);
const rate = args.number('rate', 1000);
const apiNodes = args.number('api-nodes', 1);
const externalApis = args
  .string('api')
  ?.split(',')
  .map((url) => url.replace(/\/$/, ''));
const SECRET = (externalApis && process.env.SIMULATOR_WEBHOOK_SECRET) || BENCH_SIMULATOR_SECRET;

function signedWebhook() {
  const id = `msg_${randomUUID()}`;
  const body = JSON.stringify({
    id,
    call_id: `SIMbench${id.slice(4, 16)}`,
    status: 'ringing',
    occurred_at: new Date().toISOString(),
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...signSimulatorWebhook(SECRET, id, body),
    },
  };
}

/** @param {string} label @param {string | string[]} url */
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
const barePort = 3902;
const apis = [];
let bare;
try {
  let apiUrls = externalApis;
  if (!apiUrls) {
    migrate(env);
    apiUrls = [];
    for (let i = 0; i < apiNodes; i += 1) {
      const port = i === 0 ? 3901 : await freePort();
      apis.push(
        startProcess(
          process.env.BENCH_API_SCRIPT ?? join(root, 'backend/dist/main.js'),
          { ...env, PORT: String(port), SIMULATOR_WEBHOOK_SECRET: SECRET },
          `api-${i + 1}`,
        ),
      );
      apiUrls.push(`http://127.0.0.1:${port}`);
    }
    bare = startProcess(
      join(root, 'bench/bare-ingress.mjs'),
      { ...env, PORT: String(barePort) },
      'bare',
    );
    await waitForHttp(`http://127.0.0.1:${barePort}/`);
  }
  for (const url of apiUrls) await waitForHttp(`${url}/health/live`);

  const results = [
    await measure(
      `switchboard ×${apiUrls.length}`,
      apiUrls.map((url) => `${url}/api/webhooks/simulator`),
    ),
  ];
  if (bare)
    results.push(
      await measure('bare Fastify + INSERT', `http://127.0.0.1:${barePort}/api/webhooks/simulator`),
    );

  console.log(`\nWebhook ingress — ${machine()}`);
  console.log(calibration);
  console.log(
    `closed loop: ${concurrency} connections for ${seconds} s; open loop: ${rate}/s for ${seconds} s; ` +
      `${apiUrls.length} api node(s) (${externalApis ? 'already running' : 'started here'}), requests in turn; load generator on the same machine\n`,
  );
  console.log(
    'target                  | max webhooks/s | p50 ms | p99 ms || at fixed rate: achieved/s | p50 ms | p99 ms | errors',
  );
  for (const { label, max, fixed } of results) {
    console.log(
      `${label.padEnd(23)} | ${fmt(max.perSecond, 0).padStart(14)} | ${fmt(max.p50, 2).padStart(6)} | ${fmt(max.p99, 2).padStart(6)} || ${fmt(fixed.perSecond, 0).padStart(25)} | ${fmt(fixed.p50, 2).padStart(6)} | ${fmt(fixed.p99, 2).padStart(6)} | ${max.errors + fixed.errors}`,
    );
  }
  if (results.length === 2) {
    const ratio = results[0].max.perSecond / results[1].max.perSecond;
    console.log(`\nSwitchboard / bare baseline throughput: ${fmt(ratio * 100, 0)} %`);
  }
  console.log(`targets: ≥ 3000/s sustained, p99 ≤ 25 ms at 1000/s, ≥ 60 % of baseline`);
} finally {
  for (const api of apis) await stop(api);
  await stop(bare);
  if (!externalApis) await cleanUp(env);
}
