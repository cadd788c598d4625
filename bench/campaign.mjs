#!/usr/bin/env node
// @ts-check
// Campaign engine at scale: a campaign over N contacts (100,000 by default) through the simulator,
// sped up, with maxConcurrent 50 and perMinute 3,000. Prints the achieved placements per minute
// against the target, the peak of concurrent live calls (sampled), the worker's CPU per attempt and
// its memory at the start and the end, and how long the audience snapshot took.
//   node bench/campaign.mjs [--contacts 100000] [--max-concurrent 50] [--per-minute 3000]
//                           [--minutes 3] [--warmup 20] [--time-scale 0.01] [--workers 1] [--full]
// It measures for --minutes after --warmup seconds, then cancels the campaign (at 3,000 a minute
// 100,000 contacts take 33 minutes: --full waits for the end instead).
// Needs `npm run build -w backend`. Linux (/proc for the worker's CPU and memory). Not part of npm test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parseArgs } from './lib/args.mjs';
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

const args = parseArgs();
const CONTACTS = args.number('contacts', 100_000);
const MAX_CONCURRENT = args.number('max-concurrent', 50);
const PER_MINUTE = args.number('per-minute', 3000);
const MINUTES = args.number('minutes', 3);
const WARMUP_SECONDS = args.number('warmup', 20);
const TIME_SCALE = args.string('time-scale', '0.01');
const WORKERS = args.number('workers', 1);
const FULL = args.flag('full');
const PORT = 3904;
const base = `http://127.0.0.1:${PORT}`;

const env = {
  ...benchEnvironment('campaign'),
  PORT: String(PORT),
  PUBLIC_BASE_URL: base,
  SIMULATOR_TIME_SCALE: TIME_SCALE,
  CALLING_HOURS: 'off', // the run happens at any hour
  CAMPAIGN_TICK_MS: '250',
  MAX_CALL_SECONDS: '600',
};
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CPU seconds (user + system) and resident memory of a process, from /proc.
 * @param {number | undefined} pid
 */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: ticks / 100, rssMiB: rss ? Number(rss[1]) / 1024 : NaN };
}

