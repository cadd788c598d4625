import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallBillingService } from '../../src/modules/billing/call-billing.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { ApiRoute, recordRoutes } from '../support/api-routes';
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

/**
 * Every route that changes something, with what it writes in the audit log. A new route fails the
 * inventory test until it is added here: audited (and tested below), or with the reason it is not
 * an administrative change.
 */
const AUDITED: Record<string, string[]> = {
  'POST /api/users': ['user.created'],
  'POST /api/users/invitations': ['user.invited'],
  'POST /api/users/:id/setup-link': ['user.setup_link_issued'],
  'PATCH /api/users/:id': [
    'user.role_changed',
    'user.deactivated',
    'user.reactivated',
    'user.updated',
  ],
  'POST /api/auth/setup/:token': ['user.setup_completed'],
  'POST /api/auth/password': ['user.password_changed'],
  'PATCH /api/organization': ['organization.settings_changed'],
  'PATCH /api/wallet': ['wallet.settings_changed'],
  'POST /api/caller-ids': ['caller_id.added'],
  'DELETE /api/caller-ids/:id': ['caller_id.removed'],
  'POST /api/dnc': ['dnc.added'],
  'DELETE /api/dnc/:phone': ['dnc.removed'],
  'PATCH /api/calls/:id': ['dnc.added'], // a `do_not_call` disposition lists the number
  'POST /api/campaigns': ['campaign.created'],
  'POST /api/campaigns/:id/start': ['campaign.started'],
  'POST /api/campaigns/:id/pause': ['campaign.paused'],
  'POST /api/campaigns/:id/resume': ['campaign.resumed'],
  'POST /api/campaigns/:id/cancel': ['campaign.cancelled'],
  'POST /api/api-keys': ['api_key.created'],
  'DELETE /api/api-keys/:id': ['api_key.revoked'],
  'POST /api/webhook-endpoints': ['webhook_endpoint.created'],
  'PATCH /api/webhook-endpoints/:id': [
    'webhook_endpoint.updated',
    'webhook_endpoint.disabled',
    'webhook_endpoint.enabled',
  ],
  'DELETE /api/webhook-endpoints/:id': ['webhook_endpoint.deleted'],
  'POST /api/webhook-endpoints/:id/rotate-secret': ['webhook_endpoint.secret_rotated'],
  'POST /api/webhook-endpoints/:id/deliveries/:deliveryId/resend': ['webhook_delivery.resent'],
  'POST /api/admin/webhook-events/:id/replay': ['webhook_event.replayed'],
  'POST /api/platform/organizations': ['organization.created'],
  'PATCH /api/platform/organizations/:id': [
    'organization.suspended',
    'organization.reinstated',
    'organization.price_plan_assigned',
    'organization.updated',
  ],
  'POST /api/platform/organizations/:id/credits': ['wallet.credited'],
  'POST /api/platform/calls/:id/refund': ['call.refunded'],
  'POST /api/platform/price-plans': ['price_plan.created'],
  'PUT /api/platform/price-plans/:id/rates': ['price_plan.rates_replaced'],
};
const NOT_ADMINISTRATIVE: Record<string, string> = {
  'POST /api/auth/login': 'signing in (only the last sign-in time changes)',
  'POST /api/wallet/topups':
    'starts a payment; the credit it leads to is audited (wallet.topped_up) when the provider confirms it',
  'POST /api/webhooks/payments/stripe': 'payment provider ingress (the credit: wallet.topped_up)',
  'POST /api/webhooks/payments/simulator':
    'payment provider ingress (the credit: wallet.topped_up)',
  'POST /api/payments/simulator/checkout/:id/pay': "the simulated provider's own checkout page",
  'POST /api/payments/simulator/checkout/:id/decline': "the simulated provider's own checkout page",
  'POST /api/webhooks/twilio/status': 'call provider ingress',
  'POST /api/webhooks/twilio/recording': 'call provider ingress',
  'POST /api/webhooks/twilio/voice': 'call provider ingress (TwiML for browser calls)',
  'POST /api/webhooks/exotel/status': 'call provider ingress',
  'POST /api/webhooks/bolna': 'call provider ingress',
  'POST /api/webhooks/simulator': 'call provider ingress',
  'POST /api/wallet/refunds': 'always 403: refunds are the operator’s (call.refunded)',
  'POST /api/wallet/adjustments': 'always 403: credits are the operator’s (wallet.credited)',
  'PUT /api/billing/rates': 'always 403: rates are the operator’s (price_plan.rates_replaced)',
  'POST /api/campaigns/preview': 'reads only: who a campaign would call',
  'POST /api/calls': 'calling, not administration (calls have their own timeline)',
  'POST /api/calls/:id/hangup': 'calling, not administration',
  'POST /api/calls/:id/quality-warnings': "the agent's browser reporting call quality",
  'POST /api/voice/token': "a browser-calling token for the agent's own session",
  'POST /api/contacts': "contacts are the organization's data, edited by agents too",
  'PATCH /api/contacts/:id': "contacts are the organization's data, edited by agents too",
  'DELETE /api/contacts/:id': "contacts are the organization's data, edited by agents too",
  'POST /api/contacts/import': "contacts are the organization's data, edited by agents too",
};

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
  let routes: ApiRoute[] = [];

  beforeAll(async () => {
    [one, two] = await Promise.all([
      startApi({}, 0, { beforeListen: (app) => (routes = recordRoutes(app)) }),
      startApi(),
    ]);
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

  it('people, wallet settings, webhook endpoints and deliveries: one row per change, never a password, token or secret', async () => {
    const { users, organization } = await createOrganization(dataSource);
    const org = organization.id;
    const owner = await loginAs(baseUrl, users.owner);
    const call = (method: string, path: string, body?: unknown, token = owner) =>
      request(baseUrl, method, path, { token, body });
    const tokenOf = (setupUrl: string) => setupUrl.split('/').pop()!;

    // An invitation, a new setup link, the setup done by the invited user, a password change.
    const email = `invited-${randomUUID().slice(0, 8)}@example.test`;
    const invited = await call('POST', '/api/users/invitations', {
      email,
      name: 'Ivy',
      role: 'agent',
    });
    expect(invited.status).toBe(201);
    const ivy = invited.body.user.id as string;
    expect(await only('user.invited', ivy)).toMatchObject({
      organization_id: org,
      actor_user_id: users.owner.id,
      target_type: 'user',
      before: null,
      after: { email, name: 'Ivy', role: 'agent', active: true },
    });
    const reissued = await call('POST', `/api/users/${ivy}/setup-link`);
    expect(reissued.status).toBe(201);
    expect(await only('user.setup_link_issued', ivy)).toMatchObject({
      organization_id: org,
      actor_user_id: users.owner.id,
      before: { email, setupLinkExpiresAt: invited.body.expiresAt },
      after: { email, setupLinkExpiresAt: reissued.body.expiresAt },
    });
    const setup = await request(
      baseUrl,
      'POST',
      `/api/auth/setup/${tokenOf(reissued.body.setupUrl)}`,
      {
        body: { password: 'ivy-chose-this-1' },
      },
    );
    expect(setup.status).toBe(200);
    const completed = await only('user.setup_completed', ivy);
    expect(completed).toMatchObject({
      organization_id: org,
      actor_user_id: ivy,
      actor_role: 'agent',
      actor_label: email,
      before: { email, hasPassword: false },
      after: { email, hasPassword: true },
    });
    const changed = await call(
      'POST',
      '/api/auth/password',
      { currentPassword: 'ivy-chose-this-1', newPassword: 'ivy-changed-it-2' },
      setup.body.accessToken,
    );
    expect(changed.status).toBe(200);
    const passwordChanged = await only('user.password_changed', ivy);
    expect(passwordChanged).toMatchObject({
      organization_id: org,
      actor_user_id: ivy,
      actor_role: 'agent',
      before: { email, hasPassword: true },
      after: { email, hasPassword: true },
    });
    expect(passwordChanged.after?.sessionVersion).toBe(
      (passwordChanged.before?.sessionVersion as number) + 1,
    );
    // A refused change (wrong current password) writes nothing.
    const wrong = await call(
      'POST',
      '/api/auth/password',
      { currentPassword: 'not-my-password', newPassword: 'ivy-changed-it-3' },
      changed.body.accessToken,
    );
    expect(wrong.status).toBe(400);
    expect(await rows('user.password_changed', ivy)).toHaveLength(1);
    // Reactivation and a rename; a rename to the same name writes nothing.
    expect((await call('PATCH', `/api/users/${ivy}`, { active: false })).status).toBe(200);
    expect((await call('PATCH', `/api/users/${ivy}`, { active: true })).status).toBe(200);
    expect(await only('user.reactivated', ivy)).toMatchObject({
      before: { active: false },
      after: { active: true },
    });
    expect((await call('PATCH', `/api/users/${ivy}`, { name: 'Ivy Ivers' })).status).toBe(200);
    expect((await call('PATCH', `/api/users/${ivy}`, { name: 'Ivy Ivers' })).status).toBe(200);
    expect(await only('user.updated', ivy)).toMatchObject({
      before: { name: 'Ivy' },
      after: { name: 'Ivy Ivers' },
    });
    const [{ password_hash: hash }] = await dataSource.query(
      `SELECT password_hash FROM users WHERE id = $1`,
      [ivy],
    );
    const people = JSON.stringify(
      await dataSource.query(`SELECT before, after FROM audit_log WHERE target_id = $1`, [ivy]),
    );
    for (const secret of [
      tokenOf(invited.body.setupUrl),
      tokenOf(reissued.body.setupUrl),
      hash,
      'ivy-chose-this-1',
      'ivy-changed-it-2',
    ])
      expect(people).not.toContain(secret);
    expect(people).not.toMatch(/"(password|passwordHash|token|tokenHash)"/i);

    // Wallet settings: the low-balance warning; setting the same value again writes nothing.
    for (let i = 0; i < 2; i += 1)
      expect(
        (await call('PATCH', '/api/wallet', { lowBalanceThresholdMicros: '7000000' })).status,
      ).toBe(200);
    expect(await only('wallet.settings_changed', org)).toMatchObject({
      organization_id: org,
      target_type: 'organization',
      before: { lowBalanceThresholdMicros: '5000000' },
      after: { lowBalanceThresholdMicros: '7000000' },
    });

    // Webhook endpoints: create, edit, disable, enable, rotate the secret, resend, delete.
    const url = 'http://127.0.0.1:9/hooks';
    const created = await call('POST', '/api/webhook-endpoints', {
      url,
      description: 'CRM',
      events: ['call.completed'],
    });
    expect(created.status).toBe(201);
    const endpointId = created.body.id as string;
    const firstSecret = created.body.secret as string;
    expect(await only('webhook_endpoint.created', endpointId)).toMatchObject({
      organization_id: org,
      actor_user_id: users.owner.id,
      target_type: 'webhook_endpoint',
      before: null,
      after: {
        url,
        description: 'CRM',
        events: ['call.completed'],
        enabled: true,
        secret: created.body.secretMasked,
      },
    });
    const endpoint = `/api/webhook-endpoints/${endpointId}`;
    const edit = { description: 'CRM v2', events: ['call.completed', 'campaign.updated'] };
    expect((await call('PATCH', endpoint, edit)).status).toBe(200);
    expect((await call('PATCH', endpoint, edit)).status).toBe(200);
    expect(await only('webhook_endpoint.updated', endpointId)).toMatchObject({
      before: { url, description: 'CRM', events: ['call.completed'] },
      after: { url, ...edit },
    });
    expect((await call('PATCH', endpoint, { enabled: false })).status).toBe(200);
    expect(await only('webhook_endpoint.disabled', endpointId)).toMatchObject({
      before: { enabled: true, disabledReason: null },
      after: { enabled: false, disabledReason: 'Disabled by an admin' },
    });
    expect((await call('PATCH', endpoint, { enabled: true })).status).toBe(200);
    expect(await only('webhook_endpoint.enabled', endpointId)).toMatchObject({
      before: { enabled: false },
      after: { enabled: true, disabledReason: null },
    });
    const rotated = await call('POST', `${endpoint}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const rotation = await only('webhook_endpoint.secret_rotated', endpointId);
    expect(rotation).toMatchObject({
      before: { secret: created.body.secretMasked },
      after: { secret: rotated.body.secretMasked, previousSecret: created.body.secretMasked },
    });
    expect(rotation.after?.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);

    const [delivery] = await dataSource.query(
      `INSERT INTO webhook_deliveries (endpoint_id, organization_id, message_id, event_type, body, status, attempts, last_status_code, last_error)
       VALUES ($1, $2, $3, 'call.completed', '{}', 'failed', 5, 500, 'HTTP 500') RETURNING id`,
      [endpointId, org, `msg_${randomUUID().replaceAll('-', '')}`],
    );
    const resent = await call('POST', `${endpoint}/deliveries/${delivery.id}/resend`);
    expect(resent.status).toBe(202);
    expect(await only('webhook_delivery.resent', delivery.id)).toMatchObject({
      organization_id: org,
      target_type: 'webhook_delivery',
      before: { endpointId, status: 'failed', attempts: 5, lastError: 'HTTP 500' },
      after: { endpointId, status: 'pending', lastError: null },
    });
    // Deleting the endpoint also stops the resent delivery (its job finds nothing).
    expect((await call('DELETE', endpoint)).status).toBe(204);
    expect(await only('webhook_endpoint.deleted', endpointId)).toMatchObject({
      before: { url, ...edit, enabled: true, secret: rotated.body.secretMasked },
      after: null,
    });
    expect((await call('DELETE', endpoint)).status).toBe(404);
    expect(await rows('webhook_endpoint.deleted', endpointId)).toHaveLength(1);
    const endpointRows = JSON.stringify(
      await dataSource.query(`SELECT before, after FROM audit_log WHERE target_id = $1`, [
        endpointId,
      ]),
    );
    for (const secret of [firstSecret, rotated.body.secret as string])
      expect(endpointRows).not.toContain(secret.replace(/^whsec_/, '').slice(4, -4));
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

  it('every route that changes something is audited or named as not administrative; none touches the log', () => {
    const changing = [
      ...new Set(
        routes
          .filter((route) => route.method !== 'GET' && route.url.startsWith('/api/'))
          .map((route) => `${route.method} ${route.url}`),
      ),
    ].sort();
    const listed = [...Object.keys(AUDITED), ...Object.keys(NOT_ADMINISTRATIVE)].sort();
    expect(changing).toEqual(listed);
    expect(Object.keys(AUDITED).filter((route) => route in NOT_ADMINISTRATIVE)).toEqual([]);
    // The only route of the log reads it.
    expect(
      routes
        .filter((route) => route.url.startsWith('/api/audit'))
        .map((route) => `${route.method} ${route.url}`),
    ).toEqual(['GET /api/audit']);
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
