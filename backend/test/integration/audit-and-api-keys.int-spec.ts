import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallBillingService } from '../../src/modules/billing/call-billing.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import {
  createOperator,
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';
import { organizationWithUsRate, placeHeldCall, US_PER_MINUTE } from '../support/us-rate';

interface AuditRow {
  organization_id: string | null;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_role: string;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('audit log and API keys (real PostgreSQL and Redis, two api nodes)', () => {
  let one: RunningApi;
  let two: RunningApi;
  let dataSource: DataSource;
  let baseUrl: string;
  let operator: TestUser;
  let operatorToken: string;

  beforeAll(async () => {
    [one, two] = await Promise.all([startApi(), startApi()]);
    dataSource = one.dataSource;
    baseUrl = one.baseUrl;
    operator = await createOperator(dataSource);
    operatorToken = await loginAs(baseUrl, operator);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  /** The audit rows of one action on one target: each audited change must write exactly one. */
  const rows = (action: string, targetId: string): Promise<AuditRow[]> =>
    dataSource.query(`SELECT * FROM audit_log WHERE action = $1 AND target_id = $2`, [
      action,
      targetId,
    ]);
  const only = async (action: string, targetId: string): Promise<AuditRow> => {
    const found = await rows(action, targetId);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const countFor = async (organizationId: string): Promise<number> =>
    (
      await dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE organization_id = $1`,
        [organizationId],
      )
    )[0].n;

  it("every organization's administrative change writes exactly one row with its before and after", async () => {
    const { users, organization } = await createOrganization(dataSource);
    const org = organization.id;
    const owner = await loginAs(baseUrl, users.owner);
    const call = (method: string, path: string, body?: unknown) =>
      request(baseUrl, method, path, { token: owner, body });

    // Users and roles.
    const created = await call('POST', '/api/users', {
      email: `new-${randomUUID().slice(0, 8)}@example.test`,
      name: 'New Agent',
      role: 'agent',
      password: 'a-long-password-1',
    });
    expect(created.status).toBe(201);
    const userId = created.body.id as string;
    const userCreated = await only('user.created', userId);
    expect(userCreated).toMatchObject({
      organization_id: org,
      actor_user_id: users.owner.id,
      actor_role: 'owner',
      actor_label: users.owner.email,
      target_type: 'user',
      before: null,
      after: { name: 'New Agent', role: 'agent', active: true },
    });
    expect(JSON.stringify(userCreated.after)).not.toMatch(/password/i);

    expect((await call('PATCH', `/api/users/${userId}`, { role: 'admin' })).status).toBe(200);
    expect(await only('user.role_changed', userId)).toMatchObject({
      before: { role: 'agent' },
      after: { role: 'admin' },
    });
    expect((await call('PATCH', `/api/users/${userId}`, { active: false })).status).toBe(200);
    expect(await only('user.deactivated', userId)).toMatchObject({
      before: { active: true },
      after: { active: false },
    });
    // A refused change (an admin cannot touch an owner) writes nothing.
    const admin = await loginAs(baseUrl, users.admin);
    const refused = await request(baseUrl, 'PATCH', `/api/users/${users.owner.id}`, {
      token: admin,
      body: { role: 'agent' },
    });
    expect(refused.status).toBe(403);
    expect(await rows('user.role_changed', users.owner.id)).toHaveLength(0);

    // Organization settings.
    expect((await call('PATCH', '/api/organization', { timeZone: 'Asia/Kolkata' })).status).toBe(
      200,
    );
    expect(await only('organization.settings_changed', org)).toMatchObject({
      before: { timeZone: null },
      after: { timeZone: 'Asia/Kolkata' },
    });

    // Caller IDs.
    const callerId = await call('POST', '/api/caller-ids', {
      number: '+14155550142',
      label: 'SF office',
    });
    expect(callerId.status).toBe(201);
    expect(await only('caller_id.added', callerId.body.id)).toMatchObject({
      after: { number: '+14155550142', label: 'SF office' },
    });
    expect((await call('DELETE', `/api/caller-ids/${callerId.body.id}`)).status).toBe(204);
    expect(await only('caller_id.removed', callerId.body.id)).toMatchObject({
      before: { number: '+14155550142', label: 'SF office' },
      after: null,
    });

    // Do-not-call: adding a listed number again changes nothing and writes nothing.
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    expect((await call('POST', '/api/dnc', { phone, reason: 'Asked' })).status).toBe(201);
    expect((await call('POST', '/api/dnc', { phone, reason: 'Again' })).status).toBe(200);
    const dncAdded = (await rows('dnc.added', phone)).filter((row) => row.organization_id === org);
    expect(dncAdded).toHaveLength(1);
    expect(dncAdded[0]).toMatchObject({ after: { phone, reason: 'Asked', source: 'manual' } });
    expect((await call('DELETE', `/api/dnc/${encodeURIComponent(phone)}`)).status).toBe(204);
    const dncRemoved = (await rows('dnc.removed', phone)).filter(
      (row) => row.organization_id === org,
    );
    expect(dncRemoved).toHaveLength(1);
    expect(dncRemoved[0]).toMatchObject({ before: { phone, reason: 'Asked' }, after: null });

    // Campaigns: create, start, pause, resume, cancel.
    const tag = `audit-${randomUUID().slice(0, 6)}`;
    expect(
      (await call('POST', '/api/contacts', { name: 'Asha', phone: '+14155550111', tags: [tag] }))
        .status,
    ).toBe(201);
    const campaign = await call('POST', '/api/campaigns', {
      name: 'Audit campaign',
      provider: 'simulator',
      audience: { tag },
      pacing: { maxConcurrent: 1 },
      schedule: { startAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(campaign.status).toBe(201);
    const campaignId = campaign.body.id as string;
    expect(await only('campaign.created', campaignId)).toMatchObject({
      before: null,
      after: { name: 'Audit campaign', status: 'draft', audience: { tag } },
    });
    for (const [verb, action, from, to] of [
      ['start', 'campaign.started', 'draft', 'running'],
      ['pause', 'campaign.paused', 'running', 'paused'],
      ['resume', 'campaign.resumed', 'paused', 'running'],
      ['cancel', 'campaign.cancelled', 'running', 'cancelled'],
    ]) {
      expect((await call('POST', `/api/campaigns/${campaignId}/${verb}`)).status).toBe(201);
      expect(await only(action, campaignId)).toMatchObject({
        before: { status: from },
        after: { status: to },
      });
    }

    // API keys.
    const key = await call('POST', '/api/api-keys', { name: 'CRM', role: 'agent' });
    expect(key.status).toBe(201);
    const keyCreated = await only('api_key.created', key.body.id);
    expect(keyCreated).toMatchObject({ after: { name: 'CRM', role: 'agent', revokedAt: null } });
    expect(JSON.stringify(keyCreated)).not.toContain(key.body.secret);
    expect((await call('DELETE', `/api/api-keys/${key.body.id}`)).status).toBe(200);
    expect((await call('DELETE', `/api/api-keys/${key.body.id}`)).status).toBe(409);
    const revoked = await only('api_key.revoked', key.body.id);
    expect(revoked.before).toMatchObject({ revokedAt: null });
    expect(revoked.after?.revokedAt).toEqual(expect.any(String));

    // Webhook replays: a dead event back on the queue.
    const [event] = await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, raw_body, organization_id, state, attempts, last_error)
       VALUES ('simulator', $1, '/api/webhooks/simulator', '{}', '{}', $2, 'dead', 5, 'boom') RETURNING id`,
      [`audit-${randomUUID()}`, org],
    );
    const replay = await call('POST', `/api/admin/webhook-events/${event.id}/replay`);
    expect(replay.status).toBe(202);
    expect(await only('webhook_event.replayed', event.id)).toMatchObject({
      before: { state: 'dead', attempts: 5, lastError: 'boom' },
      after: { state: 'received' },
    });
  });

  it("every operator's change writes exactly one row: organizations, suspension, plans, rates, credits, refunds", async () => {
    const as = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      request(baseUrl, method, path, { token: operatorToken, body, headers });
    const email = `owner-${randomUUID().slice(0, 8)}@acme.test`;
    const created = await as('POST', '/api/platform/organizations', {
      name: 'Audited Acme',
      owner: { email, name: 'Olivia', password: 'a-long-password-1' },
    });
    expect(created.status).toBe(201);
    const org = created.body.id as string;
    expect(await only('organization.created', org)).toMatchObject({
      organization_id: org,
      actor_user_id: operator.id,
      actor_role: 'operator',
      after: { name: 'Audited Acme', owner: { email, name: 'Olivia' } },
    });

    expect(
      (
        await as('PATCH', `/api/platform/organizations/${org}`, {
          suspended: true,
          suspensionReason: 'Unpaid',
        })
      ).status,
    ).toBe(200);
    expect(await only('organization.suspended', org)).toMatchObject({
      before: { suspended: false, suspensionReason: null },
      after: { suspended: true, suspensionReason: 'Unpaid' },
    });
    expect(
      (await as('PATCH', `/api/platform/organizations/${org}`, { suspended: false })).status,
    ).toBe(200);
    expect(await only('organization.reinstated', org)).toMatchObject({
      before: { suspended: true },
      after: { suspended: false },
    });

    const plan = await as('POST', '/api/platform/price-plans', {
      name: `Audited ${randomUUID().slice(0, 8)}`,
    });
    expect(plan.status).toBe(201);
    expect(await only('price_plan.created', plan.body.id)).toMatchObject({
      organization_id: null,
      after: { name: plan.body.name },
    });
    const rates = `/api/platform/price-plans/${plan.body.id}/rates`;
    expect((await as('PUT', rates, { rates: [US_PER_MINUTE] })).status).toBe(200);
    expect((await as('PUT', rates, { rates: [] })).status).toBe(200);
    const replaced = await rows('price_plan.rates_replaced', plan.body.id);
    expect(replaced).toHaveLength(2);
    const [first, second] = replaced.sort(
      (a, b) => (a.before?.rates as unknown[]).length - (b.before?.rates as unknown[]).length,
    );
    expect(first).toMatchObject({ before: { rates: [] }, after: { rates: [US_PER_MINUTE] } });
    expect(second).toMatchObject({
      before: { rates: [{ prefix: US_PER_MINUTE.prefix }] },
      after: { rates: [] },
    });
    expect(
      (await as('PATCH', `/api/platform/organizations/${org}`, { pricePlanId: plan.body.id }))
        .status,
    ).toBe(200);
    expect(await only('organization.price_plan_assigned', org)).toMatchObject({
      before: { pricePlanId: null },
      after: { pricePlanId: plan.body.id },
    });

    // A credit: once per Idempotency-Key, so a retried request writes no second row.
    const idempotencyKey = randomUUID();
    for (let i = 0; i < 2; i += 1) {
      const credit = await as(
        'POST',
        `/api/platform/organizations/${org}/credits`,
        { amountMicros: '5000000', reason: 'Bank transfer 42' },
        { 'idempotency-key': idempotencyKey },
      );
      expect(credit.status).toBe(201);
    }
    expect(await only('wallet.credited', org)).toMatchObject({
      before: { balanceMicros: '0' },
      after: { balanceMicros: '5000000', amountMicros: '5000000', reason: 'Bank transfer 42' },
    });

    // A refund of a charged call; the refused second one writes nothing.
    const users = await organizationWithUsRate(one, 10_000_000n);
    const held = await placeHeldCall(one, users.agent);
    await dataSource.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(Call, {
        where: { id: held.id },
        lock: { mode: 'pessimistic_write' },
      });
      Object.assign(locked, {
        status: 'completed',
        billableSeconds: 100,
        endedAt: new Date(),
        answeredAt: new Date(),
      });
      await manager.save(locked);
      await one.app.get(CallBillingService).settleIfEnded(manager, locked);
    });
    const refund = `/api/platform/calls/${held.id}/refund`;
    expect((await as('POST', refund, { amountMicros: '50000', reason: 'Dropped' })).status).toBe(
      201,
    );
    expect((await as('POST', refund, { reason: 'Again' })).status).toBe(409);
    expect(await only('call.refunded', held.id)).toMatchObject({
      organization_id: users.agent.organizationId,
      before: { chargedMicros: '120000', refundedMicros: '0' },
      after: { chargedMicros: '120000', refundedMicros: '50000', reason: 'Dropped' },
    });
  });

  it('the log is append-only: no route changes a row, and SQL UPDATE, DELETE and TRUNCATE fail', async () => {
    const { users, organization } = await createOrganization(dataSource, ['owner']);
    const owner = await loginAs(baseUrl, users.owner);
    await request(baseUrl, 'POST', '/api/api-keys', {
      token: owner,
      body: { name: 'x', role: 'admin' },
    });
    expect(await countFor(organization.id)).toBe(1);
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      for (const path of ['/api/audit', `/api/audit/${randomUUID()}`]) {
        const response = await request(baseUrl, method, path, { token: owner, body: {} });
        expect(response.status).toBe(404);
      }
    }
    const operatorDelete = await request(baseUrl, 'DELETE', '/api/audit', {
      token: operatorToken,
    });
    expect(operatorDelete.status).toBe(404);
    await expect(
      dataSource.query(`UPDATE audit_log SET action = 'x' WHERE organization_id = $1`, [
        organization.id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      dataSource.query(`DELETE FROM audit_log WHERE organization_id = $1`, [organization.id]),
    ).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await countFor(organization.id)).toBe(1);
  });

  it("admins read their organization's log only, agents get 403, operators read every organization's", async () => {
    const a = await createOrganization(dataSource);
    const b = await createOrganization(dataSource);
    const tokens = {
      aOwner: await loginAs(baseUrl, a.users.owner),
      aAdmin: await loginAs(baseUrl, a.users.admin),
      aAgent: await loginAs(baseUrl, a.users.agent),
      bOwner: await loginAs(baseUrl, b.users.owner),
    };
    for (const name of ['one', 'two', 'three'])
      await request(baseUrl, 'POST', '/api/api-keys', {
        token: tokens.aOwner,
        body: { name, role: 'agent' },
      });
    await request(baseUrl, 'POST', '/api/dnc', {
      token: tokens.bOwner,
      body: { phone: '+14155550177' },
    });

    const asAdmin = await request(baseUrl, 'GET', '/api/audit', { token: tokens.aAdmin });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.items).toHaveLength(3);
    expect(
      asAdmin.body.items.every(
        (item: { organizationId: string }) => item.organizationId === a.organization.id,
      ),
    ).toBe(true);
    // Asking for B's entries by organizationId does not widen an admin's view.
    const widened = await request(
      baseUrl,
      'GET',
      `/api/audit?organizationId=${b.organization.id}&action=dnc.added`,
      { token: tokens.aAdmin },
    );
    expect(widened.body.items).toHaveLength(0);
    expect((await request(baseUrl, 'GET', '/api/audit', { token: tokens.aAgent })).status).toBe(
      403,
    );

    // Filters and keyset paging (newest first).
    const first = await request(baseUrl, 'GET', '/api/audit?action=api_key.&limit=2', {
      token: tokens.aOwner,
    });
    expect(first.body.items.map((item: { after: { name: string } }) => item.after.name)).toEqual([
      'three',
      'two',
    ]);
    const next = await request(
      baseUrl,
      'GET',
      `/api/audit?action=api_key.&limit=2&cursor=${first.body.nextCursor}`,
      { token: tokens.aOwner },
    );
    expect(next.body.items.map((item: { after: { name: string } }) => item.after.name)).toEqual([
      'one',
    ]);
    expect(next.body.nextCursor).toBeNull();
    const byActor = await request(
      baseUrl,
      'GET',
      `/api/audit?actorId=${a.users.admin.id}&from=2020-01-01T00:00:00Z`,
      { token: tokens.aOwner },
    );
    expect(byActor.body.items).toHaveLength(0);
    const future = await request(baseUrl, 'GET', '/api/audit?from=2999-01-01T00:00:00Z', {
      token: tokens.aOwner,
    });
    expect(future.body.items).toHaveLength(0);
    expect(
      (await request(baseUrl, 'GET', '/api/audit?from=yesterday', { token: tokens.aOwner })).status,
    ).toBe(400);

    const forOperator = await request(
      baseUrl,
      'GET',
      `/api/audit?organizationId=${b.organization.id}`,
      { token: operatorToken },
    );
    expect(forOperator.status).toBe(200);
    expect(forOperator.body.items).toMatchObject([
      { action: 'dnc.added', targetId: '+14155550177', actor: { userId: b.users.owner.id } },
    ]);
    const everything = await request(baseUrl, 'GET', '/api/audit?limit=200', {
      token: operatorToken,
    });
    const orgs = new Set(
      everything.body.items.map((item: { organizationId: string }) => item.organizationId),
    );
    expect(orgs.has(a.organization.id) && orgs.has(b.organization.id)).toBe(true);
  });