const calibration = await calibrate(env);
const apis = [];
const workers = [];
/** @type {pg.Client | undefined} */
let client;
try {
  migrate(env);
  spawnSync(process.execPath, [join(root, 'backend/dist/database/cli.js'), 'seed'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  apis.push(startProcess(join(root, 'backend/dist/main.js'), env, 'api'));
  for (let i = 0; i < WORKERS; i += 1)
    workers.push(startProcess(join(root, 'backend/dist/worker.js'), env, `worker-${i + 1}`));
  await waitForHttp(`${base}/health/live`);
  await sleep(2000); // the workers' start-up

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {string} [token]
   * @returns {Promise<any>} the parsed answer
   */
  const api = async (method, path, body, token) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const { accessToken: token, user } = await api('POST', '/api/auth/login', {
    email: 'admin@demo.test',
    password: 'switchboard-admin',
  });
  // One micro per minute, billed per second: the wallet never limits the run. Rates are the
  // platform operator's (organizations read theirs and cannot change them, docs/platform.md): the
  // seeded operator creates a price plan with that rate and assigns it to the bench organization.
  const { accessToken: operator } = await api('POST', '/api/auth/login', {
    email: 'operator@demo.test',
    password: 'switchboard-operator',
  });
  const plan = await api(
    'POST',
    '/api/platform/price-plans',
    { name: `bench ${Date.now()}` },
    operator,
  );
  await api(
    'PUT',
    `/api/platform/price-plans/${plan.id}/rates`,
    {
      rates: [
        {
          prefix: '1',
          description: 'bench',
          ratePerMinuteMicros: '1',
          initialIncrement: 1,
          subsequentIncrement: 1,
          minimumSeconds: 0,
        },
      ],
    },
    operator,
  );
  await api(
    'PATCH',
    `/api/platform/organizations/${user.organization.id}`,
    { pricePlanId: plan.id },
    operator,
  );

  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  client = db;
  await db.connect();
  // The audience: N contacts tagged 'bench' (+1 415 2xx xxxx: the simulator's random odds).
  await db.query(
    `INSERT INTO contacts (organization_id, name, sort_name, phone, country, tags)
     SELECT $1, 'Bench ' || i, 'bench ' || i, '+1415' || (2000000 + i)::text, 'US', ARRAY['bench']
       FROM generate_series(0, $2 - 1) AS i`,
    [user.organization.id, CONTACTS],
  );

  const campaign = await api(
    'POST',
    '/api/campaigns',
    {
      name: `Bench ${CONTACTS}`,
      provider: 'simulator',
      audience: { tag: 'bench' },
      pacing: { maxConcurrent: MAX_CONCURRENT, perMinute: PER_MINUTE },
    },
    token,
  );
  const worker = workers[0];
  const memoryAtStart = usage(worker.pid).rssMiB;
  const snapshotStarted = performance.now();
  await api('POST', `/api/campaigns/${campaign.id}/start`, undefined, token);
  const snapshotSeconds = (performance.now() - snapshotStarted) / 1000;

  // Samples: live calls of the campaign (non-terminal) and placements so far.
  let peakLive = 0;
  let peakAttemptsLive = 0;
  let sampling = true;
  const liveSampler = (async () => {
    const sampler = new pg.Client({ connectionString: env.DATABASE_URL });
    await sampler.connect();
    while (sampling) {
      const { rows } = await sampler.query(
        `SELECT (SELECT count(*)::int FROM calls
                  WHERE status IN ('initiated', 'ringing', 'in_progress')
                    AND metadata->>'campaignId' = $1::text) AS calls,
                (SELECT count(*)::int FROM campaign_attempts
                  WHERE campaign_id = $1::uuid AND state IN ('queued', 'placing', 'live')) AS attempts`,
        [campaign.id],
      );
      peakLive = Math.max(peakLive, rows[0].calls);
      peakAttemptsLive = Math.max(peakAttemptsLive, rows[0].attempts);
      await sleep(200);
    }
    await sampler.end();
  })();
  const placed = async () =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM campaign_attempts WHERE campaign_id = $1 AND call_id IS NOT NULL`,
        [campaign.id],
      )
    ).rows[0].n;

  await sleep(WARMUP_SECONDS * 1000);
  const before = { placed: await placed(), at: performance.now(), ...usage(worker.pid) };
  const perMinuteSeries = [];
  if (FULL) {
    for (;;) {
      await sleep(10_000);
      const view = await api('GET', `/api/campaigns/${campaign.id}`, undefined, token);
      if (view.status === 'completed') break;
    }
  } else {
    for (let minute = 0; minute < MINUTES; minute += 1) {
      const start = await placed();
      await sleep(60_000);
      perMinuteSeries.push((await placed()) - start);
    }
  }
  const after = { placed: await placed(), at: performance.now(), ...usage(worker.pid) };
  sampling = false;
  await liveSampler;
  const view = await api('GET', `/api/campaigns/${campaign.id}`, undefined, token);
  if (view.status === 'running')
    await api('POST', `/api/campaigns/${campaign.id}/cancel`, undefined, token);

  const minutes = (after.at - before.at) / 60_000;
  const attempts = after.placed - before.placed;
  const achieved = attempts / minutes;
  console.log(`bench/campaign — ${machine()}`);
  console.log(calibration);
  console.log(
    `${CONTACTS} contacts, maxConcurrent ${MAX_CONCURRENT}, perMinute ${PER_MINUTE}, SIMULATOR_TIME_SCALE ${TIME_SCALE}, ${WORKERS} worker(s), 1 api`,
  );
  console.log(`audience snapshot (POST /start): ${fmt(snapshotSeconds, 2)} s`);
  console.log(
    `placements: ${attempts} in ${fmt(minutes, 2)} min after ${WARMUP_SECONDS} s of warm-up = ${fmt(achieved, 0)}/min against ${PER_MINUTE}/min (${fmt((100 * (achieved - PER_MINUTE)) / PER_MINUTE, 1)} %)` +
      (perMinuteSeries.length ? `; each minute: ${perMinuteSeries.join(', ')}` : ''),
  );
  console.log(
    `peak concurrency (sampled every 200 ms): ${peakLive} live calls, ${peakAttemptsLive} live attempts against the limit of ${MAX_CONCURRENT}${Math.max(peakLive, peakAttemptsLive) > MAX_CONCURRENT ? ' — ABOVE THE LIMIT' : ' (never above)'}`,
  );
  console.log(
    `scheduler CPU per attempt (the worker: ticks, placement, the simulator's deliveries and their webhooks): ${fmt(((after.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, attempts), 2)} ms`,
  );
  console.log(
    `worker memory (RSS): ${fmt(memoryAtStart, 0)} MiB at the start, ${fmt(before.rssMiB, 0)} MiB after warm-up, ${fmt(after.rssMiB, 0)} MiB at the end (${fmt(after.rssMiB - memoryAtStart, 0)} MiB over the run)`,
  );
  console.log(`progress at the end: ${JSON.stringify(view.progress)}`);
} finally {
  await client?.end().catch(() => {});
  for (const child of [...apis, ...workers]) await stop(child);
  await cleanUp(env);
}
