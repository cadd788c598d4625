#!/usr/bin/env node
// @ts-check
// Reads at scale: an organization of 1,000,000 calls (100,000 of them today, the rest over the 89
// days before, 4 providers, 3 countries, 3 users) and 100,000 contacts, seeded with SQL
// generate_series; then p50/p95 of each read through HTTP (history under every kind of filter the
// console can combine, contacts, dashboard, billing summary) and the CSV export of every call
// (time, first byte, growth of the api's resident memory), beside the targets.
//   node bench/history.mjs [--calls 1000000] [--contacts 100000] [--runs 14] [--only regexp] [--port 3905]
//   node bench/history.mjs --seed-only   then   node bench/history.mjs --reuse <its database URL>
// (--reuse reads a database seeded before, and leaves it: to compare builds or plans without
// seeding each time; drop it afterwards).
// BENCH_DIST=<a backend build> measures another build (e.g. the code before a change, copied aside).
// Needs `npm run build -w backend`. Prints figures; not part of npm test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { login } from './lib/api-session.mjs';
import { parseArgs } from './lib/args.mjs';
import { percentile } from './lib/load.mjs';
import {
  benchEnvironment,
  calibrate,
  cleanUp,
  fmt,
  machine,
  root,
  startProcess,
  stop,
  waitForHttp,
} from './lib/environment.mjs';

const args = parseArgs();
const CALLS = args.number('calls', 1_000_000);
const CONTACTS = args.number('contacts', 100_000);
const RUNS = args.number('runs', 14);
const only = args.string('only');
const ONLY = only ? new RegExp(only) : null;
// Seeds, prints the database's URL and leaves it (to read plans with EXPLAIN); drop it afterwards.
const SEED_ONLY = args.flag('seed-only');
const REUSE = args.string('reuse');
const READ_TARGET_MS = 50;
const EXPORT_RSS_TARGET_MB = 50;
// A read slower than this is run 3 times, not RUNS times: the figure is plain enough.
const SLOW_MS = 1000;
const PORT = args.number('port', 3905);
const base = `http://127.0.0.1:${PORT}`;

