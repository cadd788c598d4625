#!/usr/bin/env node
// @ts-check
// Chaos run: nothing lost, duplicated or double-charged while processes and services crash.
//   node bench/chaos.mjs [--calls 20000] [--short] [--orgs 8] [--concurrency 64]
//                        [--worker-kill-every 5] [--faults worker,api,redis,postgres]
//                        [--no-faults] [--redis-wipe] [--keep]
//                        [--sabotage lose,duplicate,double-charge]
// Starts its own PostgreSQL cluster and Redis on free ports (so it may crash them), migrates with
// the compiled CLI, runs 2 api and 2 worker processes, places N simulator calls through
// `POST /api/calls` (money held), then plays the provider: every event of every call is delivered
// 3 times, shuffled, to both api nodes, retried until answered 2xx. Meanwhile a worker is SIGKILLed
// every few seconds and restarted, an api node is SIGKILLed and restarted, Redis and PostgreSQL
// crash and restart once each. Then it audits the database (bench/lib/ledger-audit.mjs) and exits
// non-zero on any loss. --short: one fault of each kind (PostgreSQL included), for `npm test`.
// --sabotage breaks the outcome on purpose (an event never sent, a timeline row written twice, a
// call charged twice) to show the audit catches it. Needs `npm run build -w backend`.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { auditChaosRun } from './lib/ledger-audit.mjs';
import { machine, root } from './lib/environment.mjs';
import { freePort, startPostgres, startRedis } from './lib/private-services.mjs';
import { ProductProcess, waitForHttp } from './lib/product-processes.mjs';
import { SimulatorSender } from './lib/simulator-sender.mjs';
import { parseArgs } from './lib/args.mjs';

const args = parseArgs();
const SHORT = args.flag('short');
const CALLS = args.number('calls', SHORT ? 500 : 20_000);
const ORGS = args.number('orgs', SHORT ? 3 : 8);
const CONCURRENCY = args.number('concurrency', 64);
const WORKER_KILL_EVERY_MS = args.number('worker-kill-every', 5) * 1000;
const FAULT_KINDS = new Set(
  args.flag('no-faults') ? [] : args.string('faults', 'worker,api,redis,postgres').split(','),
);
const redisWipe = args.flag('redis-wipe');
const SABOTAGE = new Set(args.string('sabotage', '').split(',').filter(Boolean));
const DRAIN_TIMEOUT_MS = SHORT ? 150_000 : 900_000;
const COPIES = 3;
const PASSWORD = 'chaos-owner-password';
// Outcome odds close to the simulator's `random` scenario.
/** @type {[CallOutcome, number][]} */
const OUTCOMES = [
  ['completed', 70],
  ['no_answer', 12],
  ['busy', 10],
  ['failed', 8],
];

for (const kind of SABOTAGE)
  if (!['lose', 'duplicate', 'double-charge'].includes(kind))
    throw new Error(`--sabotage takes lose, duplicate, double-charge; not ${kind}`);
if (!existsSync(join(root, 'backend/dist/main.js')))
  throw new Error('backend/dist is missing: run `npm run build -w backend` first');

/**
 * @typedef {'completed' | 'no_answer' | 'busy' | 'failed'} CallOutcome
 * @typedef {{ id: string, body: string }} SentEvent
 * @typedef {{ id: string, email: string, token?: string }} ChaosOrganization
 * @typedef {{ id: string, providerCallId: string, organizationId: string, status: CallOutcome,
 *   timeLimitSeconds: number, talkSeconds: number, events: SentEvent[], eventKeys: string[] }} PlacedCall
 * @typedef {ProductProcess & { expectedExit: boolean, restart: (downMs: number) => Promise<void> }} Supervised
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
/** @param {string} line */
const say = (line) => console.log(`[${clock()}] ${line}`);

const directory = mkdtempSync(join(tmpdir(), 'switchboard-chaos-'));
chmodSync(directory, 0o755); // PostgreSQL runs as its own user and must reach its folder inside
const secret = `whsec_${randomBytes(24).toString('base64')}`;
const [pgPort, redisPort, apiPort1, apiPort2] = [
  await freePort(),
  await freePort(),
  await freePort(),
  await freePort(),
];
const nodes = [`http://127.0.0.1:${apiPort1}`, `http://127.0.0.1:${apiPort2}`];
/** @type {ReturnType<typeof startPostgres> | undefined} */
let postgres;
/** @type {Awaited<ReturnType<typeof startRedis>> | undefined} */
let redis;
/** @type {Supervised[]} */
const apis = [];
/** @type {Supervised[]} */
const workers = [];
/** @type {{ at: string, what: string }[]} */
const faults = [];
let passed = false;
let stopping = false;

