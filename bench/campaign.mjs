#!/usr/bin/env node
// @ts-check
// Campaign engine at scale: a campaign over N contacts (100,000 by default) through the simulator,
// sped up, with maxConcurrent 50 and perMinute 3,000. Prints the achieved placements per minute
// against the target, the peak of concurrent live calls (sampled), the worker's CPU per attempt and
// its memory at the start and the end, and how long the audience snapshot took.
//   node bench/campaign.mjs [--contacts 100000] [--max-concurrent 50] [--per-minute 3000]
//                           [--minutes 3] [--warmup 20] [--time-scale 0.01] [--workers 1] [--full]
//                           [--heap-snapshots DIR] [--cpu-profile FILE.cpuprofile]
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
  heapSnapshotOf,
  memoryOf,
  startCpuProfile,
  stopCpuProfile,
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
const HEAP_SNAPSHOTS = args.string('heap-snapshots', undefined);
const CPU_PROFILE = args.string('cpu-profile', undefined);
const PORT = 3904;
// BENCH_DIST=<a backend build> measures another build (e.g. the code before a change, copied aside).
const dist = process.env.BENCH_DIST ?? join(root, 'backend/dist');
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
  spawnSync(process.execPath, [join(dist, 'database/cli.js'), 'seed'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  apis.push(startProcess(join(dist, 'main.js'), env, 'api'));
  for (let i = 0; i < WORKERS; i += 1)
    workers.push(
      startProcess(join(dist, 'worker.js'), env, `worker-${i + 1}`, {
        memoryProbe: i === 0,
      }),
    );
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
  const api0 = apis[0];
  // Memory: resident (what the system sees, garbage included) and the heap left after a full
  // collection (what the process holds): V8 grows its heap while memory is plentiful, so resident
  // memory alone rises for a while whether anything leaks or not.
  const memory = [
    { at: 'start', ...(await memoryOf(worker)), rawRssMiB: usage(worker.pid).rssMiB },
  ];
  const snapshotStarted = performance.now();
  await api('POST', `/api/campaigns/${campaign.id}/start`, undefined, token);
  const snapshotSeconds = (performance.now() - snapshotStarted) / 1000;

  // Samples: live calls of the campaign (non-terminal) and live attempts (what the engine counts
  // against maxConcurrent: queued, placing, live), every 200 ms.
  let peakLive = 0;
  let peakAttemptsLive = 0;
  let sampling = true;
  /** @type {number[]} live attempts of the samples taken during the measured minutes */
  let measuredLive = [];
  let measuring = false;
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
      if (measuring) measuredLive.push(rows[0].attempts);
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
  memory.push({
    at: 'after warm-up',
    ...(await memoryOf(worker)),
    rawRssMiB: usage(worker.pid).rssMiB,
  });
  if (HEAP_SNAPSHOTS)
    await heapSnapshotOf(worker, join(HEAP_SNAPSHOTS, 'worker-after-warm-up.heapsnapshot'));
  const before = {
    placed: await placed(),
    at: performance.now(),
    date: new Date(),
    ...usage(worker.pid),
    apiCpuSeconds: usage(api0.pid).cpuSeconds,
  };
  measuring = true;
  if (CPU_PROFILE) await startCpuProfile(worker);
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
      // The collection holds the worker for a moment (gcMs): taken once a minute, after the count.
      if (minute < MINUTES - 1)
        memory.push({
          at: `minute ${minute + 1}`,
          ...(await memoryOf(worker)),
          rawRssMiB: usage(worker.pid).rssMiB,
        });
    }
  }
  const after = {
    placed: await placed(),
    at: performance.now(),
    date: new Date(),
    ...usage(worker.pid),
    apiCpuSeconds: usage(api0.pid).cpuSeconds,
  };
  measuring = false;
  memory.push({ at: 'end', ...(await memoryOf(worker)), rawRssMiB: after.rssMiB });
  if (CPU_PROFILE) await stopCpuProfile(worker, CPU_PROFILE);
  if (HEAP_SNAPSHOTS) await heapSnapshotOf(worker, join(HEAP_SNAPSHOTS, 'worker-end.heapsnapshot'));
  sampling = false;
  await liveSampler;
  const view = await api('GET', `/api/campaigns/${campaign.id}`, undefined, token);
  if (view.status === 'running')
    await api('POST', `/api/campaigns/${campaign.id}/cancel`, undefined, token);

  // Where an attempt's time goes (attempts released during the measured minutes and settled):
  // released → its call row created (attempt job waiting, placement transaction), → the provider's
  // end (the simulated call: its events' times), → that end recorded by the webhook pipeline
  // (delivery, ingress, webhook job), → the attempt settled by a tick (its concurrency slot free).
  const [phases] = (
    await db.query(
      `SELECT count(*)::int AS n,
              avg(extract(epoch FROM c.created_at - a.created_at)) AS placing,
              avg(extract(epoch FROM c.ended_at - c.created_at)) AS call,
              avg(extract(epoch FROM c.status_updated_at - c.ended_at)) AS pipeline,
              avg(extract(epoch FROM a.ended_at - c.status_updated_at)) AS settling,
              avg(extract(epoch FROM a.ended_at - a.created_at)) AS total
         FROM campaign_attempts a JOIN calls c ON c.id = a.call_id
        WHERE a.campaign_id = $1 AND a.state = 'ended'
          AND a.created_at >= $2 AND a.created_at < $3`,
      [campaign.id, before.date, after.date],
    )
  ).rows;

  const minutes = (after.at - before.at) / 60_000;
  const attempts = after.placed - before.placed;
  const achieved = attempts / minutes;
  // With every slot taken, placements can go no faster than maxConcurrent slots each freed once
  // per attempt (Little's law): that ceiling, and the pacing target, whichever is lower, is what
  // the engine is judged against.
  const meanAttemptSeconds = Number(phases.total);
  const ceiling = (MAX_CONCURRENT * 60) / meanAttemptSeconds;
  const binding = Math.min(PER_MINUTE, ceiling);
  const meanLive =
    measuredLive.reduce((sum, value) => sum + value, 0) / Math.max(1, measuredLive.length);
  const atLimit =
    measuredLive.filter((value) => value >= MAX_CONCURRENT).length /
    Math.max(1, measuredLive.length);
  const ms = (/** @type {unknown} */ seconds) => fmt(Number(seconds) * 1000, 0);
  console.log(`bench/campaign — ${machine()}`);
  console.log(calibration);
  console.log(
    `${CONTACTS} contacts, maxConcurrent ${MAX_CONCURRENT}, perMinute ${PER_MINUTE}, SIMULATOR_TIME_SCALE ${TIME_SCALE}, CAMPAIGN_TICK_MS ${env.CAMPAIGN_TICK_MS}, ${WORKERS} worker(s), 1 api`,
  );
  console.log(`audience snapshot (POST /start): ${fmt(snapshotSeconds, 2)} s`);
  console.log(
    `placements: ${attempts} in ${fmt(minutes, 2)} min after ${WARMUP_SECONDS} s of warm-up = ${fmt(achieved, 0)}/min against the target of ${PER_MINUTE}/min (${fmt((100 * (achieved - PER_MINUTE)) / PER_MINUTE, 1)} %)` +
      (perMinuteSeries.length ? `; each minute: ${perMinuteSeries.join(', ')}` : ''),
  );
  console.log(
    `an attempt, released to its slot freed (mean of ${phases.n} released in the measured minutes): ${ms(phases.total)} ms = placing ${ms(phases.placing)} + the simulated call ${ms(phases.call)} + webhook pipeline ${ms(phases.pipeline)} + settling by a tick ${ms(phases.settling)}`,
  );
  console.log(
    `concurrency ceiling ${MAX_CONCURRENT} × 60 s / ${fmt(meanAttemptSeconds, 3)} s = ${fmt(ceiling, 0)}/min; live attempts sampled: mean ${fmt(meanLive, 1)}, at the limit ${fmt(100 * atLimit, 0)} % of the time`,
  );
  console.log(
    `pacing: ${fmt(achieved, 0)}/min against the binding limit ${fmt(binding, 0)}/min (${binding < PER_MINUTE ? 'maxConcurrent binds: the ceiling' : 'perMinute binds: the target'}) = ${fmt((100 * (achieved - binding)) / binding, 1)} %`,
  );
  console.log(
    `peak concurrency (sampled every 200 ms): ${peakLive} live calls, ${peakAttemptsLive} live attempts against the limit of ${MAX_CONCURRENT}${Math.max(peakLive, peakAttemptsLive) > MAX_CONCURRENT ? ' — ABOVE THE LIMIT' : ' (never above)'}`,
  );
  console.log(
    `CPU per attempt: worker ${fmt(((after.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, attempts), 2)} ms (ticks, placement, the simulator's deliveries and their webhooks' processing), api ${fmt(((after.apiCpuSeconds - before.apiCpuSeconds) * 1000) / Math.max(1, attempts), 2)} ms (webhook ingress)`,
  );
  console.log(
    `worker memory, resident / heap used after a full collection (MiB): ${memory.map((m) => `${m.at} ${fmt(m.rawRssMiB, 0)} / ${fmt(m.heapUsedMiB, 1)}`).join(' · ')}; heap from after warm-up to the end ${fmt(memory[memory.length - 1].heapUsedMiB - memory[1].heapUsedMiB, 1)} MiB; collections held the worker ${memory.map((m) => fmt(m.gcMs, 0)).join('/')} ms`,
  );
  console.log(`progress at the end: ${JSON.stringify(view.progress)}`);
} finally {
  await client?.end().catch(() => {});
  for (const child of [...apis, ...workers]) await stop(child);
  await cleanUp(env);
}