  it('an API key works like a token of its role on both api nodes until revoked, then 401 on both at once', async () => {
    const a = await createOrganization(dataSource);
    const b = await createOrganization(dataSource);
    const owner = await loginAs(one.baseUrl, a.users.owner);
    const created = await request(one.baseUrl, 'POST', '/api/api-keys', {
      token: owner,
      body: { name: 'Integration', role: 'admin' },
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^sb_live_[A-Za-z0-9_-]{43}$/);
    expect(created.body.prefix).toBe(secret.slice(0, 12));
    const stored: { key_hash: string }[] = await dataSource.query(
      `SELECT key_hash FROM api_keys WHERE id = $1`,
      [created.body.id],
    );
    expect(stored[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].key_hash).not.toContain(secret.slice(8));
    const listed = await request(one.baseUrl, 'GET', '/api/api-keys', { token: owner });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.items[0]).toMatchObject({ name: 'Integration', lastUsedAt: null });

    for (const node of [one, two]) {
      const calls = await request(node.baseUrl, 'GET', '/api/calls', { token: secret });
      expect(calls.status).toBe(200);
      expect((await request(node.baseUrl, 'GET', '/api/users', { token: secret })).status).toBe(
        200,
      );
    }
    // A change made with a key is audited as the key (and the owner who made it).
    const dnc = await request(two.baseUrl, 'POST', '/api/dnc', {
      token: secret,
      body: { phone: '+14155550188' },
    });
    expect(dnc.status).toBe(201);
    const [byKey] = (await rows('dnc.added', '+14155550188')).filter(
      (row) => row.organization_id === a.organization.id,
    );
    expect(byKey).toMatchObject({
      actor_api_key_id: created.body.id,
      actor_user_id: a.users.owner.id,
      actor_role: 'admin',
      actor_label: 'API key “Integration”',
    });
    // Keys cannot make keys, nor reach owner-only or platform routes.
    for (const [method, path] of [
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys'],
      ['PATCH', '/api/organization'],
      ['GET', '/api/platform/organizations'],
    ]) {
      const response = await request(one.baseUrl, method, path, {
        token: secret,
        body: method === 'GET' ? undefined : { name: 'x', role: 'admin' },
      });
      expect(response.status).toBe(403);
    }
    // Organization A's key cannot touch B.
    for (const [method, path, body] of [
      ['GET', `/api/users/${b.users.agent.id}`, undefined],
      ['PATCH', `/api/users/${b.users.agent.id}`, { name: 'Renamed by A' }],
    ] as const) {
      const response = await request(one.baseUrl, method, path, { token: secret, body });
      expect(response.status).toBe(404);
    }
    const lastUsed = await request(one.baseUrl, 'GET', '/api/api-keys', { token: owner });
    expect(lastUsed.body.items[0].lastUsedAt).toEqual(expect.any(String));

    expect(
      (await request(two.baseUrl, 'DELETE', `/api/api-keys/${created.body.id}`, { token: owner }))
        .status,
    ).toBe(200);
    for (const node of [one, two]) {
      const refused = await request(node.baseUrl, 'GET', '/api/calls', { token: secret });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toMatch(/revoked/);
    }
    // A made-up key of the right shape is refused the same way.
    const guessed = await request(one.baseUrl, 'GET', '/api/calls', {
      token: `sb_live_${'A'.repeat(43)}`,
    });
    expect(guessed.status).toBe(401);
    // B's owner cannot revoke A's key (it does not exist for B).
    const bOwner = await loginAs(one.baseUrl, b.users.owner);
    const foreign = await request(one.baseUrl, 'DELETE', `/api/api-keys/${created.body.id}`, {
      token: bOwner,
    });
    expect(foreign.status).toBe(404);
  });