/**
 * One query on a fresh connection, retried while PostgreSQL is restarting.
 * @param {string} sql
 * @param {unknown[]} [params]
 * @returns {Promise<any[]>} the rows, as node-postgres gives them
 */
async function query(sql, params = []) {
  if (!postgres) throw new Error('PostgreSQL is not started');
  for (let attempt = 0; ; attempt += 1) {
    const client = new pg.Client({ connectionString: postgres.url('switchboard_chaos') });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.query(sql, params)).rows;
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleep(500);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * One request to an api node; the status and the parsed JSON body.
 * @param {number} node
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ status: number, body: any }>}
 */
async function api(node, method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(`${nodes[node]}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * Organizations with an owner each, written straight to the database (no sign-up API exists).
 * @returns {Promise<ChaosOrganization[]>}
 */
async function createOrganizations() {
  const salt = randomBytes(16);
  const key = scryptSync(PASSWORD, salt, 64, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const hash = ['scrypt', 32768, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  /** @type {ChaosOrganization[]} */
  const organizations = [];
  for (let i = 0; i < ORGS; i += 1) {
    const [{ id }] = await query(
      `INSERT INTO organizations (name, default_country, currency) VALUES ($1, 'US', 'USD') RETURNING id`,
      [`Chaos ${i + 1}`],
    );
    const email = `owner${i + 1}@chaos.test`;
    await query(
      `INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, $3, 'owner', $4)`,
      [id, email, `Owner ${i + 1}`, hash],
    );
    organizations.push({ id, email });
  }
  // The platform operator, who credits the organizations (they cannot credit themselves).
  await query(
    `INSERT INTO users (organization_id, email, name, role, password_hash) VALUES (NULL, $1, 'Operator', 'operator', $2)`,
    [OPERATOR_EMAIL, hash],
  );
  return organizations;
}

const OPERATOR_EMAIL = 'operator@chaos.test';

/**
 * The events a provider sends for a call that ends `status` after `talk` seconds of talk.
 * @param {Omit<PlacedCall, 'events' | 'eventKeys'>} call
 * @returns {SentEvent[]}
 */
function eventsOf(call) {
  const base = Date.now();
  /** @param {number} seconds */
  const at = (seconds) => new Date(base + seconds * 1000).toISOString();
  /** @param {string} status @param {number} seconds @param {Record<string, unknown>} [extra] */
  const event = (status, seconds, extra = {}) => {
    const id = `msg_${call.providerCallId}_${status}`;
    const body = {
      id,
      call_id: call.providerCallId,
      switchboard_call_id: call.id,
      status,
      occurred_at: at(seconds),
      ...extra,
    };
    return { id, body: JSON.stringify(body) };
  };
  /** @param {string} status @param {number} seconds @param {string} reason */
  const ended = (status, seconds, reason) =>
    event(status, seconds, { duration_seconds: 0, hangup_reason: reason });
  switch (call.status) {
    case 'failed':
      return [event('initiated', 0.2), ended('failed', 1, 'Network could not route the call')];
    case 'busy':
      return [event('initiated', 0.2), event('ringing', 1), ended('busy', 3, 'Callee busy')];
    case 'no_answer':
      return [event('initiated', 0.2), event('ringing', 1), ended('no_answer', 21, 'No answer')];
    default:
      return [
        event('initiated', 0.2),
        event('ringing', 1),
        event('in_progress', 4),
        event('completed', 4 + call.talkSeconds, {
          duration_seconds: call.talkSeconds,
          recording_url: `https://simulator.switchboard.invalid/recordings/${call.providerCallId}.mp3`,
          hangup_reason:
            call.talkSeconds >= call.timeLimitSeconds ? 'Time limit reached' : 'Normal hangup',
        }),
      ];
  }
}