const env = { ...benchEnvironment('history'), PORT: String(PORT), PUBLIC_BASE_URL: base };
if (REUSE) env.DATABASE_URL = REUSE;
// Another build of the backend (e.g. the code before a change, copied aside) to measure instead.
const dist = process.env.BENCH_DIST ?? join(root, 'backend/dist');
const calibration = await calibrate(env);
/** @type {import('node:child_process').ChildProcess | undefined} */
let api;
try {
  for (const command of REUSE ? [] : ['run', 'seed']) {
    const result = spawnSync(process.execPath, [join(dist, 'database/cli.js'), command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`database ${command} failed: build the backend first`);
  }
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const seeded = await (REUSE ? seedFigures(client) : seed(client)).finally(() => client.end());
  if (SEED_ONLY) {
    console.log(
      `seeded in ${fmt(seeded.seconds)} s: ${env.DATABASE_URL} (${JSON.stringify(seeded)})`,
    );
    process.exit(0);
  }

  api = startProcess(join(dist, 'main.js'), env, 'api');
  await waitForHttp(`${base}/health/live`, 120_000); // a loaded machine starts it slowly
  const admin = (await login(base, 'admin@demo.test', 'switchboard-admin')).accessToken;
  const agent = (await login(base, 'agent@demo.test', 'switchboard-agent')).accessToken;

  console.log(`history: ${machine()}`);
  console.log(calibration);
  console.log(
    `seeded ${CALLS.toLocaleString('en')} calls and ${CONTACTS.toLocaleString('en')} contacts in ${fmt(seeded.seconds)} s`,
  );
  console.log(`load before reads: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  console.log('');
  console.log(
    `${'read'.padEnd(78)} ${'rows'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`,
  );

  const weekAgo = new Date(Date.now() - 7 * 86_400_000);
  const dayStart = new Date(
    Date.UTC(weekAgo.getUTCFullYear(), weekAgo.getUTCMonth(), weekAgo.getUTCDate()),
  );
  const oneDay = `from=${dayStart.toISOString()}&to=${new Date(dayStart.getTime() + 86_400_000).toISOString()}`;
  const month = `from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`;
  const deepCursor = Buffer.from(JSON.stringify(seeded.deep)).toString('base64url');

  /** @type {{ name: string; path: string; token?: string }[]} */
  const reads = [
    { name: 'history first page', path: '/api/calls' },
    { name: 'history page 2', path: '/api/calls?cursor=PAGE2' },
    { name: 'history 20,000 calls deep', path: `/api/calls?cursor=${deepCursor}` },
    { name: "an agent's own history", path: '/api/calls', token: agent },
    {
      name: "an agent's own history, status=failed",
      path: '/api/calls?status=failed',
      token: agent,
    },
    { name: "an agent's own history, q=Asha", path: '/api/calls?q=Asha', token: agent },
    {
      name: "an agent's own history, transcript word q=warranty",
      path: '/api/calls?q=warranty',
      token: agent,
    },
  ];
  // Every filter the console offers, alone, in pairs, and a few larger combinations; the values
  // are the rarest ones (the slowest to fill a page when read in time order).
  /** @type {Record<string, string>} */
  const filters = {
    status: 'status=failed',
    provider: 'provider=bolna',
    direction: 'direction=inbound',
    country: 'country=GB',
    agent: `agentId=${seeded.agent2}`,
    contact: `contactId=${seeded.contact}`,
    day: oneDay,
    number: 'q=6280004242',
  };
  const names = Object.keys(filters);
  for (const name of names)
    reads.push({ name: `history ${filters[name]}`, path: `/api/calls?${filters[name]}` });
  for (let i = 0; i < names.length; i += 1)
    for (let j = i + 1; j < names.length; j += 1)
      reads.push({
        name: `history ${names[i]} × ${names[j]}`,
        path: `/api/calls?${filters[names[i]]}&${filters[names[j]]}`,
      });
  /** @type {[string, string][]} */
  const more = [
    ['status=completed', 'status=completed'],
    ['status=completed,busy (two statuses)', 'status=completed,busy'],
    ['status=in_progress (the calls still going)', 'status=in_progress'],
    ['status=failed,cancelled × provider=bolna', 'status=failed,cancelled&provider=bolna'],
    [
      'status × provider × direction × country',
      'status=busy&provider=bolna&direction=inbound&country=GB',
    ],
    [
      'status × provider × direction × country × agent × day',
      `status=busy&provider=bolna&direction=inbound&country=GB&agentId=${seeded.agent2}&${oneDay}`,
    ],
    ['country=FR (no call)', 'country=FR'],
    ['status=failed × country=FR (no call)', 'status=failed&country=FR'],
    ['status=failed × last 30 days', `status=failed&${month}`],
    ['number search q=4242 (a part of many numbers)', 'q=4242'],
    ['number search q=628 (every number)', 'q=628'],
    ['number search × status=failed', 'q=4242&status=failed'],
    ['name search q=Asha', 'q=Asha'],
    ['name search q=asha gupta', 'q=asha%20gupta'],
    ['name search q=Zyx (no contact)', 'q=Zyx'],
    ['name search × provider=bolna × status=failed', 'q=Asha&provider=bolna&status=failed'],
    ['q=6280004242 × contactId', `q=6280004242&contactId=${seeded.contact}`],
    // Words said on calls (call_outcomes' GIN index over transcripts and summaries, #16).
    ['transcript word search q=warranty (rare)', 'q=warranty'],
    ['transcript word search q=delivery (common)', 'q=delivery'],
    ['transcript phrase search q="refund request"', 'q=%22refund%20request%22'],
    ['transcript word search q=card (1 answered call in 300)', 'q=card'],
    ['transcript word search q=callback (1 answered call in 150)', 'q=callback'],
    [
      'transcript word search q=warranty × status=completed × provider=bolna',
      'q=warranty&status=completed&provider=bolna',
    ],
  ];
  for (const [name, query] of more)
    reads.push({ name: `history ${name}`, path: `/api/calls?${query}` });
  reads.push(
    { name: 'contacts first page', path: '/api/contacts' },
    { name: 'contacts name search q=Asha', path: '/api/contacts?q=Asha' },
    { name: 'contacts name search q=gupta 4242', path: '/api/contacts?q=gupta%204242' },
    { name: 'contacts number search q=6280004242', path: '/api/contacts?q=6280004242' },
    { name: 'contacts number search q=4242', path: '/api/contacts?q=4242' },
    { name: 'GET /api/dashboard/metrics', path: '/api/dashboard/metrics' },
    {
      name: "GET /api/dashboard/metrics (an agent's)",
      path: '/api/dashboard/metrics',
      token: agent,
    },
    { name: 'billing summary 30 days by day', path: '/api/billing/summary?groupBy=day' },
    { name: 'billing summary 30 days by agent', path: '/api/billing/summary?groupBy=agent' },
    { name: 'billing summary 30 days by provider', path: '/api/billing/summary?groupBy=provider' },
    {
      name: 'billing summary 90 days by country',
      path: `/api/billing/summary?groupBy=country&from=${new Date(Date.now() - 90 * 86_400_000).toISOString()}`,
    },
    {
      name: "billing summary 30 days by day (an agent's)",
      path: '/api/billing/summary?groupBy=day',
      token: agent,
    },
  );

  const page2 = (await getJson('/api/calls', admin)).nextCursor;
  const results = [];
  for (const read of reads) {
    if (ONLY && !ONLY.test(read.name)) continue;
    const path = read.path.replace('PAGE2', page2);
    const token = read.token ?? admin;
    const first = await timed(path, token); // warm-up, not counted
    const runs = first.ms > SLOW_MS ? 3 : RUNS;
    const times = [];
    for (let run = 0; run < runs; run += 1) times.push((await timed(path, token)).ms);
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    results.push({ name: read.name, p95 });
    console.log(
      `${read.name.slice(0, 78).padEnd(78)} ${String(first.rows).padStart(5)} ${fmt(percentile(times, 50)).padStart(8)} ${fmt(p95).padStart(8)}${p95 > READ_TARGET_MS ? '  over' : ''}${runs < RUNS ? ` (${runs} runs)` : ''}`,
    );
  }
  const over = results.filter((result) => result.p95 > READ_TARGET_MS);
  console.log('');
  console.log(
    `${results.length} reads, ${over.length} over the target of ${READ_TARGET_MS} ms p95${over.length ? `: ${over.map((r) => r.name).join('; ')}` : ''}`,
  );

  if (!ONLY || ONLY.test('export')) {
    const exported = await exportAll(admin, api.pid ?? 0);
    console.log(
      `GET /api/calls/export.csv: ${exported.rows.toLocaleString('en')} rows, ${fmt(exported.megabytes)} MB in ${fmt(exported.seconds)} s, first byte ${fmt(exported.firstByteMs)} ms, api RSS ${fmt(exported.rssBeforeMb, 0)} MB → peak ${fmt(exported.rssPeakMb, 0)} MB (+${fmt(exported.rssPeakMb - exported.rssBeforeMb, 0)} MB; target < ${EXPORT_RSS_TARGET_MB} MB)`,
    );
  }
  console.log(`load after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stop(api);
  if (!REUSE) await cleanUp(env);
}

/**
 * The organization: the demo one (its users log in), a third user, 100,000 contacts and the calls.
 * @param {pg.Client} client
 */
async function seed(client) {
  const started = performance.now();
  const { rows: users } = await client.query(
    `SELECT u.id, u.organization_id, u.email, u.password_hash FROM users u ORDER BY u.email`,
  );
  const organizationId = users[0].organization_id;
  const agent = users.find((user) => user.email === 'agent@demo.test');
  const { rows: added } = await client.query(
    `INSERT INTO users (organization_id, email, name, role, password_hash)
     VALUES ($1, 'agent2@demo.test', 'Grace Agent', 'agent', $2) RETURNING id`,
    [organizationId, agent.password_hash],
  );
  const agent2 = added[0].id;
  const agentIds = [...users.map((user) => user.id), agent2];
  await client.query(`SELECT setseed(0.14)`);
  // Names from a few first and last names (so a name search finds many), numbers +6280 and six digits.
  await client.query(
    `INSERT INTO contacts (organization_id, name, sort_name, phone, country, company)
     SELECT $1, n.name, lower(n.name), '+6280' || lpad(i::text, 6, '0'), 'ID',
            CASE WHEN i % 3 = 0 THEN 'Company ' || (i % 997) END
       FROM generate_series(0, $2::int - 1) AS i,
            LATERAL (SELECT (ARRAY['Asha','Ben','Chen','Dev','Elif','Farah','Gita','Hugo','Ines','Jun',
                                   'Kofi','Lena','Mateo','Nia','Omar','Priya','Quinn','Rosa','Sami','Tara'])[1 + i % 20]
                            || ' ' ||
                            (ARRAY['Gupta','Smith','Okafor','Tanaka','Silva','Novak','Haddad','Kim','Rossi','Meyer',
                                   'Ivanova','Khan','Nguyen','Garcia','Brown','Sato','Costa','Jensen','Ali','Das',
                                   'Ortiz','Wolf','Park','Moreau','Lund'])[1 + (i / 20) % 25]
                            || CASE WHEN i >= 500 THEN ' ' || (i / 500)::text ELSE '' END AS name) AS n`,
    [organizationId, CONTACTS],
  );
  const { rows: contacts } = await client.query(
    `SELECT id FROM contacts WHERE organization_id = $1 AND phone = $2`,
    [organizationId, `+6280${String(4242 % CONTACTS).padStart(6, '0')}`],
  );
  // 10 % of the calls today, the rest over the 89 days before; each contact called CALLS/CONTACTS times.
  const today = Math.round(CALLS / 10);
  const chunk = 100_000;
  for (let offset = 0; offset < CALLS; offset += chunk) {
    await client.query(
      `WITH n AS (
         SELECT i, random() AS r_status, random() AS r_provider, random() AS r_country, random() AS r_dir,
                random() AS r_agent, random() AS r_talk,
                CASE WHEN i < $3::int
                     THEN date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                          + (now() - (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')) * (i::float8 / $3::int)
                     ELSE date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                          - interval '89 days' * ((i - $3::int)::float8 / ($4::int - $3::int))
                END AS raw_created_at
           FROM generate_series($5::int, $6::int) AS i
       ), c AS (
         SELECT n.*, date_trunc('milliseconds', raw_created_at) AS created_at, ct.id AS contact_id, ct.phone,
                CASE WHEN r_status < 0.55 THEN 'completed' WHEN r_status < 0.72 THEN 'no_answer'
                     WHEN r_status < 0.84 THEN 'busy' WHEN r_status < 0.90 THEN 'failed'
                     WHEN r_status < 0.95 THEN 'cancelled' ELSE 'completed' END AS status,
                (ARRAY['twilio','exotel','bolna','simulator'])[1 + floor(r_provider * 4)::int] AS provider,
                (ARRAY['ID','GB','US'])[1 + floor(r_country * 3)::int] AS country,
                CASE WHEN r_dir < 0.1 THEN 'inbound' ELSE 'outbound' END AS direction,
                ($7::uuid[])[1 + floor(r_agent * 3)::int] AS agent_id,
                10 + floor(r_talk * 590)::int AS talk
           FROM n JOIN LATERAL (
             SELECT id, phone FROM contacts
              WHERE organization_id = $1 AND phone = '+6280' || lpad((n.i % $2::int)::text, 6, '0')
           ) ct ON true
       )
       INSERT INTO calls (organization_id, agent_id, contact_id, provider, provider_call_id, direction,
                          from_number, to_number, country, status, raw_status, created_at, status_updated_at,
                          answered_at, ended_at, billable_seconds, cost_micros, rate_per_minute_micros, updated_at)
       SELECT $1, agent_id, contact_id, provider::provider_name, 'bench-' || i, direction::call_direction,
              '+14155550100', phone, country,
              -- the last calls of today are still going
              (CASE WHEN i >= $3::int - 30 AND i < $3::int THEN (ARRAY['initiated','ringing','in_progress'])[1 + i % 3]
                    ELSE status END)::call_status,
              status, created_at, created_at,
              CASE WHEN status = 'completed' THEN created_at + interval '8 seconds' END,
              CASE WHEN i < $3::int - 30 OR i >= $3::int THEN created_at + interval '8 seconds' + talk * interval '1 second' END,
              CASE WHEN status = 'completed' THEN talk END,
              CASE WHEN status = 'completed' THEN ceil(talk / 60.0)::bigint * 60000 END,
              60000, created_at
         FROM c`,
      [
        organizationId,
        CONTACTS,
        today,
        CALLS,
        offset,
        Math.min(offset + chunk, CALLS) - 1,
        agentIds,
      ],
    );
  }
  // Outcomes of the answered calls (#16): a transcript of two turns and a summary, their words in
  // call_outcomes.search as the worker writes it. Every third mentions a delivery (a common word),
  // one in 2,000 a warranty (a rare one), one in 50 a "refund request" (a phrase), and between
  // them, where neither way of reading the words is at its best, one in 300 a card and one in 150
  // a callback.
  await client.query(
    `INSERT INTO call_outcomes (call_id, organization_id, transcript, summary, search, finalized_at)
     SELECT t.id, $1, jsonb_build_array(
              jsonb_build_object('speaker', 'agent', 'text', t.agent_text, 'startSeconds', 0),
              jsonb_build_object('speaker', 'callee', 'text', t.callee_text, 'startSeconds', 4)),
            t.summary, to_tsvector('simple', t.agent_text || ' ' || t.callee_text || ' ' || t.summary),
            t.ended_at
       FROM (SELECT c.id, c.ended_at,
                    'Hello, this is Switchboard calling about your ' ||
                      (ARRAY['order','account','appointment','subscription','invoice'])[1 + n % 5] || '.' AS agent_text,
                    CASE WHEN n % 3 = 0 THEN 'The delivery arrived late yesterday.'
                         ELSE 'Yes, everything is fine, thank you.' END ||
                    CASE WHEN n % 2000 = 7 THEN ' Is the warranty still valid?' ELSE '' END ||
                    CASE WHEN n % 50 = 11 THEN ' I would like to make a refund request.' ELSE '' END ||
                    CASE WHEN n % 300 = 13 THEN ' Can I pay by card?' ELSE '' END ||
                    CASE WHEN n % 150 = 17 THEN ' Please arrange a callback.' ELSE '' END AS callee_text,
                    'The callee ' || (ARRAY['confirmed','asked about','rescheduled','cancelled'])[1 + n % 4] ||
                      ' the ' || (ARRAY['order','account','appointment','subscription','invoice'])[1 + n % 5] || '.' AS summary
               FROM (SELECT id, ended_at, row_number() OVER (ORDER BY created_at, id) AS n
                       FROM calls WHERE organization_id = $1 AND answered_at IS NOT NULL) c) t`,
    [organizationId],
  );
  // What the worker's maintenance job does every 10 s (no worker runs here): fold the roll-ups'
  // deltas, as they would be by the time anyone reads them.
  const { rows: compaction } = await client.query(
    `SELECT to_regproc('compact_call_rollups') AS fn`,
  );
  if (compaction[0].fn) await client.query(`SELECT compact_call_rollups()`);
  await client.query(`ANALYZE`);
  const figures = {
    seconds: (performance.now() - started) / 1000,
    agent2,
    contact: contacts[0].id,
    deep: await deepCursor(client, organizationId),
  };
  // For --reuse.
  await client.query(`CREATE TABLE bench_history_seed AS SELECT $1::jsonb AS figures`, [
    JSON.stringify(figures),
  ]);
  return figures;
}

/**
 * What seed() returned, for a database seeded before (--reuse).
 * @param {pg.Client} client
 * @returns {Promise<{ seconds: number, agent2: string, contact: string, deep: string[] }>}
 */
async function seedFigures(client) {
  const { rows } = await client.query(`SELECT figures FROM bench_history_seed`);
  return rows[0].figures;
}

/**
 * The cursor of the 20,000th newest call: a page that deep.
 * @param {pg.Client} client
 * @param {string} organizationId
 */
async function deepCursor(client, organizationId) {
  const { rows: deep } = await client.query(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, id
       FROM calls WHERE organization_id = $1 ORDER BY created_at DESC, id DESC OFFSET 19999 LIMIT 1`,
    [organizationId],
  );
  return [deep[0].created_at, deep[0].id];
}

/** @param {string} path @param {string} token */
async function getJson(path, token) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** @param {string} path @param {string} token */
async function timed(path, token) {
  const started = performance.now();
  const body = await getJson(path, token);
  const ms = performance.now() - started;
  return {
    ms,
    rows: Array.isArray(body.items)
      ? body.items.length
      : Array.isArray(body.groups)
        ? body.groups.length
        : 1,
  };
}

/** @param {number} pid */
function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * The whole history as CSV, read as fast as the client can; the api's resident memory is sampled
 * every 20 ms.
 * @param {string} token @param {number} pid
 */
async function exportAll(token, pid) {
  const rssBeforeMb = rssMb(pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
  }, 20);
  const started = performance.now();
  const response = await fetch(`${base}/api/calls/export.csv`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok || !response.body) throw new Error(`export: ${response.status}`);
  let firstByteMs = NaN;
  let bytes = 0;
  let newlines = 0;
  for await (const chunk of response.body) {
    if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i += 1) if (chunk[i] === 10) newlines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
  return {
    rows: newlines - 1,
    megabytes: bytes / 2 ** 20,
    seconds,
    firstByteMs,
    rssBeforeMb,
    rssPeakMb,
  };
}
