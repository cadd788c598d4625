import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import { fundWallet, loginAs, request, startApi, TestUser } from '../support/test-app';
import { eventually, freePort, RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate } from '../support/us-rate';

/**
 * The campaign engine end to end (DESIGN §9): real PostgreSQL, Redis, api, worker(s), the simulator
 * with its test numbers (+1 415 555 01NN decides each outcome), sped up 100 times.
 */
const ENV = {
  SIMULATOR_TIME_SCALE: '0.01',
  CAMPAIGN_TICK_MS: '100',
  MAX_CALL_SECONDS: '600',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const testNumber = (nn: number) => `+1415555${String(100 + nn).padStart(4, '0')}`;

interface Org {
  users: Record<UserRole, TestUser>;
  token: string;
}

describe('campaigns (real PostgreSQL, Redis, worker; simulator test numbers)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startStack(ENV);
    dataSource = stack.api.dataSource;
    baseUrl = stack.api.baseUrl;
  });
  afterAll(() => stack?.close());

  async function newOrg(fundMicros = 100_000_000n): Promise<Org> {
    const users = await organizationWithUsRate(stack.api, fundMicros);
    return { users, token: await loginAs(baseUrl, users.admin) };
  }
  const api = (org: Org, method: string, path: string, body?: unknown) =>
    request(baseUrl, method, path, { token: org.token, body });

  async function contacts(org: Org, numbers: number[], tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (const nn of numbers) {
      const created = await api(org, 'POST', '/api/contacts', {
        name: `Contact ${nn}`,
        phone: testNumber(nn),
        tags: [tag],
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    return ids;
  }

  async function createCampaign(org: Org, body: Record<string, unknown>): Promise<string> {
    const created = await api(org, 'POST', '/api/campaigns', {
      name: 'Test campaign',
      provider: 'simulator',
      pacing: { maxConcurrent: 2 },
      ...body,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    return created.body.id;
  }

  const campaign = async (org: Org, id: string) =>
    (await api(org, 'GET', `/api/campaigns/${id}`)).body;
  const until = (org: Org, id: string, status: string, timeoutMs = 60_000) =>
    eventually(
      async () => {
        const view = await campaign(org, id);
        return view.status === status ? view : null;
      },
      `campaign ${id} to be ${status}`,
      timeoutMs,
    );
  async function contactRows(org: Org, id: string) {
    const rows: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api(
        org,
        'GET',
        `/api/campaigns/${id}/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      rows.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return rows;
  }
  const campaignCalls = (id: string): Promise<any[]> =>
    dataSource.query(
      `SELECT id, to_number, status, cost_micros, created_at, hold_micros FROM calls
        WHERE metadata->>'campaignId' = $1 ORDER BY created_at`,
      [id],
    );
  /** Samples live calls (non-terminal) of a campaign until stopped; returns the peak. */
  function sampleLive(id: string) {
    let peak = 0;
    let running = true;
    const done = (async () => {
      while (running) {
        const [{ n }] = await dataSource.query(
          `SELECT count(*)::int AS n FROM calls
            WHERE metadata->>'campaignId' = $1 AND status IN ('initiated', 'ringing', 'in_progress')`,
          [id],
        );
        peak = Math.max(peak, n);
        await sleep(25);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await done;
        return peak;
      },
    };
  }

  it('validates a campaign with 400s naming the field', async () => {
    const org = await newOrg();
    const bad = async (body: Record<string, unknown>, message: RegExp) => {
      const response = await api(org, 'POST', '/api/campaigns', {
        name: 'x',
        provider: 'simulator',
        audience: { tag: 'a' },
        pacing: { maxConcurrent: 1 },
        ...body,
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toMatch(message);
    };
    await bad({ audience: {} }, /audience must name a tag or contactIds/);
    await bad({ audience: { contactIds: [randomUUID()] } }, /not contacts of your organization/);
    await bad({ pacing: { maxConcurrent: 0 } }, /maxConcurrent/);
    await bad({ provider: 'twilio' }, /provider must be one of/);
    await bad({ retry: { on: ['completed'], maxAttempts: 2, delaySeconds: 1 } }, /retry.on/);
    await bad({ schedule: { timeZone: 'Mars/Olympus' } }, /not a time zone/);
    await bad(
      { schedule: { windows: [{ days: [1], start: '10:00', end: '09:00' }] } },
      /must be after start/,
    );
    await bad({ schedule: { windows: [{ days: [8], start: '10:00', end: '11:00' }] } }, /days/);
    const empty = await createCampaign(org, { audience: { tag: 'nobody-has-it' } });
    const start = await api(org, 'POST', `/api/campaigns/${empty}/start`);
    expect(start.status).toBe(400);
    expect(start.body.message).toContain('matches no contacts');
    const agent = await request(baseUrl, 'GET', '/api/campaigns', {
      token: await loginAs(baseUrl, org.users.agent),
    });
    expect(agent.status).toBe(403);
  });

  it('ends each contact as its number says, retries exactly as configured, never dials a DNC number, never exceeds maxConcurrent, charges each attempt once', async () => {
    const org = await newOrg();
    const tag = `known-${randomUUID().slice(0, 6)}`;
    // 00–59 completed (20 + NN s), 61 busy, 72 no answer, 83 failed, 55 on the DNC list.
    const completedNumbers = [5, 10, 20, 30, 40];
    await contacts(org, [...completedNumbers, 61, 72, 83, 55], tag);
    expect((await api(org, 'POST', '/api/dnc', { phone: testNumber(55) })).status).toBe(201);
    const walletBefore = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: org.users.admin.organizationId });

    const id = await createCampaign(org, {
      audience: { tag },
      pacing: { maxConcurrent: 2, perMinute: 600 },
      retry: { on: ['busy', 'no_answer'], maxAttempts: 3, delaySeconds: 1 },
    });
    const sampler = sampleLive(id);
    const started = await api(org, 'POST', `/api/campaigns/${id}/start`);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', progress: { total: 9, skipped: 1 } });

    const done = await until(org, id, 'completed');
    const peak = await sampler.stop();
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2);
    expect(done.progress).toMatchObject({
      total: 9,
      pending: 0,
      inFlight: 0,
      completed: 5,
      failed: 3,
      skipped: 1,
      attempts: 5 + 3 + 3 + 1,
    });

    const rows = await contactRows(org, id);
    const byNumber = new Map(rows.map((row) => [row.phone, row]));
    for (const nn of completedNumbers) {
      expect(byNumber.get(testNumber(nn))).toMatchObject({
        state: 'done',
        outcome: 'completed',
        attempts: 1,
        skipReason: null,
      });
    }
    expect(byNumber.get(testNumber(61))).toMatchObject({
      state: 'done',
      outcome: 'busy',
      attempts: 3,
      skipReason: 'retries_exhausted',
    });
    expect(byNumber.get(testNumber(72))).toMatchObject({
      outcome: 'no_answer',
      attempts: 3,
      skipReason: 'retries_exhausted',
    });
    // failed is not among retry.on: one attempt.
    expect(byNumber.get(testNumber(83))).toMatchObject({
      outcome: 'failed',
      attempts: 1,
      skipReason: null,
    });
    expect(byNumber.get(testNumber(55))).toMatchObject({
      state: 'skipped',
      skipReason: 'dnc',
      attempts: 0,
      calls: [],
    });

    const calls = await campaignCalls(id);
    expect(calls).toHaveLength(12);
    expect(calls.some((call) => call.to_number === testNumber(55))).toBe(false);
    // One call per attempt, each listed once on its contact.
    const listed = rows.flatMap((row) => row.calls);
    expect(new Set(listed).size).toBe(12);
    expect(new Set(calls.map((call) => call.id))).toEqual(new Set(listed));
    // Retries come at least delaySeconds after the previous attempt of the same contact.
    const busy = calls.filter((call) => call.to_number === testNumber(61));
    for (let i = 1; i < busy.length; i++) {
      expect(
        new Date(busy[i].created_at).getTime() - new Date(busy[i - 1].created_at).getTime(),
      ).toBeGreaterThanOrEqual(1000);
    }

    // Charged once each: the wallet moved by exactly the sum of the calls' costs, no hold left.
    await eventually(
      async () => (await campaignCalls(id)).every((call) => call.cost_micros !== null),
      'every call priced',
    );
    const priced = await campaignCalls(id);
    const charged = priced.reduce((sum, call) => sum + BigInt(call.cost_micros), 0n);
    const answered = priced.filter((call) => call.status === 'completed');
    expect(answered).toHaveLength(5);
    // US_PER_MINUTE: 20–60 s of talk is one minute (0.06).
    expect(charged).toBe(5n * 60_000n);
    const walletAfter = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: org.users.admin.organizationId });
    expect(walletBefore.balanceMicros - walletAfter.balanceMicros).toBe(charged);
    expect(walletAfter.heldMicros).toBe(0n);
    const [{ charges }] = await dataSource.query(
      `SELECT count(*)::int AS charges FROM ledger_transactions
        WHERE organization_id = $1 AND idempotency_key LIKE 'call:%:charge'`,
      [org.users.admin.organizationId],
    );
    expect(charges).toBeLessThanOrEqual(12);
    expect(done.progress.spentMicros).toBe(charged.toString());

    // The outcomes as CSV: a header and one row per contact.
    const csv = await fetch(`${baseUrl}/api/campaigns/${id}/contacts.csv`, {
      headers: { authorization: `Bearer ${org.token}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'name,phone,state,outcome,skip_reason,attempts,last_call_id,call_ids,last_call_summary',
    );
    expect(lines).toHaveLength(10);
    expect(lines.find((line) => line.includes(testNumber(61)))).toContain(
      'done,busy,retries_exhausted,3',
    );
  });

  it('pausing stops new placements and resuming continues', async () => {
    const org = await newOrg();
    const tag = `pause-${randomUUID().slice(0, 6)}`;
    // 59: 79 s of talk, 0.8 s here.
    await contacts(org, [59, 58, 57, 56, 54], tag);
    const id = await createCampaign(org, { audience: { tag }, pacing: { maxConcurrent: 1 } });
    expect((await api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    await eventually(async () => (await campaignCalls(id)).length >= 1, 'a first placement');
    const paused = await api(org, 'POST', `/api/campaigns/${id}/pause`);
    expect(paused.status).toBe(201);
    expect(paused.body).toMatchObject({ status: 'paused', pauseReason: 'manual' });
    const placedAtPause = (await campaignCalls(id)).length;
    // One attempt may have been released just before the pause: it is taken back, not placed.
    await sleep(2500);
    const placedWhilePaused = (await campaignCalls(id)).length;
    expect(placedWhilePaused).toBeLessThanOrEqual(placedAtPause + 1);
    await sleep(1000);
    expect((await campaignCalls(id)).length).toBe(placedWhilePaused);
    expect((await api(org, 'POST', `/api/campaigns/${id}/pause`)).status).toBe(201);
    expect((await api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(409);

    const resumed = await api(org, 'POST', `/api/campaigns/${id}/resume`);
    expect(resumed.body.status).toBe('running');
    const done = await until(org, id, 'completed');
    expect(done.progress).toMatchObject({ completed: 5, attempts: 5 });
    expect(await campaignCalls(id)).toHaveLength(5);
    expect((await api(org, 'POST', `/api/campaigns/${id}/resume`)).status).toBe(409);
  });

  it('the wallet running low pauses the campaign (never overdrawn) and a credit resumes it', async () => {
    // 0.15: the first call holds 0.12 (two minutes), so the second cannot be held.
    const org = await newOrg(150_000n);
    const organizationId = org.users.admin.organizationId;
    const tag = `wallet-${randomUUID().slice(0, 6)}`;
    await contacts(org, [0, 1, 2, 3], tag);
    const id = await createCampaign(org, { audience: { tag }, pacing: { maxConcurrent: 3 } });
    let lowest = 1n << 62n;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const wallet = await dataSource.getRepository(Wallet).findOneByOrFail({ organizationId });
        const available = wallet.balanceMicros - wallet.heldMicros;
        if (available < lowest) lowest = available;
        await sleep(20);
      }
    })();
    expect((await api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    const paused = await until(org, id, 'paused', 30_000);
    expect(paused.pauseReason).toBe('wallet');
    // Two calls fit in 0.15 (0.06 each); then it stays paused with contacts pending.
    await eventually(
      async () => {
        const view = await campaign(org, id);
        return view.status === 'paused' &&
          view.progress.completed === 2 &&
          view.progress.inFlight === 0
          ? view
          : null;
      },
      'two calls done and the campaign still paused for the wallet',
      30_000,
    );
    await sleep(1000);
    const stillPaused = await campaign(org, id);
    expect(stillPaused).toMatchObject({
      status: 'paused',
      pauseReason: 'wallet',
      progress: { pending: 2, completed: 2 },
    });

    await fundWallet(dataSource, organizationId, 1_000_000n);
    const done = await until(org, id, 'completed', 30_000);
    sampling = false;
    await sampler;
    expect(done.progress).toMatchObject({ completed: 4, attempts: 4 });
    expect(lowest).toBeGreaterThanOrEqual(0n);
    const wallet = await dataSource.getRepository(Wallet).findOneByOrFail({ organizationId });
    expect(wallet.balanceMicros).toBe(150_000n + 1_000_000n - 4n * 60_000n);
    expect(await campaignCalls(id)).toHaveLength(4);
  });

  it('places nothing before its window opens, then places', async () => {
    const org = await newOrg();
    const tag = `window-${randomUUID().slice(0, 6)}`;
    await contacts(org, [1, 2, 3], tag);
    // A UTC window opening at the next minute boundary at least 3 s away.
    let opens = Math.ceil((Date.now() + 3000) / 60_000) * 60_000;
    const at = new Date(opens);
    const hhmm = (date: Date) =>
      `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
    const end = new Date(opens + 10 * 60_000);
    const windows =
      end.getUTCDate() === at.getUTCDate()
        ? [{ days: [1, 2, 3, 4, 5, 6, 7], start: hhmm(at), end: hhmm(end) }]
        : [{ days: [1, 2, 3, 4, 5, 6, 7], start: hhmm(at), end: '24:00' }];
    opens = at.getTime();
    const id = await createCampaign(org, {
      audience: { tag },
      schedule: { timeZone: 'UTC', windows },
    });
    expect((await api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    await sleep(Math.max(0, opens - Date.now() - 500));
    expect(await campaignCalls(id)).toHaveLength(0);
    const done = await until(org, id, 'completed', 90_000);
    expect(done.progress.completed).toBe(3);
    for (const call of await campaignCalls(id)) {
      expect(new Date(call.created_at).getTime()).toBeGreaterThanOrEqual(opens);
    }
  }, 120_000);

  it('a worker SIGKILLed mid-campaign loses and duplicates no attempt', async () => {
    // Its own api and two worker processes; the stack's worker is not used (its own queue prefix).
    const prefix = `${process.env.REDIS_PREFIX}_kill`;
    const port = await freePort();
    const env = {
      ...ENV,
      REDIS_PREFIX: prefix,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    };
    const ownApi = await startApi(env, port);
    const workers: ChildProcess[] = [];
    const spawnWorker = () => {
      const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'worker.js')], {
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
        stdio: 'ignore',
      });
      workers.push(child);
      return child;
    };
    try {
      const users = await organizationWithUsRate(ownApi, 100_000_000n);
      const org = { users, token: await loginAs(ownApi.baseUrl, users.admin) };
      const call = (method: string, path: string, body?: unknown) =>
        request(ownApi.baseUrl, method, path, { token: org.token, body });
      const tag = `kill-${randomUUID().slice(0, 6)}`;
      const numbers = Array.from({ length: 24 }, (_, i) => i * 2); // completed, 20–66 s
      for (const nn of numbers) {
        const created = await call('POST', '/api/contacts', {
          name: `Kill ${nn}`,
          phone: testNumber(nn),
          tags: [tag],
        });
        expect(created.status).toBe(201);
      }
      const created = await call('POST', '/api/campaigns', {
        name: 'Kill test',
        provider: 'simulator',
        audience: { tag },
        pacing: { maxConcurrent: 4, perMinute: 6000 },
      });
      const id = created.body.id;
      const first = spawnWorker();
      spawnWorker();
      expect((await call('POST', `/api/campaigns/${id}/start`)).status).toBe(201);
      await eventually(
        async () => (await campaignCalls(id)).length >= 6,
        'a few placements',
        60_000,
      );
      first.kill('SIGKILL');
      const done = await eventually(
        async () => {
          const view = (await call('GET', `/api/campaigns/${id}`)).body;
          return view.status === 'completed' ? view : null;
        },
        'the campaign to complete on the surviving worker',
        90_000,
      ).catch(async (error) => {
        // What was left, to tell a lost attempt from a slow one.
        const left = await dataSource.query(
          `SELECT a.state, a.attempt, c.status, c.provider_call_id IS NOT NULL AS named, c.created_at
             FROM campaign_attempts a LEFT JOIN calls c ON c.id = a.call_id
            WHERE a.campaign_id = $1 AND a.state <> 'ended'`,
          [id],
        );
        const view = (await call('GET', `/api/campaigns/${id}`)).body;
        throw new Error(`${error.message}: ${JSON.stringify({ left, view })}`);
      });
      expect(done.progress).toMatchObject({ total: 24, completed: 24, attempts: 24 });
      const calls = await campaignCalls(id);
      expect(calls).toHaveLength(24);
      expect(new Set(calls.map((row) => row.to_number)).size).toBe(24);
      const [{ duplicates }] = await dataSource.query(
        `SELECT count(*)::int AS duplicates FROM (
           SELECT campaign_contact_id, attempt FROM campaign_attempts WHERE campaign_id = $1
            GROUP BY 1, 2 HAVING count(*) > 1) d`,
        [id],
      );
      expect(duplicates).toBe(0);
    } finally {
      for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL');
      await ownApi.close();
    }
  }, 180_000);
});