/** @returns {CallOutcome} */
function pickOutcome() {
  let roll = randomInt(100);
  for (const [outcome, weight] of OUTCOMES) {
    if (roll < weight) return outcome;
    roll -= weight;
  }
  return 'completed';
}

/**
 * Runs `task` over `items` with `concurrency` in flight.
 * @template T
 * @param {T[]} items
 * @param {number} concurrency
 * @param {(item: T, index: number) => Promise<void>} task
 */
async function pool(items, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        await task(items[index], index);
      }
    }),
  );
}

/**
 * Restarts a product process that died without being told to (a supervisor would); notes it.
 * @param {ProductProcess} started
 * @returns {Supervised}
 */
function supervise(started) {
  /** @type {Supervised} */
  const member = Object.assign(started, {
    expectedExit: false,
    restart: async (/** @type {number} */ downMs) => {
      member.expectedExit = true;
      await member.kill('SIGKILL');
      await sleep(downMs);
      member.expectedExit = false;
      member.start();
      watch();
    },
  });
  const watch = () =>
    member.child?.once('exit', (code, signal) => {
      if (member.expectedExit || stopping) return;
      faults.push({ at: clock(), what: `${member.label} exited by itself (${signal ?? code})` });
      say(`!! ${member.label} exited by itself (${signal ?? code}); restarting it`);
      setTimeout(() => {
        if (!stopping) {
          member.start();
          watch();
        }
      }, 1000);
    });
  watch();
  return member;
}

