import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { CallPlacementService } from '../../src/modules/calls/call-placement.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { CampaignEngine } from '../../src/modules/campaigns/campaign-engine.service';
import { CampaignAttempt } from '../../src/modules/campaigns/entities/campaign-attempt.entity';
import { CampaignContact } from '../../src/modules/campaigns/entities/campaign-contact.entity';
import { ProviderApiStub } from '../fixtures/providers/provider-api-stub';
import { loginAs, request, TestUser } from '../support/test-app';
import { connectSocket } from '../support/sockets';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate } from '../support/us-rate';

/** The rules a campaign obeys at each placement, and its exactly-once recovery, on the real stack. */
const testNumber = (nn: number) => `+1415555${String(100 + nn).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Org {
  users: Record<UserRole, TestUser>;
  token: string;
}

function harness(
  env: Record<string, string> | (() => Record<string, string>),
  before?: () => Promise<unknown>,
) {
  const h = {} as {
    stack: RunningStack;
    dataSource: DataSource;
    newOrg(): Promise<Org>;
    api(
      org: Org,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; body: any }>;
    contacts(org: Org, phones: string[], tag: string): Promise<string[]>;
    campaign(org: Org, body: Record<string, unknown>): Promise<string>;
    until(org: Org, id: string, status: string): Promise<any>;
    rows(org: Org, id: string): Promise<Map<string, any>>;
  };
  beforeAll(async () => {
    await before?.();
    h.stack = await startStack({
      SIMULATOR_TIME_SCALE: '0.01',
      CAMPAIGN_TICK_MS: '100',
      MAX_CALL_SECONDS: '600',
      ...(typeof env === 'function' ? env() : env),
    });
    h.dataSource = h.stack.api.dataSource;
  });
  afterAll(() => h.stack?.close());
  h.newOrg = async () => {
    const users = await organizationWithUsRate(h.stack.api, 100_000_000n);
    return { users, token: await loginAs(h.stack.api.baseUrl, users.admin) };
  };
  h.api = (org, method, path, body) =>
    request(h.stack.api.baseUrl, method, path, { token: org.token, body });
  h.contacts = async (org, phones, tag) => {
    const ids: string[] = [];
    for (const phone of phones) {
      const created = await h.api(org, 'POST', '/api/contacts', {
        name: `Contact ${phone}`,
        phone,
        tags: [tag],
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    return ids;
  };
  h.campaign = async (org, body) => {
    const created = await h.api(org, 'POST', '/api/campaigns', {
      name: 'Rules',
      provider: 'simulator',
      pacing: { maxConcurrent: 2 },
      ...body,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  h.until = (org, id, status) =>
    eventually(
      async () => {
        const view = (await h.api(org, 'GET', `/api/campaigns/${id}`)).body;
        return view.status === status ? view : null;
      },
      `campaign to be ${status}`,
      30_000,
    );
  h.rows = async (org, id) => {
    const page = await h.api(org, 'GET', `/api/campaigns/${id}/contacts?limit=200`);
    return new Map<string, any>(page.body.items.map((row: any) => [row.phone, row]));
  };
  return h;
}

describe('campaign rules at placement (CALLING_HOURS=off)', () => {
  const h = harness({});

  it('skips a number listed after the start (recording the refused attempt) and one without a rate; publishes campaign:updated to admins only', async () => {
    const org = await newOrgWithSockets();
    const tag = `rules-${randomUUID().slice(0, 6)}`;
    await h.contacts(org, [testNumber(1), testNumber(2), '+74951234567'], tag);
    const id = await h.campaign(org, {
      audience: { tag },
      schedule: { startAt: new Date(Date.now() + 2500).toISOString() },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    expect((await h.api(org, 'POST', '/api/dnc', { phone: testNumber(2) })).status).toBe(201);
    const done = await h.until(org, id, 'completed');
    const rows = await h.rows(org, id);
    expect(done.progress).toMatchObject({ total: 3, completed: 1, skipped: 2, attempts: 1 });
    expect(rows.get(testNumber(2))).toMatchObject({ state: 'skipped', skipReason: 'dnc' });
    expect(rows.get('+74951234567')).toMatchObject({ state: 'skipped', skipReason: 'no_rate' });
    const [{ refused }] = await h.dataSource.query(
      `SELECT count(*)::int AS refused FROM dnc_refusals WHERE organization_id = $1 AND phone = $2`,
      [org.users.admin.organizationId, testNumber(2)],
    );
    expect(refused).toBe(1);
    const calls = await h.dataSource.query(
      `SELECT to_number FROM calls WHERE metadata->>'campaignId' = $1`,
      [id],
    );
    expect(calls).toEqual([{ to_number: testNumber(1) }]);

    await eventually(
      async () =>
        org.adminSocket.events.some(
          (event) =>
            event.event === 'campaign:updated' &&
            event.payload.id === id &&
            event.payload.status === 'completed',
        ),
      'campaign:updated (completed) on the admin socket',
    );
    expect(org.agentSocket.events.some((event) => event.event === 'campaign:updated')).toBe(false);
    org.adminSocket.close();
    org.agentSocket.close();
  });

  it('paces placements: never more than perMinute / 12 in any 5 s', async () => {
    const org = await h.newOrg();
    const tag = `pace-${randomUUID().slice(0, 6)}`;
    await h.contacts(
      org,
      [0, 1, 2, 3, 4, 5, 6, 7].map((nn) => testNumber(nn)),
      tag,
    );
    const id = await h.campaign(org, {
      audience: { tag },
      pacing: { maxConcurrent: 8, perMinute: 60 },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    await h.until(org, id, 'completed');
    const placed: number[] = (
      await h.dataSource.query(
        `SELECT created_at FROM calls WHERE metadata->>'campaignId' = $1 ORDER BY created_at`,
        [id],
      )
    ).map((row: { created_at: Date }) => new Date(row.created_at).getTime());
    expect(placed).toHaveLength(8);
    for (let i = 0; i + 5 < placed.length; i++) {
      expect(placed[i + 5] - placed[i]).toBeGreaterThanOrEqual(4900);
    }
  });

  it('skips a contact whose stored number is not a valid number (invalid_number)', async () => {
    const org = await h.newOrg();
    const tag = `invalid-${randomUUID().slice(0, 6)}`;
    await h.contacts(org, [testNumber(8)], tag);
    // A number stored before validation was as strict (an old import): written as such.
    await h.dataSource.query(
      `INSERT INTO contacts (organization_id, name, sort_name, phone, tags)
       VALUES ($1, 'Old import', 'old import', '+1555', ARRAY[$2])`,
      [org.users.admin.organizationId, tag],
    );
    const id = await h.campaign(org, { audience: { tag } });
    const started = await h.api(org, 'POST', `/api/campaigns/${id}/start`);
    expect(started.body.progress).toMatchObject({ total: 2, skipped: 1 });
    const done = await h.until(org, id, 'completed');
    expect(done.progress).toMatchObject({ completed: 1, skipped: 1 });
    expect((await h.rows(org, id)).get('+1555')).toMatchObject({
      state: 'skipped',
      skipReason: 'invalid_number',
      calls: [],
    });
  });

  it('cancel skips what was not dialed', async () => {
    const org = await h.newOrg();
    const tag = `cancel-${randomUUID().slice(0, 6)}`;
    await h.contacts(org, [testNumber(3), testNumber(4)], tag);
    const id = await h.campaign(org, {
      audience: { tag },
      schedule: { startAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    const cancelled = await h.api(org, 'POST', `/api/campaigns/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', progress: { skipped: 2 } });
    expect([...(await h.rows(org, id)).values()].map((row) => row.skipReason)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/cancel`)).status).toBe(409);
  });

  it('a suspended organization: its campaign pauses (reason suspended) before picking a contact, places nothing, and resumes once reinstated', async () => {
    const org = await h.newOrg();
    const organizationId = org.users.admin.organizationId;
    const tag = `suspend-${randomUUID().slice(0, 6)}`;
    await h.contacts(org, [testNumber(5), testNumber(6)], tag);
    const id = await h.campaign(org, {
      audience: { tag },
      schedule: { startAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    // The operator suspends the organization (PATCH /api/platform/organizations/:id sets this).
    await h.dataSource.query(`UPDATE organizations SET suspended_at = now() WHERE id = $1`, [
      organizationId,
    ]);
    const campaignRow = async () =>
      (
        await h.dataSource.query(`SELECT status, pause_reason FROM campaigns WHERE id = $1`, [id])
      )[0] as { status: string; pause_reason: string | null };
    await eventually(
      async () => (await campaignRow()).pause_reason === 'suspended',
      'the campaign to pause for the suspension',
      15_000,
    );
    expect(await campaignRow()).toEqual({ status: 'paused', pause_reason: 'suspended' });
    await sleep(500);
    // Nothing placed, no attempt released, nothing refused or held.
    expect(
      await h.dataSource.query(`SELECT id FROM calls WHERE metadata->>'campaignId' = $1`, [id]),
    ).toHaveLength(0);
    expect(
      await h.dataSource.query(`SELECT id FROM campaign_attempts WHERE campaign_id = $1`, [id]),
    ).toHaveLength(0);
    expect(await campaignRow()).toEqual({ status: 'paused', pause_reason: 'suspended' });

    await h.dataSource.query(`UPDATE organizations SET suspended_at = NULL WHERE id = $1`, [
      organizationId,
    ]);
    const done = await h.until(org, id, 'completed');
    expect(done.progress).toMatchObject({ total: 2, completed: 2, attempts: 2 });
    expect(done.pauseReason).toBeNull();
  });

  it('stats: the estimated remaining cost from the deck, then the answer rate and outcomes over time', async () => {
    const org = await h.newOrg();
    const tag = `stats-${randomUUID().slice(0, 6)}`;
    // 0.06/min billed per minute: one 60 s call costs 60,000 micros.
    await h.contacts(org, [testNumber(1), testNumber(2), testNumber(61)], tag);
    const preview = await h.api(org, 'POST', '/api/campaigns/preview', { audience: { tag } });
    expect(preview.body).toMatchObject({
      total: 3,
      noRate: 0,
      estimatedCostMicros: '180000',
      currency: 'USD',
      estimateCallSeconds: 60,
    });
    const later = await h.campaign(org, {
      audience: { tag },
      schedule: { startAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${later}/start`)).status).toBe(201);
    const waiting = await h.api(org, 'GET', `/api/campaigns/${later}/stats`);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({
      live: 0,
      settledAttempts: 0,
      answerRate: null,
      remainingAttempts: 3,
      expectedAttemptMicros: '60000',
      estimatedRemainingMicros: '180000',
      buckets: [],
    });
    await h.api(org, 'POST', `/api/campaigns/${later}/cancel`);

    const id = await h.campaign(org, { audience: { tag } });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    await h.until(org, id, 'completed');
    const stats = (await h.api(org, 'GET', `/api/campaigns/${id}/stats`)).body;
    expect(stats).toMatchObject({
      live: 0,
      settledAttempts: 3,
      answeredAttempts: 2,
      remainingAttempts: 0,
      estimatedRemainingMicros: '0',
      bucketSeconds: 10,
    });
    expect(stats.answerRate).toBeCloseTo(2 / 3);
    const sum = (key: string) =>
      stats.buckets.reduce((total: number, bucket: any) => total + bucket[key], 0);
    expect([sum('completed'), sum('busy'), sum('noAnswer'), sum('failed')]).toEqual([2, 1, 0, 0]);
    expect(BigInt(stats.progress.spentMicros)).toBeGreaterThan(0n);
    // The simulator summarizes answered calls: the contact's row carries its last call's summary.
    await eventually(
      async () => typeof (await h.rows(org, id)).get(testNumber(1))?.lastCallSummary === 'string',
      'the summary of the answered call on its contact row',
      15_000,
    );
    expect((await h.rows(org, id)).get(testNumber(61))?.lastCallSummary).toBeNull();
    const stranger = await h.newOrg();
    expect((await h.api(stranger, 'GET', `/api/campaigns/${id}/stats`)).status).toBe(404);
  });

  it('an attempt interrupted between its hold and the provider (a worker died) is placed once, not twice', async () => {
    const org = await h.newOrg();
    const tag = `crash-${randomUUID().slice(0, 6)}`;
    await h.contacts(org, [testNumber(7)], tag);
    // Running, but its start is an hour away: the scheduler releases nothing by itself.
    const id = await h.campaign(org, {
      audience: { tag },
      schedule: { startAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    const contact = await h.dataSource
      .getRepository(CampaignContact)
      .findOneByOrFail({ campaignId: id });
    // What a worker leaves when it dies right after the commit of the call and its hold.
    const placement = h.stack.worker.get(CallPlacementService);
    const attempt = await h.dataSource.transaction(async (manager) => {
      const call = await placement.createHeldCall(manager, {
        organizationId: org.users.admin.organizationId,
        agentId: org.users.admin.id,
        provider: 'simulator',
        to: contact.phone,
        country: 'US',
        from: null,
        contactId: contact.contactId,
        metadata: { campaignId: id, campaignAttempt: 1 },
      });
      await manager.update(
        CampaignContact,
        { id: contact.id },
        { state: 'in_flight', attempts: 1 },
      );
      return manager.save(
        manager.create(CampaignAttempt, {
          campaignId: id,
          campaignContactId: contact.id,
          attempt: 1,
          state: 'placing',
          callId: call.id,
        }),
      );
    });
    const engine = h.stack.worker.get(CampaignEngine);
    // The job runs again (stalled job), twice even: one call, asked of the simulator idempotently.
    await engine.attempt(id, attempt.id);
    await engine.attempt(id, attempt.id);
    const call = await eventually(async () => {
      const row = await h.dataSource.getRepository(Call).findOneByOrFail({ id: attempt.callId! });
      return row.status === 'completed' ? row : null;
    }, 'the interrupted call to complete');
    expect(call.billableSeconds).toBe(27);
    await eventually(async () => {
      const row = await h.dataSource
        .getRepository(CampaignContact)
        .findOneByOrFail({ id: contact.id });
      return row.state === 'done' && row.outcome === 'completed';
    }, 'the contact to be done');
    expect(
      await h.dataSource.query(`SELECT id FROM calls WHERE metadata->>'campaignId' = $1`, [id]),
    ).toHaveLength(1);
    await h.api(org, 'POST', `/api/campaigns/${id}/cancel`);
  });

  async function newOrgWithSockets() {
    const org = await h.newOrg();
    const adminSocket = await connectSocket(h.stack.api.baseUrl, org.token);
    const agentSocket = await connectSocket(
      h.stack.api.baseUrl,
      await loginAs(h.stack.api.baseUrl, org.users.agent),
    );
    return { ...org, adminSocket, agentSocket };
  }
});

describe('campaign windows against calling hours (CALLING_HOURS=enforce)', () => {
  const h = harness({ CALLING_HOURS: 'enforce' });

  it("skips contacts whose windows never meet their country's calling hours, and dials none of them", async () => {
    const org = await h.newOrg();
    const tag = `never-${randomUUID().slice(0, 6)}`;
    await h.contacts(org, [testNumber(1), testNumber(2)], tag);
    // 10:00–12:00 UTC is 02:00–05:00 in Los Angeles (415), always outside 08:00–21:00.
    const id = await h.campaign(org, {
      audience: { tag },
      schedule: {
        timeZone: 'UTC',
        windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '10:00', end: '12:00' }],
      },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    const done = await h.until(org, id, 'completed');
    expect(done.progress).toMatchObject({ total: 2, skipped: 2, attempts: 0 });
    for (const row of (await h.rows(org, id)).values()) {
      expect(row).toMatchObject({ state: 'skipped', skipReason: 'outside_hours', calls: [] });
    }
    await sleep(100);
    expect(
      await h.dataSource.query(`SELECT id FROM calls WHERE metadata->>'campaignId' = $1`, [id]),
    ).toHaveLength(0);
  });
});

describe('audience preview (CALLING_HOURS=enforce)', () => {
  const h = harness({ CALLING_HOURS: 'enforce' });

  it('counts the audience, what DNC and invalid numbers would skip, and who is inside their hours now', async () => {
    const org = await h.newOrg();
    const tag = `preview-${randomUUID().slice(0, 6)}`;
    const [contact] = await h.contacts(org, [testNumber(1), testNumber(2)], tag);
    expect(contact).toBeDefined();
    expect((await h.api(org, 'POST', '/api/dnc', { phone: testNumber(2) })).status).toBe(201);
    await h.dataSource.query(
      `INSERT INTO contacts (organization_id, name, sort_name, phone, tags)
       VALUES ($1, 'Old import', 'old import', '+1555', ARRAY[$2])`,
      [org.users.admin.organizationId, tag],
    );
    const plain = await h.api(org, 'POST', '/api/campaigns/preview', { audience: { tag } });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ total: 3, dnc: 1, invalidNumber: 1 });
    expect(plain.body.callableNow + plain.body.outsideHoursNow).toBe(1);
    // 10:00–12:00 UTC never meets 08:00–21:00 in Los Angeles.
    const narrowed = await h.api(org, 'POST', '/api/campaigns/preview', {
      audience: { tag },
      schedule: {
        timeZone: 'UTC',
        windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '10:00', end: '12:00' }],
      },
    });
    expect(narrowed.body).toMatchObject({ callableNow: 0, outsideHoursNow: 1 });
    const bad = await h.api(org, 'POST', '/api/campaigns/preview', { audience: {} });
    expect(bad.status).toBe(400);
    expect(
      await h.dataSource.query(`SELECT id FROM campaigns WHERE organization_id = $1`, [
        org.users.admin.organizationId,
      ]),
    ).toHaveLength(0);
  });
});