  it('an agent-role key gets 403 on admin routes; admins cannot create keys; a demoted creator caps its keys, a deactivated one ends them', async () => {
    const { users } = await createOrganization(dataSource);
    const owner = await loginAs(baseUrl, users.owner);
    const admin = await loginAs(baseUrl, users.admin);
    expect(
      (
        await request(baseUrl, 'POST', '/api/api-keys', {
          token: admin,
          body: { name: 'x', role: 'agent' },
        })
      ).status,
    ).toBe(403);
    const bad = await request(baseUrl, 'POST', '/api/api-keys', {
      token: owner,
      body: { name: 'x', role: 'owner' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/role must be one of admin, agent/);

    const agentKey = (
      await request(baseUrl, 'POST', '/api/api-keys', {
        token: owner,
        body: { name: 'Dialer', role: 'agent' },
      })
    ).body.secret as string;
    expect((await request(baseUrl, 'GET', '/api/calls', { token: agentKey })).status).toBe(200);
    for (const path of ['/api/users', '/api/dnc', '/api/audit', '/api/campaigns']) {
      expect((await request(baseUrl, 'GET', path, { token: agentKey })).status).toBe(403);
    }

    // A key made by an admin-turned-owner... keys act as their creator: deactivate the creator.
    const secondOwner = await request(baseUrl, 'POST', '/api/users', {
      token: owner,
      body: {
        email: `owner2-${randomUUID().slice(0, 8)}@example.test`,
        name: 'Second owner',
        role: 'owner',
        password: 'a-long-password-1',
      },
    });
    const secondToken = await loginAs(baseUrl, {
      email: secondOwner.body.email,
      password: 'a-long-password-1',
    } as TestUser);
    const secondKey = (
      await request(baseUrl, 'POST', '/api/api-keys', {
        token: secondToken,
        body: { name: 'Theirs', role: 'admin' },
      })
    ).body.secret as string;
    expect((await request(baseUrl, 'GET', '/api/users', { token: secondKey })).status).toBe(200);
    // The creator demoted to agent: their admin key acts as an agent from the next request.
    await request(baseUrl, 'PATCH', `/api/users/${secondOwner.body.id}`, {
      token: owner,
      body: { role: 'agent' },
    });
    expect((await request(baseUrl, 'GET', '/api/users', { token: secondKey })).status).toBe(403);
    expect((await request(baseUrl, 'GET', '/api/calls', { token: secondKey })).status).toBe(200);
    await request(baseUrl, 'PATCH', `/api/users/${secondOwner.body.id}`, {
      token: owner,
      body: { active: false },
    });
    const ended = await request(baseUrl, 'GET', '/api/users', { token: secondKey });
    expect(ended.status).toBe(401);
  });
});
