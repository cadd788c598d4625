import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerTransaction } from '../../src/modules/wallet/entities/ledger-transaction.entity';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { CallBillingService } from '../../src/modules/billing/call-billing.service';
import { createOperator, createOrganization, loginAs, request } from '../support/test-app';
import { RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate, placeHeldCall, US_PER_MINUTE } from '../support/us-rate';

describe('platform operator: roles, organizations, price plans, credits, refunds (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let baseUrl: string;
  let operator: string;

  beforeAll(async () => {
    stack = await startStack({ MAX_CALL_SECONDS: '600' });
    dataSource = stack.api.dataSource;
    baseUrl = stack.api.baseUrl;
    operator = await loginAs(baseUrl, await createOperator(dataSource));
  });
  afterAll(() => stack.close());

  it('an operator uses only /api/platform, and organization members get 403 there', async () => {
    const { users } = await createOrganization(dataSource, ['owner', 'admin']);
    const me = await request(baseUrl, 'GET', '/api/auth/me', { token: operator });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'operator', organization: null });
    for (const path of ['/api/calls', '/api/wallet', '/api/billing/rates', '/api/users']) {
      expect((await request(baseUrl, 'GET', path, { token: operator })).status).toBe(403);
    }
    for (const role of ['owner', 'admin'] as const) {
      const token = await loginAs(baseUrl, users[role]);
      for (const path of ['/api/platform/organizations', '/api/platform/price-plans']) {
        expect((await request(baseUrl, 'GET', path, { token })).status).toBe(403);
      }
    }
    expect(
      (await request(baseUrl, 'GET', '/api/platform/organizations', { token: operator })).status,
    ).toBe(200);
  });

  it('organization admins and owners get 403 on every rate change and on crediting themselves', async () => {
    const { users, organization } = await createOrganization(dataSource, ['owner', 'admin']);
    const before = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: organization.id });
    for (const role of ['owner', 'admin'] as const) {
      const token = await loginAs(baseUrl, users[role]);
      const attempts = [
        request(baseUrl, 'PUT', '/api/billing/rates', { token, body: { rates: [US_PER_MINUTE] } }),
        request(baseUrl, 'PUT', '/api/billing/rates', { token, body: { rates: [] } }),
        request(baseUrl, 'POST', '/api/wallet/adjustments', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: { amountMicros: '5000000', reason: 'free money' },
        }),
        request(baseUrl, 'POST', '/api/wallet/refunds', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: { amountMicros: '5000000', reason: 'free money' },
        }),
        request(baseUrl, 'POST', `/api/platform/organizations/${organization.id}/credits`, {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: { amountMicros: '5000000', reason: 'free money' },
        }),
        request(baseUrl, 'PUT', `/api/platform/price-plans/${randomUUID()}/rates`, {
          token,
          body: { rates: [] },
        }),
      ];
      for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
      // A top-up is only a payment started: nothing is credited until the provider confirms it.
      const topUp = await request(baseUrl, 'POST', '/api/wallet/topups', {
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: { amountMicros: '5000000' },
      });
      expect(topUp.status).toBe(201);
      expect(topUp.body).toMatchObject({ status: 'pending', amountMicros: '5000000' });
      const deck = await request(baseUrl, 'GET', '/api/billing/rates', { token });
      expect(deck.status).toBe(200);
      expect(deck.body.plan).toMatchObject({ isDefault: true });
    }
    const after = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: organization.id });
    expect(after.balanceMicros).toBe(before.balanceMicros);
  });

  it('an operator creates an organization with its owner, who signs in; suspension refuses sign-in, tokens and calls', async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@acme.test`;
    const created = await request(baseUrl, 'POST', '/api/platform/organizations', {
      token: operator,
      body: { name: 'Acme', owner: { email, name: 'Olivia', password: 'a-long-password-1' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme', suspendedAt: null, users: 1 });
    expect(created.body.wallet).toMatchObject({ balanceMicros: '0', lastTopUpAt: null });
    const owner = { email, password: 'a-long-password-1' };
    const token = await loginAs(baseUrl, owner);
    expect((await request(baseUrl, 'GET', '/api/wallet', { token })).status).toBe(200);

    const orgId = created.body.id as string;
    const suspended = await request(baseUrl, 'PATCH', `/api/platform/organizations/${orgId}`, {
      token: operator,
      body: { suspended: true, suspensionReason: 'Unpaid invoice' },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.suspendedAt).not.toBeNull();
    const login = await request(baseUrl, 'POST', '/api/auth/login', { body: owner });
    expect(login.status).toBe(401);
    expect(login.body.message).toMatch(/suspended/);
    expect((await request(baseUrl, 'GET', '/api/wallet', { token })).status).toBe(401);
    const listed = await request(baseUrl, 'GET', '/api/platform/organizations?state=suspended', {
      token: operator,
    });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(orgId);

    // Calls: every call's money goes through the reservation, which refuses a suspended organization.
    const users = await organizationWithUsRate(stack.api, 10_000_000n);
    const agentToken = await loginAs(baseUrl, users.agent);
    await request(baseUrl, 'PATCH', `/api/platform/organizations/${users.agent.organizationId}`, {
      token: operator,
      body: { suspended: true },
    });
    const call = await request(baseUrl, 'POST', '/api/calls', {
      token: agentToken,
      body: { provider: 'simulator', to: '+14155550100' },
    });
    expect(call.status).toBe(401);
    await expect(placeHeldCall(stack.api, users.agent)).rejects.toThrow(/suspended/);
    expect(
      await dataSource.getRepository(Call).countBy({ organizationId: users.agent.organizationId }),
    ).toBe(0);

    const reinstated = await request(baseUrl, 'PATCH', `/api/platform/organizations/${orgId}`, {
      token: operator,
      body: { suspended: false },
    });
    expect(reinstated.body.suspendedAt).toBeNull();
    expect((await request(baseUrl, 'POST', '/api/auth/login', { body: owner })).status).toBe(200);
  });

  it('operator credits happen exactly once per Idempotency-Key, concurrent requests too', async () => {
    const { organization } = await createOrganization(dataSource, ['owner'], { fundMicros: 0n });
    const key = randomUUID();
    const body = { amountMicros: '25000000', reason: 'Bank transfer 118' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(baseUrl, 'POST', `/api/platform/organizations/${organization.id}/credits`, {
          token: operator,
          headers: { 'idempotency-key': key },
          body,
        }),
      ),
    );
    for (const response of responses) expect(response.status).toBe(201);
    expect(new Set(responses.map((response) => response.body.transaction.id)).size).toBe(1);
    const conflict = await request(
      baseUrl,
      'POST',
      `/api/platform/organizations/${organization.id}/credits`,
      {
        token: operator,
        headers: { 'idempotency-key': key },
        body: { ...body, amountMicros: '1' },
      },
    );
    expect(conflict.status).toBe(409);
    const noKey = await request(
      baseUrl,
      'POST',
      `/api/platform/organizations/${organization.id}/credits`,
      {
        token: operator,
        body,
      },
    );
    expect(noKey.status).toBe(400);
    const wallet = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: organization.id });
    expect(wallet.balanceMicros).toBe(25_000_000n);
    const view = await request(baseUrl, 'GET', `/api/platform/organizations/${organization.id}`, {
      token: operator,
    });
    expect(view.body.wallet).toMatchObject({
      balanceMicros: '25000000',
      creditsMicros: '25000000',
    });
  });

  it('refunds a call at most its charge, once, even when asked concurrently', async () => {
    const users = await organizationWithUsRate(stack.api, 10_000_000n);
    const call = await placeHeldCall(stack.api, users.agent);
    // Settle it: 100 s at 0.06/min billed per minute = 0.12.
    await dataSource.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(Call, {
        where: { id: call.id },
        lock: { mode: 'pessimistic_write' },
      });
      Object.assign(locked, {
        status: 'completed',
        billableSeconds: 100,
        endedAt: new Date(),
        answeredAt: new Date(),
      });
      await manager.save(locked);
      await stack.api.app.get(CallBillingService).settleIfEnded(manager, locked);
    });
    const path = `/api/platform/calls/${call.id}/refund`;
    // The console names the organization on screen: another organization's call is not refunded.
    const other = await organizationWithUsRate(stack.api, 1_000_000n);
    const elsewhere = await request(baseUrl, 'POST', path, {
      token: operator,
      body: { organizationId: other.owner.organizationId, reason: 'Wrong page' },
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.message).toMatch(/is not a call of this organization/);
    const tooMuch = await request(baseUrl, 'POST', path, {
      token: operator,
      body: { amountMicros: '120001', reason: 'Dropped call' },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.message).toMatch(/more than the call was charged \(120000\)/);
    const refunds = await Promise.all(
      Array.from({ length: 4 }, () =>
        request(baseUrl, 'POST', path, {
          token: operator,
          body: { organizationId: users.owner.organizationId, reason: 'Dropped call' },
        }),
      ),
    );
    expect(refunds.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
    const again = await request(baseUrl, 'POST', path, {
      token: operator,
      body: { amountMicros: '1', reason: 'Dropped call' },
    });
    expect(again.status).toBe(409);
    const posted = await dataSource
      .getRepository(LedgerTransaction)
      .findBy({ callId: call.id, kind: 'refund' });
    expect(posted.map((row) => row.balanceChangeMicros)).toEqual([120_000n]);
    const unknown = await request(baseUrl, 'POST', `/api/platform/calls/${randomUUID()}/refund`, {
      token: operator,
      body: { reason: 'nothing' },
    });
    expect(unknown.status).toBe(404);
  });

  it('price plans: an assigned plan prices calls; destinations it lacks fall back to the default plan', async () => {
    const users = await organizationWithUsRate(stack.api, 10_000_000n);
    const token = await loginAs(baseUrl, users.admin);
    const us = await request(baseUrl, 'GET', '/api/billing/quote?to=%2B14155550100', { token });
    expect(us.body.rate).toMatchObject({ ratePerMinuteMicros: '60000', source: 'organization' });
    const uk = await request(baseUrl, 'GET', '/api/billing/quote?to=%2B442071234567', { token });
    expect(uk.body.rate).toMatchObject({ source: 'default' });
    const plans = await request(baseUrl, 'GET', '/api/platform/price-plans', { token: operator });
    expect(plans.body.items[0]).toMatchObject({ isDefault: true });
    expect(plans.body.items[0].rates).toBeGreaterThan(10);
    const twice = await request(
      baseUrl,
      'PUT',
      `/api/platform/price-plans/${plans.body.items[0].id}/rates`,
      {
        token: operator,
        body: { rates: [US_PER_MINUTE, US_PER_MINUTE] },
      },
    );
    expect(twice.status).toBe(409);
  });
});