/** Stops everything this run started; the data and logs stay when the run did not pass. */
async function shutDown() {
  stopping = true;
  for (const member of [...apis, ...workers]) member.expectedExit = true;
  await Promise.all([...apis, ...workers].map((member) => member.stop()));
  await redis?.stop();
  postgres?.stop();
  if (passed && !args.flag('keep')) rmSync(directory, { recursive: true, force: true });
  else console.log(`logs and data kept in ${directory}`);
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.once(signal, () => {
    console.log(`${signal}: stopping the run's processes`);
    shutDown().finally(() => process.exit(130));
  });

/** @param {string} what */
function fault(what) {
  faults.push({ at: clock(), what });
  say(`chaos: ${what}`);
}

let delivered = 0;
let deliveriesTotal = 0;
let deliveryDone = false;

/** The fault schedule, while the webhooks are being delivered. */
async function chaos() {
  const progress = () => delivered / deliveriesTotal;
  /** @param {number} share */
  const waitFor = async (share) => {
    while (!deliveryDone && progress() < share) await sleep(100);
    return !deliveryDone;
  };
  const killWorker = async () => {
    const worker = workers[randomInt(workers.length)];
    fault(`SIGKILL ${worker.label}; restarted 1 s later`);
    await worker.restart(1000);
  };
  /** @type {[number, 'api' | 'redis' | 'postgres'][]} */
  const planned = [
    [0.35, 'api'],
    [0.55, 'redis'],
    [0.75, 'postgres'],
  ];
  const oneOff = (async () => {
    for (const [share, what] of planned) {
      if (!FAULT_KINDS.has(what)) continue;
      if (!(await waitFor(share))) return;
      if (what === 'api') {
        const node = randomInt(apis.length);
        fault(`SIGKILL ${apis[node].label}; restarted 0.5 s later`);
        await apis[node].restart(500);
      } else if (what === 'redis') {
        fault(
          `Redis crashed (SIGKILL${redisWipe ? ', nothing persisted' : ', AOF everysec'}); restarted 1 s later`,
        );
        await redis?.crashAndRestart(1000);
      } else {
        fault('PostgreSQL crashed (pg_ctl stop -m immediate) and restarted');
        postgres?.crashAndRestart();
      }
    }
  })();
  const workerKills = (async () => {
    if (!FAULT_KINDS.has('worker')) return;
    if (SHORT) {
      if (await waitFor(0.15)) await killWorker();
      return;
    }
    while (!deliveryDone) {
      await sleep(WORKER_KILL_EVERY_MS);
      if (!deliveryDone) await killWorker();
    }
  })();
  await Promise.all([oneOff, workerKills]);
}

try {
  say(`chaos run: ${CALLS} calls, ${ORGS} organizations, ${machine()}`);
  say(`scratch directory ${directory}`);
  const startedPostgres = startPostgres({ directory: join(directory, 'postgres'), port: pgPort });
  postgres = startedPostgres;
  const startedRedis = await startRedis({
    directory: join(directory, 'redis'),
    port: redisPort,
    persistent: !redisWipe,
  });
  redis = startedRedis;
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: startedPostgres.url('switchboard_chaos'),
    REDIS_URL: startedRedis.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SIMULATOR_WEBHOOK_SECRET: secret,
    // The run is the provider: the simulator's own deliveries are scheduled hours away, never sent.
    SIMULATOR_TIME_SCALE: '100000',
    // Reconciliation would ask that silent simulator; every call gets its events from the run.
    RECONCILE_AFTER_SECONDS: '86400',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Each organization's one user places the run's calls side by side.
    ONE_LIVE_CALL_PER_AGENT: 'off',
    CORS_ORIGINS: nodes.join(','),
  };
  /** @param {string} command */
  const cli = (command) => {
    const result = spawnSync(
      process.execPath,
      [join(root, 'backend/dist/database/cli.js'), command],
      {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      },
    );
    if (result.status !== 0) throw new Error(`database ${command} failed: ${result.stderr}`);
  };
  cli('run');
  cli('default-rates');
  const organizations = await createOrganizations();

  for (let i = 0; i < 2; i += 1) {
    const apiEnv = { ...env, PORT: String([apiPort1, apiPort2][i]), PUBLIC_BASE_URL: nodes[i] };
    apis.push(
      supervise(
        new ProductProcess(
          `api-${i + 1}`,
          join(root, 'backend/dist/main.js'),
          apiEnv,
          join(directory, `api-${i + 1}.log`),
        ).start(),
      ),
    );
    workers.push(
      supervise(
        new ProductProcess(
          `worker-${i + 1}`,
          join(root, 'backend/dist/worker.js'),
          { ...env, PUBLIC_BASE_URL: nodes[0] },
          join(directory, `worker-${i + 1}.log`),
        ).start(),
      ),
    );
  }
  await Promise.all(nodes.map((node) => waitForHttp(`${node}/health/live`)));
  say('2 api and 2 worker processes up');

  // Money in through the API: the operator credits every organization for all its calls but the
  // last, which can afford only some (its calls get shorter time limits, then 402).
  const operatorLogin = await api(0, 'POST', '/api/auth/login', {
    body: { email: OPERATOR_EMAIL, password: PASSWORD },
  });
  if (operatorLogin.status !== 200)
    throw new Error(`operator login answered ${operatorLogin.status}`);
  const credits = new Map();
  for (const [i, organization] of organizations.entries()) {
    const login = await api(i % 2, 'POST', '/api/auth/login', {
      body: { email: organization.email, password: PASSWORD },
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    organization.token = login.body.accessToken;
    const tight = i === organizations.length - 1 && organizations.length > 1;
    const amount = tight ? 20_000_000n : 5_000_000_000n;
    const topup = await api(
      i % 2,
      'POST',
      `/api/platform/organizations/${organization.id}/credits`,
      {
        token: operatorLogin.body.accessToken,
        headers: { 'idempotency-key': `chaos-credit-${organization.id}` },
        body: { amountMicros: amount.toString(), reason: 'chaos run' },
      },
    );
    if (topup.status !== 201)
      throw new Error(`credit answered ${topup.status}: ${JSON.stringify(topup.body)}`);
    credits.set(organization.id, amount);
  }

  // Calls placed through the API on both nodes: the call row and its hold, as users make them.
  const placedAt = Date.now();
  /** @type {Map<string, Omit<PlacedCall, 'events' | 'eventKeys'>>} */
  const placedCalls = new Map();
  let refused = 0;
  await pool(
    Array.from({ length: CALLS }, (_, i) => i),
    16,
    async (i) => {
      const organization = organizations[i % organizations.length];
      const status = pickOutcome();
      const talkSeconds = 5 + randomInt(296);
      const placed = await api(i % 2, 'POST', '/api/calls', {
        token: organization.token,
        body: {
          provider: 'simulator',
          to: `+1415555${String(100 + randomInt(100)).padStart(4, '0')}`,
          scenario: status,
          talkSeconds,
        },
      });
      if (placed.status === 402) {
        refused += 1;
        return;
      }
      if (placed.status !== 201)
        throw new Error(
          `POST /api/calls answered ${placed.status}: ${JSON.stringify(placed.body)}`,
        );
      const call = placed.body;
      placedCalls.set(call.id, {
        id: call.id,
        providerCallId: call.providerCallId,
        organizationId: organization.id,
        status,
        timeLimitSeconds: call.timeLimitSeconds,
        // The provider cuts the call at its time limit (Twilio's <Dial timeLimit>, the simulator).
        talkSeconds: status === 'completed' ? Math.min(talkSeconds, call.timeLimitSeconds) : 0,
      });
    },
  );
  const placementSeconds = (Date.now() - placedAt) / 1000;
  say(
    `${placedCalls.size} calls placed (${refused} refused 402) in ${placementSeconds.toFixed(1)} s`,
  );

  // Every event 3 times, all shuffled together, each copy to a random node.
  /** @type {SentEvent[]} */
  const deliveries = [];
  /** @type {Map<string, PlacedCall>} */
  const calls = new Map();
  for (const [id, call] of placedCalls) {
    const events = eventsOf(call);
    calls.set(id, { ...call, events, eventKeys: events.map((event) => event.id) });
  }
  /** @type {string | undefined} */
  let lostOnPurpose;
  if (SABOTAGE.has('lose')) {
    const victim = [...calls.values()][randomInt(calls.size)];
    lostOnPurpose = victim.events[victim.events.length - 1].id;
    say(`sabotage: ${lostOnPurpose} is never sent`);
  }
  for (const call of calls.values())
    for (const event of call.events)
      if (event.id !== lostOnPurpose)
        for (let copy = 0; copy < COPIES; copy += 1) deliveries.push(event);
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  deliveriesTotal = deliveries.length;

  const sender = new SimulatorSender({ nodes, secret, maxSockets: CONCURRENCY });
  /** @type {string[]} */
  const refusedWebhooks = [];
  const deliveryStarted = Date.now();
  say(`delivering ${deliveriesTotal} webhooks (${COPIES} copies of each event) with faults`);
  const chaosDone = chaos();
  const progressTimer = setInterval(
    () => say(`… ${delivered}/${deliveriesTotal} webhooks answered 2xx`),
    SHORT ? 5000 : 15_000,
  );
  await pool(deliveries, CONCURRENCY, async (event) => {
    const status = await sender.deliver(randomInt(nodes.length), event.id, event.body);
    if (status >= 400) refusedWebhooks.push(`${event.id}: ${status}`);
    delivered += 1;
  });
  deliveryDone = true;
  const deliverySeconds = (Date.now() - deliveryStarted) / 1000;
  clearInterval(progressTimer);
  sender.destroy();
  say(`all webhooks answered in ${deliverySeconds.toFixed(1)} s; waiting for the faults to settle`);
  await chaosDone;

  // Drained when no stored event is waiting (received or retrying) any more.
  let drained = false;
  const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
  let lastSaid = 0;
  while (Date.now() < drainDeadline) {
    const [state] = await query(
      `SELECT count(*) FILTER (WHERE state IN ('received', 'retrying'))::int AS pending,
              count(*) FILTER (WHERE state = 'processed')::int AS processed,
              count(*)::int AS stored
         FROM webhook_events`,
    );
    if (Date.now() - lastSaid >= (SHORT ? 5000 : 15_000) || state.pending === 0) {
      say(`${state.processed}/${state.stored} events processed, ${state.pending} pending`);
      lastSaid = Date.now();
    }
    if (state.pending === 0) {
      drained = true;
      break;
    }
    await sleep(1000);
  }
  const drainSeconds = (Date.now() - deliveryStarted) / 1000;

  if (SABOTAGE.has('duplicate')) {
    const [row] = await query(
      `INSERT INTO call_events (call_id, organization_id, webhook_event_id, provider, raw_status, status, applied, outcome, facts, occurred_at, received_at)
       SELECT call_id, organization_id, webhook_event_id, provider, raw_status, status, false, 'same_status', facts, occurred_at, received_at
         FROM call_events WHERE webhook_event_id IS NOT NULL LIMIT 1 RETURNING webhook_event_id`,
    );
    say(`sabotage: a second timeline row for webhook event ${row.webhook_event_id}`);
  }
  if (SABOTAGE.has('double-charge')) {
    const [call] = await query(
      `SELECT c.id, c.organization_id, c.cost_micros, w.wallet_account_id
         FROM calls c JOIN wallets w ON w.organization_id = c.organization_id
        WHERE c.status = 'completed' AND c.cost_micros > 0 LIMIT 1`,
    );
    const [revenue] = await query(
      `SELECT id FROM ledger_accounts WHERE organization_id IS NULL AND kind = 'platform_revenue'`,
    );
    const [tx] = await query(
      `INSERT INTO ledger_transactions (organization_id, kind, idempotency_key, balance_change_micros, held_change_micros, balance_after_micros, held_after_micros, call_id)
       SELECT $1, 'call_charge', $2, -$3::bigint, 0, balance_micros - $3::bigint, held_micros, $4 FROM wallets WHERE organization_id = $1
       RETURNING id`,
      [call.organization_id, `call:${call.id}:charge-again`, call.cost_micros, call.id],
    );
    await query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount_micros) VALUES ($1, $2, -$4::bigint), ($1, $3, $4::bigint)`,
      [tx.id, call.wallet_account_id, revenue.id, call.cost_micros],
    );
    await query(
      `UPDATE wallets SET balance_micros = balance_micros - $2::bigint WHERE organization_id = $1`,
      [call.organization_id, call.cost_micros],
    );
    say(`sabotage: call ${call.id} charged a second time`);
  }

  const client = new pg.Client({ connectionString: startedPostgres.url('switchboard_chaos') });
  await client.connect();
  const audit = await auditChaosRun(client, { calls, credits });
  await client.end();
  for (const refusal of refusedWebhooks.slice(0, 10))
    audit.problems.unshift(`webhook refused by the api: ${refusal}`);
  if (!drained) audit.problems.unshift(`events still pending after ${DRAIN_TIMEOUT_MS / 1000} s`);

  const { counts } = audit;
  const statusLine = Object.entries(counts.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  console.log(`\nChaos run — ${machine()} (shared with other work: figures are indicative)`);
  console.log(
    `calls: ${counts.calls} placed through the API on 2 nodes in ${placementSeconds.toFixed(1)} s (${(calls.size / placementSeconds).toFixed(0)}/s), ${refused} refused 402 by the tight wallet; final: ${statusLine}`,
  );
  console.log(
    `webhooks: ${deliveriesTotal} deliveries (${counts.eventsSent} events × ${COPIES}, shuffled) answered 2xx by api-1 ${sender.perNode[0]}, api-2 ${sender.perNode[1]}; ${sender.retries} retried by the sender (answers ${JSON.stringify(sender.answers)})`,
  );
  console.log(
    `events: ${counts.eventsStored} stored, ${counts.eventsProcessed} processed; ${counts.callsCharged} calls charged; ${counts.ledgerTransactions} ledger transactions; ${counts.wallets} wallets, ${counts.walletsBelowZero} below zero, ${counts.callsWithHoldLeft} holds left`,
  );
  console.log(
    `throughput: ${(deliveriesTotal / deliverySeconds).toFixed(0)} webhooks/s delivered over ${deliverySeconds.toFixed(1)} s; ${(counts.eventsProcessed / drainSeconds).toFixed(0)} events/s processed (${drainSeconds.toFixed(1)} s from the first delivery to the last event processed)`,
  );
  console.log(`faults (${faults.length}):`);
  for (const { at, what } of faults) console.log(`  ${at}  ${what}`);
  console.log(`total time ${clock()}`);
  passed =
    audit.lost === 0 &&
    audit.duplicated === 0 &&
    audit.doubleCharged === 0 &&
    audit.problems.length === 0;
  if (!passed) {
    console.log('\nproblems:');
    for (const line of audit.problems) console.log(`  - ${line}`);
  }
  console.log(
    `\n${passed ? 'PASS' : 'FAIL'}: ${audit.lost} lost, ${audit.duplicated} duplicated, ${audit.doubleCharged} double-charged`,
  );
} catch (error) {
  console.error(`chaos run aborted: ${(error instanceof Error && error.stack) || error}`);
} finally {
  await shutDown();
  process.exit(passed ? 0 : 1);
}
