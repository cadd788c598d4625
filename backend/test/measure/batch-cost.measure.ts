import { INestApplicationContext } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { WebhookProcessingService } from '../../src/modules/webhooks/webhook-processing.service';
import { ProcessWebhookEventJob } from '../../src/modules/webhooks/webhook-job';
import { startWorker } from '../support/test-worker';

/**
 * Cost of one worker batch, measured deterministically on the test database (not throughput):
 * statements sent, rows written per table, and, from auto_explain (loaded in the batch's session,
 * its plans sent to the client as NOTICEs), each statement's and each trigger's time. Each variant
 * runs ROUNDS batches of EVENTS `completed` events (calls in progress with a hold, 10 organizations,
 * as bench/billing), fresh calls every round; the figures are medians.
 *
 *   cd backend && npx jest --testMatch '<rootDir>/test/measure/*.measure.ts' [-t variant]
 *
 * Not part of npm test (its figures are printed, not asserted).
 */
const EVENTS = Number(process.env.MEASURE_EVENTS ?? 100);
const ROUNDS = Number(process.env.MEASURE_ROUNDS ?? 15);
const ORGANIZATIONS = 10;
const HOLD = 600_000n;

interface Statement {
  sql: string;
  ms: number;
  rows: number;
}

const scope = new AsyncLocalStorage<{ statements: Statement[]; notices: string[] }>();
const hooked = new WeakSet<pg.Client>();
const originalQuery = pg.Client.prototype.query;
// Every statement a batch sends, with its time and rows; and the NOTICEs its session receives.
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const store = scope.getStore();
  if (!hooked.has(this)) {
    hooked.add(this);
    this.on('notice', (notice) => activeNotices?.push(notice.message ?? ''));
  }
  if (!store) return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  activeNotices = store.notices;
  const text =
    typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
  const started = performance.now();
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    return (result as Promise<pg.QueryResult | pg.QueryResult[]>).then((value) => {
      const results = Array.isArray(value) ? value : [value];
      store.statements.push({
        sql: text,
        ms: performance.now() - started,
        rows: results.reduce((sum, r) => sum + (r?.rowCount ?? 0), 0),
      });
      return value;
    });
  }
  store.statements.push({ sql: text, ms: NaN, rows: NaN });
  return result;
} as typeof pg.Client.prototype.query;
let activeNotices: string[] | undefined;

const TABLES = [
  'calls',
  'call_events',
  'call_rollup_deltas',
  'call_outcomes',
  'webhook_events',
  'ledger_transactions',
  'ledger_entries',
  'wallets',
  'contacts',
];