describe('a Bolna campaign (Bolna API stubbed)', () => {
  const bolna = new ProviderApiStub();
  const h = harness(
    () => ({
      BOLNA_API_BASE_URL: bolna.baseUrl,
      BOLNA_API_KEY: 'bolna-key',
      BOLNA_AGENT_ID: 'deployment-agent',
      BOLNA_WEBHOOK_SECRET: 'bolna-webhook-secret',
    }),
    () => bolna.start(),
  );
  afterAll(() => bolna.stop());

  it("names the campaign's agent and passes each contact's fields as the agent's variables", async () => {
    const org = await h.newOrg();
    const tag = `bolna-${randomUUID().slice(0, 6)}`;
    const created = await h.api(org, 'POST', '/api/contacts', {
      name: 'Asha Rao',
      phone: testNumber(11),
      company: 'Acme Ltd',
      email: 'asha@example.test',
      tags: [tag],
    });
    expect(created.status).toBe(201);
    const missing = await h.api(org, 'POST', '/api/campaigns', {
      name: 'No agent',
      provider: 'bolna',
      audience: { tag },
      pacing: { maxConcurrent: 1 },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('bolnaAgentId is required');

    bolna.answer({ status: 200, body: { execution_id: 'exec-campaign-1', status: 'queued' } });
    const id = await h.campaign(org, {
      provider: 'bolna',
      bolnaAgentId: 'campaign-agent-7',
      audience: { tag },
    });
    expect((await h.api(org, 'POST', `/api/campaigns/${id}/start`)).status).toBe(201);
    await eventually(async () => bolna.requests.length === 1, 'the Bolna API to be called');
    const sent = JSON.parse(bolna.lastRequest.body);
    const [call] = await h.dataSource.query(
      `SELECT id FROM calls WHERE metadata->>'campaignId' = $1`,
      [id],
    );
    expect(sent).toMatchObject({
      agent_id: 'campaign-agent-7',
      recipient_phone_number: testNumber(11),
      user_data: {
        name: 'Asha Rao',
        phone: testNumber(11),
        company: 'Acme Ltd',
        email: 'asha@example.test',
        call_id: call.id,
      },
    });
    await eventually(async () => {
      const [row] = await h.dataSource.query(`SELECT provider_call_id FROM calls WHERE id = $1`, [
        call.id,
      ]);
      return row.provider_call_id === 'exec-campaign-1';
    }, 'the execution id on the call');
    await h.api(org, 'POST', `/api/campaigns/${id}/cancel`);
  });
});
