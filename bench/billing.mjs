#!/usr/bin/env node
// @ts-check
// Billed terminal events per second: the worker turning stored `completed` webhooks into charged
// calls (lock event and call, state machine, timeline, capture + release on the ledger, all in one
// transaction), across 100 wallets and on one hot wallet. Events are stored and queued up front;
// the clock runs from the worker's start until the last call is charged.
//   node bench/billing.mjs [--calls 4000] [--workers 1] [--concurrency 100]
// Needs `npm run build -w backend`. Prints figures; not part of npm test.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { Queue } from 'bullmq';
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
} from './lib/environment.mjs';
import { parseArgs } from './lib/args.mjs';

const args = parseArgs();
const CALLS = args.number('calls', 4000);
const WORKERS = args.number('workers', 1);
const CONCURRENCY = args.number('concurrency', 100);
const HOLD = 600_000n; // 10 minutes at 0.06/min
const RATE = 60_000n;

/**
 * @typedef {{ eventId: string, call: { provider: 'simulator', callId: string, providerCallId: string, parentProviderCallId: null } }} BillingJob
 */

/**
 * Organizations with funded wallets, their calls in progress and one stored `completed` webhook
 * each; the jobs that process them.
 * @param {pg.Client} client
 * @param {number} organizations
 * @param {number} callsPerOrganization
 * @param {string} label
 * @returns {Promise<{ organizationIds: string[], jobs: BillingJob[] }>}
 */
async function prepare(client, organizations, callsPerOrganization, label) {
  const organizationIds = [];
  for (let i = 0; i < organizations; i += 1) {
    const { rows } = await client.query(
      `INSERT INTO organizations (name) VALUES ($1) RETURNING id`,
      [`${label} ${i}`],
    );
    organizationIds.push(rows[0].id);
  }
  await client.query(
    `INSERT INTO ledger_accounts (organization_id, kind, currency) VALUES (NULL, 'topup_funding', 'USD') ON CONFLICT DO NOTHING`,
  );
  const events = [];
  for (const organizationId of organizationIds) {
    const wallet = (
      await client.query(
        `INSERT INTO ledger_accounts (organization_id, kind, currency) VALUES ($1, 'wallet', 'USD') RETURNING id`,
        [organizationId],
      )
    ).rows[0].id;
    const holds = (
      await client.query(
        `INSERT INTO ledger_accounts (organization_id, kind, currency) VALUES ($1, 'holds', 'USD') RETURNING id`,
        [organizationId],
      )
    ).rows[0].id;
    const held = HOLD * BigInt(callsPerOrganization);
    // Balance and held as if each call had been placed through the ledger (top-up, then one hold per call).
    await client.query(
      `INSERT INTO wallets (organization_id, currency, wallet_account_id, holds_account_id, balance_micros, held_micros) VALUES ($1, 'USD', $2, $3, $4, $5)`,
      [organizationId, wallet, holds, (held * 2n).toString(), held.toString()],
    );
    const tx = (
      await client.query(
        `INSERT INTO ledger_transactions (organization_id, kind, idempotency_key, balance_change_micros, held_change_micros, balance_after_micros, held_after_micros)
       VALUES ($1, 'topup', $2, $3, 0, $3, 0) RETURNING id`,
        [organizationId, `bench-topup-${organizationId}`, (held * 2n).toString()],
      )
    ).rows[0].id;
    const funding = (
      await client.query(
        `SELECT id FROM ledger_accounts WHERE organization_id IS NULL AND kind = 'topup_funding'`,
      )
    ).rows[0].id;
    await client.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount_micros) VALUES ($1, $2, $3), ($1, $4, $5)`,
      [tx, wallet, (held * 2n).toString(), funding, (-held * 2n).toString()],
    );
    const hold = (
      await client.query(
        `INSERT INTO ledger_transactions (organization_id, kind, idempotency_key, balance_change_micros, held_change_micros, balance_after_micros, held_after_micros)
       VALUES ($1, 'hold', $2, 0, $3, $4, $3) RETURNING id`,
        [organizationId, `bench-holds-${organizationId}`, held.toString(), (held * 2n).toString()],
      )
    ).rows[0].id;
    await client.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount_micros) VALUES ($1, $2, $3), ($1, $4, $5)`,
      [hold, wallet, (-held).toString(), holds, held.toString()],
    );

    const values = [];
    const params = [];
    for (let c = 0; c < callsPerOrganization; c += 1) {
      const id = randomUUID();
      const providerCallId = `SIMbench${id.replace(/-/g, '').slice(0, 20)}`;
      params.push(id, organizationId, providerCallId);
      const n = params.length;
      values.push(
        `($${n - 2}, $${n - 1}, 'simulator', $${n}, '+14155550100', 'in_progress', ${HOLD}, '1', ${RATE}, 60, 60, 0, 600)`,
      );
      events.push({ id, providerCallId });
    }
    await client.query(
      `INSERT INTO calls (id, organization_id, provider, provider_call_id, to_number, status, hold_micros, rate_prefix, rate_per_minute_micros, rate_initial_increment, rate_subsequent_increment, rate_minimum_seconds, time_limit_seconds)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
  // One stored `completed` webhook per call, as the ingress would have stored it.
  /** @type {BillingJob[]} */
  const jobs = [];
  for (let i = 0; i < events.length; i += 500) {
    const chunk = events.slice(i, i + 500);
    /** @type {string[]} */
    const params = [];
    const values = chunk.map((event, index) => {
      const body = JSON.stringify({
        id: `msg_${event.providerCallId}_completed`,
        call_id: event.providerCallId,
        switchboard_call_id: event.id,
        status: 'completed',
        occurred_at: new Date().toISOString(),
        duration_seconds: 61 + (index % 300),
      });
      params.push(`msg_${event.providerCallId}_completed`, body);
      return `('simulator', $${params.length - 1}, '/api/webhooks/simulator', '{}', 'application/json', $${params.length})`;
    });
    const { rows } = await client.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body) VALUES ${values.join(', ')} RETURNING id, dedupe_key`,
      params,
    );
    // As the ingress enqueues them: the event id, and the keys of its call read from the body.
    const callOf = new Map(chunk.map((event) => [`msg_${event.providerCallId}_completed`, event]));
    for (const row of rows) {
      const call = callOf.get(row.dedupe_key);
      if (!call) throw new Error(`stored an event nobody sent: ${row.dedupe_key}`);
      jobs.push({
        eventId: row.id,
        call: {
          provider: 'simulator',
          callId: call.id,
          providerCallId: call.providerCallId,
          parentProviderCallId: null,
        },
      });
    }
  }
  return { organizationIds, jobs };
}