describe('cost of one worker batch (printed, not asserted)', () => {
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let processing: WebhookProcessingService;
  const report: string[] = [];

  beforeAll(async () => {
    worker = await startWorker({ MAX_CALL_SECONDS: '600' });
    dataSource = worker.get(DataSource);
    processing = worker.get(WebhookProcessingService);
  }, 60_000);
  afterAll(async () => {
    console.log(report.join('\n'));
    await worker.close();
  });

  async function prepare(): Promise<ProcessWebhookEventJob[]> {
    const events: { id: string; providerCallId: string }[] = [];
    const perOrganization = EVENTS / ORGANIZATIONS;
    for (let o = 0; o < ORGANIZATIONS; o += 1) {
      const [organization] = await dataSource.query(
        `INSERT INTO organizations (name) VALUES ($1) RETURNING id`,
        [`measure ${randomUUID()}`],
      );
      const organizationId = organization.id as string;
      const [wallet] = await dataSource.query(
        `INSERT INTO ledger_accounts (organization_id, kind, currency) VALUES ($1, 'wallet', 'USD') RETURNING id`,
        [organizationId],
      );
      const [holds] = await dataSource.query(
        `INSERT INTO ledger_accounts (organization_id, kind, currency) VALUES ($1, 'holds', 'USD') RETURNING id`,
        [organizationId],
      );
      const held = HOLD * BigInt(perOrganization);
      await dataSource.query(
        `INSERT INTO wallets (organization_id, currency, wallet_account_id, holds_account_id, balance_micros, held_micros)
         VALUES ($1, 'USD', $2, $3, $4, $5)`,
        [organizationId, wallet.id, holds.id, (held * 2n).toString(), held.toString()],
      );
      const values: string[] = [];
      const params: string[] = [];
      for (let c = 0; c < perOrganization; c += 1) {
        const id = randomUUID();
        const providerCallId = `SIMmeasure${id.replace(/-/g, '').slice(0, 20)}`;
        params.push(id, organizationId, providerCallId);
        const n = params.length;
        values.push(
          `($${n - 2}, $${n - 1}, 'simulator', $${n}, '+14155550100', 'in_progress', now() - interval '2 minutes', ${HOLD}, '1', 60000, 60, 60, 0, 600)`,
        );
        events.push({ id, providerCallId });
      }
      await dataSource.query(
        `INSERT INTO calls (id, organization_id, provider, provider_call_id, to_number, status, answered_at, hold_micros,
                            rate_prefix, rate_per_minute_micros, rate_initial_increment, rate_subsequent_increment,
                            rate_minimum_seconds, time_limit_seconds)
         VALUES ${values.join(', ')}`,
        params,
      );
    }
    const params: string[] = [];
    const values = events.map((event, index) => {
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
    const rows: { id: string; dedupe_key: string }[] = await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, content_type, raw_body)
       VALUES ${values.join(', ')} RETURNING id, dedupe_key`,
      params,
    );
    const byKey = new Map(events.map((e) => [`msg_${e.providerCallId}_completed`, e]));
    return rows.map((row) => {
      const call = byKey.get(row.dedupe_key)!;
      return {
        eventId: row.id,
        call: {
          provider: 'simulator' as const,
          callId: call.id,
          providerCallId: call.providerCallId,
          parentProviderCallId: null,
        },
      };
    });
  }

  async function tableRows(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
      counts[table] = row.n;
    }
    return counts;
  }

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };

  /** Runs ROUNDS batches (plus one warm-up) and reports the medians; one round with auto_explain. */
  async function measure(variant: string): Promise<void> {
    const times: number[] = [];
    let statements: Statement[] = [];
    let written: Record<string, number> = {};
    for (let round = 0; round <= ROUNDS; round += 1) {
      const jobs = await prepare();
      const before = await tableRows();
      const store = { statements: [] as Statement[], notices: [] as string[] };
      const started = performance.now();
      const results = await scope.run(store, () => processing.processBatch(jobs));
      const ms = performance.now() - started;
      const failed = [...results.values()].filter((r) => r !== 'processed');
      if (failed.length) throw new Error(`${failed.length} events not processed: ${failed[0]}`);
      if (round === 0) continue; // warm-up: prepared statements, plans, caches
      times.push(ms);
      statements = store.statements;
      const after = await tableRows();
      written = Object.fromEntries(
        TABLES.map((t) => [t, after[t] - before[t]]).filter(([, n]) => n !== 0),
      );
    }
    // One more round with auto_explain: each statement's plan with its triggers' times.
    const jobs = await prepare();
    const explained = { statements: [] as Statement[], notices: [] as string[] };
    const explain = [
      `LOAD 'auto_explain'`,
      `SET auto_explain.log_min_duration = 0`,
      `SET auto_explain.log_analyze = on`,
      `SET auto_explain.log_buffers = on`,
      `SET auto_explain.log_wal = on`,
      `SET auto_explain.log_triggers = on`,
      `SET auto_explain.log_nested_statements = on`,
      `SET auto_explain.log_level = notice`,
      `SET client_min_messages = notice`,
    ];
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const clients: pg.PoolClient[] = [];
    for (let i = 0; i < pool.totalCount; i += 1) clients.push(await pool.connect());
    for (const client of clients) for (const sql of explain) await client.query(sql);
    for (const client of clients) client.release();
    await scope.run(explained, () => processing.processBatch(jobs));
    const off = await Promise.all(clients.map(() => pool.connect()));
    for (const client of off) await client.query(`SET auto_explain.log_min_duration = -1`);
    for (const client of off) client.release();

    const triggers = new Map<string, number[]>();
    for (const notice of explained.notices)
      for (const match of notice.matchAll(/Trigger ([\w ]+?): time=([\d.]+) calls=(\d+)/g))
        triggers.set(match[1], [...(triggers.get(match[1]) ?? []), Number(match[2])]);
    report.push(
      `\n## ${variant}: ${EVENTS} completed events, median of ${ROUNDS} batches: ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`,
      `statements: ${statements.length} round trips; rows written: ${JSON.stringify(written)}`,
      ...statements.map(
        (s, i) =>
          `  ${i + 1}. ${s.ms.toFixed(2)} ms, ${s.rows} rows: ${s.sql.replace(/\s+/g, ' ').slice(0, 150)}`,
      ),
      `auto_explain (one more batch, with ANALYZE): ${explained.notices.length} plans; triggers: ${
        [...triggers]
          .map(([name, ms]) => `${name} ${ms.map((m) => m.toFixed(2)).join('+')} ms`)
          .join('; ') || 'none'
      }`,
      ...summarizePlans(explained.notices),
    );
  }

  /**
   * The plans auto_explain sent: the foreign keys' checks (one per row and key) counted and summed
   * per table; the other statements with the time of their top node and of each write in them.
   */
  function summarizePlans(notices: string[]): string[] {
    const checks = new Map<string, { count: number; ms: number }>();
    const lines: string[] = [];
    for (const notice of notices) {
      const text = /Query Text: ([^\n]*)/.exec(notice)?.[1] ?? '';
      const times = [...notice.matchAll(/actual time=[\d.]+\.\.([\d.]+) rows=(\d+)/g)];
      const top = Number(times[0]?.[1] ?? NaN);
      const check = /^SELECT 1 FROM ONLY "public"\."(\w+)" x/.exec(text);
      if (check) {
        const sum = checks.get(check[1]) ?? { count: 0, ms: 0 };
        checks.set(check[1], { count: sum.count + 1, ms: sum.ms + top });
        continue;
      }
      const writes = [
        ...notice.matchAll(
          /(Insert|Update|Delete) on (\w+)[^\n]*actual time=[\d.]+\.\.([\d.]+) rows=\d+[^]*?WAL: records=(\d+)(?: fpi=\d+)? bytes=(\d+)/g,
        ),
      ]
        .map((m) => `${m[1].toLowerCase()} ${m[2]} ${m[3]} ms, WAL ${m[4]} records ${m[5]} B`)
        .join(', ');
      lines.push(
        `  plan: ${top.toFixed(2)} ms: ${text.replace(/\s+/g, ' ').slice(0, 80)}${writes ? ` [${writes}]` : ''}`,
      );
    }
    for (const [table, { count, ms }] of checks)
      lines.push(`  foreign-key checks on ${table}: ${count}, ${ms.toFixed(2)} ms in all`);
    return lines;
  }

  const INDEXES = [
    'calls_org_contact_created_idx',
    'calls_org_direction_created_idx',
    'calls_org_country_created_idx',
    'calls_org_provider_created_idx',
    'calls_org_status_created_idx',
  ];

  it('as it is', async () => {
    await measure('as it is');
  }, 300_000);

  it('without the roll-up triggers', async () => {
    await dataSource.query(`ALTER TABLE calls DISABLE TRIGGER calls_rollups_update`);
    await dataSource.query(`ALTER TABLE calls DISABLE TRIGGER calls_rollups_insert`);
    try {
      await measure('without the roll-up triggers');
    } finally {
      await dataSource.query(`ALTER TABLE calls ENABLE TRIGGER calls_rollups_update`);
      await dataSource.query(`ALTER TABLE calls ENABLE TRIGGER calls_rollups_insert`);
    }
  }, 300_000);

  for (const index of INDEXES) {
    it(`without ${index}`, async () => {
      const [definition] = await dataSource.query(
        `SELECT indexdef FROM pg_indexes WHERE indexname = $1`,
        [index],
      );
      await dataSource.query(`DROP INDEX ${index}`);
      try {
        await measure(`without ${index}`);
      } finally {
        await dataSource.query(definition.indexdef);
      }
    }, 300_000);
  }

  it('without any of the 5 (organization, filter, created_at, id) indexes', async () => {
    const definitions: string[] = [];
    for (const index of INDEXES) {
      const [definition] = await dataSource.query(
        `SELECT indexdef FROM pg_indexes WHERE indexname = $1`,
        [index],
      );
      definitions.push(definition.indexdef);
      await dataSource.query(`DROP INDEX ${index}`);
    }
    try {
      await measure('without the 5 filter indexes');
    } finally {
      for (const definition of definitions) await dataSource.query(definition);
    }
  }, 300_000);
});