/**
 * @param {string} label
 * @param {number} organizations
 * @param {number} callsPerOrganization
 * @param {import('./lib/environment.mjs').BenchEnv} env
 */
async function run(label, organizations, callsPerOrganization, env) {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const { organizationIds, jobs } = await prepare(
    client,
    organizations,
    callsPerOrganization,
    label,
  );
  // Real traffic interleaves organizations: queue the events in random order.
  for (let i = jobs.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
  }
  const queue = new Queue('webhook-events', {
    connection: { url: env.REDIS_URL },
    prefix: `${env.REDIS_PREFIX}-bull`,
  });
  for (let i = 0; i < jobs.length; i += 1000) {
    await queue.addBulk(
      jobs.slice(i, i + 1000).map((data) => ({
        name: 'process-webhook-event',
        data,
        opts: { jobId: data.eventId, attempts: 5 },
      })),
    );
  }
  await queue.close();

  const started = Date.now();
  const workers = Array.from({ length: WORKERS }, () =>
    startProcess(
      process.env.BENCH_WORKER_SCRIPT ?? join(root, 'backend/dist/worker.js'),
      { ...env, WEBHOOK_WORKER_CONCURRENCY: String(CONCURRENCY) },
      'worker',
    ),
  );
  // The clock starts at the first charged call (worker start-up excluded) and stops at the last.
  let charged = 0;
  let firstAt = 0;
  let firstCount = 0;
  while (charged < jobs.length) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    charged = Number(
      (
        await client.query(
          `SELECT count(*) FROM calls WHERE organization_id = ANY($1) AND cost_micros IS NOT NULL`,
          [organizationIds],
        )
      ).rows[0].count,
    );
    if (!firstAt && charged > 0) {
      firstAt = Date.now();
      firstCount = charged;
    }
    if (Date.now() - started > 600_000)
      throw new Error(`only ${charged} of ${jobs.length} charged after 10 minutes`);
  }
  const seconds = (Date.now() - firstAt) / 1000;
  const measured = jobs.length - firstCount;
  for (const worker of workers) await stop(worker);

  // The books must balance: every call charged once, entries sum to zero, cache = entries.
  const checks = (
    await client.query(
      `SELECT
       (SELECT count(*) FROM ledger_transactions WHERE organization_id = ANY($1) AND kind = 'capture')::int AS captures,
       (SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY 1 HAVING sum(amount_micros) <> 0) x)::int AS unbalanced,
       (SELECT coalesce(sum(held_micros), 0) FROM wallets WHERE organization_id = ANY($1))::text AS held`,
      [organizationIds],
    )
  ).rows[0];
  await client.end();
  return { label, events: jobs.length, seconds, perSecond: measured / seconds, ...checks };
}

const results = [];
const spread = benchEnvironment('billing_spread');
const calibration = await calibrate(spread);
const hot = benchEnvironment('billing_hot');
try {
  for (const env of [spread, hot]) {
    migrate(env);
    spawnSync(process.execPath, [join(root, 'backend/dist/database/cli.js'), 'default-rates'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
  }
  results.push(await run('100 wallets', 100, Math.ceil(CALLS / 100), spread));
  results.push(await run('1 hot wallet', 1, CALLS, hot));
} finally {
  await cleanUp(spread);
  await cleanUp(hot);
}

console.log(`\nBilling throughput — ${machine()}`);
console.log(calibration);
console.log(
  `${WORKERS} worker process(es), ${CONCURRENCY} jobs each in parallel; events queued up front\n`,
);
console.log(
  'scenario      | events | seconds | billed events/s | captures | unbalanced transactions | held left',
);
for (const r of results) {
  console.log(
    `${r.label.padEnd(13)} | ${String(r.events).padStart(6)} | ${fmt(r.seconds, 2).padStart(7)} | ${fmt(r.perSecond, 0).padStart(15)} | ${String(r.captures).padStart(8)} | ${String(r.unbalanced).padStart(23)} | ${r.held}`,
  );
}
console.log('\ntargets: ≥ 2000/s across 100 wallets, ≥ 800/s on one hot wallet');
