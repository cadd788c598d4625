import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { callCost } from '../../src/modules/billing/rating';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { LedgerTransaction } from '../../src/modules/wallet/entities/ledger-transaction.entity';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import { WebhookMaintenanceService } from '../../src/modules/webhooks/webhook-maintenance.service';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { createOperator, createOrganization, loginAs, request } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import {
  HOLD_PER_CALL,
  organizationWithUsRate,
  placeHeldCall,
  US_PER_MINUTE,
} from '../support/us-rate';

async function ledgerIsBalanced(dataSource: DataSource, organizationId: string) {
  const unbalanced = await dataSource.query(
    `SELECT e.transaction_id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
      WHERE t.organization_id = $1 GROUP BY 1 HAVING sum(e.amount_micros) <> 0`,
    [organizationId],
  );
  const wallet = await dataSource.getRepository(Wallet).findOneByOrFail({ organizationId });
  const [sums] = await dataSource.query(
    `SELECT coalesce(sum(amount_micros), 0)::text AS balance,
            coalesce(sum(amount_micros) FILTER (WHERE account_id = $2), 0)::text AS held
       FROM ledger_entries WHERE account_id IN ($1, $2)`,
    [wallet.walletAccountId, wallet.holdsAccountId],
  );
  expect(unbalanced).toEqual([]);
  expect(BigInt(sums.balance)).toBe(wallet.balanceMicros);
  expect(BigInt(sums.held)).toBe(wallet.heldMicros);
  expect(wallet.balanceMicros - wallet.heldMicros >= 0n).toBe(true);
  return wallet;
}

describe('money: wallet-safe calls, exact charges, top-ups, rates (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;

  beforeAll(async () => {
    // Real-time simulator: the calls placed here stay live (no hold is released) while the test looks.
    stack = await startStack({
      MAX_CALL_SECONDS: '600',
      WEBHOOK_WORKER_CONCURRENCY: '8',
      SIMULATOR_TIME_SCALE: '1',
    });
    dataSource = stack.api.dataSource;
  });
  afterAll(() => stack.close());

  it('holds at most what the balance covers when 200 calls are placed at once on a wallet that can afford 50', async () => {
    const users = await organizationWithUsRate(stack.api, 50n * HOLD_PER_CALL);
    const token = await loginAs(stack.api.baseUrl, users.agent);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        request(stack.api.baseUrl, 'POST', '/api/calls', {
          token,
          body: {
            provider: 'simulator',
            to: '+14155550100',
            scenario: 'completed',
            talkSeconds: 600,
          },
        }),
      ),
    );
    const placed = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status === 402);
    expect(placed).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(refused[0].body.message).toMatch(
      /^Insufficient balance: a call to \+14155550100 needs at least \$0\.06; available \$0\.00$/,
    );
    expect(placed.every((response) => response.body.timeLimitSeconds === 600)).toBe(true);
    // Refused calls leave nothing behind.
    expect(
      await dataSource.getRepository(Call).countBy({ organizationId: users.agent.organizationId }),
    ).toBe(50);
    const wallet = await ledgerIsBalanced(dataSource, users.agent.organizationId);
    expect(wallet.heldMicros).toBe(50n * HOLD_PER_CALL);
    expect(wallet.balanceMicros).toBe(50n * HOLD_PER_CALL);
  }, 60_000);

  it('charges each call exactly once when every terminal webhook arrives three times, concurrently and out of order', async () => {
    const users = await organizationWithUsRate(stack.api, 100_000_000n);
    const talk = [0, 1, 59, 60, 61, 119, 121, 300, 599, 600];
    const calls: { call: Call; seconds: number }[] = [];
    for (const seconds of talk) {
      const call = await placeHeldCall(stack.api, users.agent);
      calls.push({ call, seconds });
    }
    const deliveries = calls.flatMap(({ call, seconds }) => {
      const events =
        seconds === 0
          ? [
              simulatorEvent(call.providerCallId!, 'ringing'),
              simulatorEvent(call.providerCallId!, 'no_answer', { duration_seconds: 0 }),
            ]
          : [
              simulatorEvent(call.providerCallId!, 'ringing'),
              simulatorEvent(call.providerCallId!, 'in_progress'),
              simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: seconds }),
            ];
      return events.flatMap((event) => [event, event, event]);
    });
    deliveries.sort(() => Math.random() - 0.5);
    const responses = await Promise.all(
      deliveries.map((event) => postSimulatorWebhook(stack.api.baseUrl, event)),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);

    const ids = calls.map(({ call }) => call.id);
    const settled = await eventually(async () => {
      const rows = await dataSource.getRepository(Call).findBy({ id: In(ids) });
      return rows.every((row) => row.costMicros !== null) ? rows : null;
    }, 'every call to be charged');

    const expected = new Map(
      calls.map(({ call, seconds }) => [
        call.id,
        callCost(seconds, {
          ratePerMinuteMicros: 60_000n,
          initialIncrement: 60,
          subsequentIncrement: 60,
          minimumSeconds: 0,
        }),
      ]),
    );
    for (const row of settled) expect(row.costMicros).toBe(expected.get(row.id));
    expect(settled.find((row) => row.billableSeconds === 61)!.costMicros).toBe(120_000n); // 61 s at 60/60 = 2 minutes

    const captures = await dataSource
      .getRepository(LedgerTransaction)
      .find({ where: ids.map((callId) => ({ callId, kind: 'capture' as const })) });
    expect(new Set(captures.map((capture) => capture.callId)).size).toBe(captures.length);
    const charged = captures.reduce((sum, capture) => sum - capture.balanceChangeMicros, 0n);
    const costs = [...expected.values()].reduce((sum, cost) => sum + cost, 0n);
    expect(charged).toBe(costs);
    const wallet = await ledgerIsBalanced(dataSource, users.agent.organizationId);
    expect(wallet.heldMicros).toBe(0n);
    expect(wallet.balanceMicros).toBe(100_000_000n - costs);
  }, 60_000);

  it('quotes the longest matching prefix, and refuses a destination with no rate with 402', async () => {
    const { users } = await createOrganization(dataSource);
    const token = await loginAs(stack.api.baseUrl, users.agent);
    const newYork = await request(
      stack.api.baseUrl,
      'GET',
      '/api/billing/quote?to=%2B12125551234',
      { token },
    );
    expect(newYork.body.rate).toMatchObject({ prefix: '1212', source: 'default' });
    expect(newYork.body).toMatchObject({
      country: 'US',
      countryName: 'United States',
      refusal: null,
    });
    const sanFrancisco = await request(
      stack.api.baseUrl,
      'GET',
      '/api/billing/quote?to=%2B14155550100',
      { token },
    );
    expect(sanFrancisco.body.rate.prefix).toBe('1');
    expect(sanFrancisco.body.maxAffordableSeconds).toBe(600);

    const moscow = await request(stack.api.baseUrl, 'GET', '/api/billing/quote?to=%2B74951234567', {
      token,
    });
    expect(moscow.body).toMatchObject({
      rate: null,
      maxAffordableSeconds: 0,
      refusal: 'No rate for +74951234567: calls to this destination are not enabled',
    });
    const refused = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '+74951234567' },
    });
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({
      statusCode: 402,
      error: 'Payment Required',
      message: 'No rate for +74951234567: calls to this destination are not enabled',
    });
  });

  it("prices with the organization's plan, names a prefix listed twice, and validates each rate", async () => {
    const users = await organizationWithUsRate(stack.api, 10_000_000n);
    const token = await loginAs(stack.api.baseUrl, users.admin);
    const quote = await request(stack.api.baseUrl, 'GET', '/api/billing/quote?to=%2B12125551234', {
      token,
    });
    expect(quote.body.rate).toMatchObject({
      prefix: '1',
      source: 'organization',
      ratePerMinuteMicros: '60000',
    });

    const planId = (await request(stack.api.baseUrl, 'GET', '/api/billing/rates', { token })).body
      .plan.id;
    const operator = await loginAs(stack.api.baseUrl, await createOperator(dataSource));
    const planRates = `/api/platform/price-plans/${planId}/rates`;
    const twice = await request(stack.api.baseUrl, 'PUT', planRates, {
      token: operator,
      body: { rates: [US_PER_MINUTE, { ...US_PER_MINUTE }] },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('Each prefix may appear once; listed more than once: +1');
    const invalid = await request(stack.api.baseUrl, 'PUT', planRates, {
      token: operator,
      body: { rates: [{ ...US_PER_MINUTE, prefix: '0x', initialIncrement: 0 }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('rates.0.prefix must be 1 to 15 digits');
    expect(invalid.body.message).toContain('rates.0.initialIncrement must not be less than 1');
    const agent = await request(stack.api.baseUrl, 'PUT', planRates, {
      token: await loginAs(stack.api.baseUrl, users.agent),
      body: { rates: [] },
    });
    expect(agent.status).toBe(403);
  });

  describe('operator credits', () => {
    it('credits once per Idempotency-Key and answers a retry with the same result', async () => {
      const { users } = await createOrganization(dataSource, ['owner', 'admin', 'agent'], {
        fundMicros: 0n,
      });
      const token = await loginAs(stack.api.baseUrl, users.admin);
      const operator = await loginAs(stack.api.baseUrl, await createOperator(dataSource));
      const credits = `/api/platform/organizations/${users.admin.organizationId}/credits`;
      const key = randomUUID();
      const body = { amountMicros: '25000000', reason: 'Bank transfer' };
      const first = await request(stack.api.baseUrl, 'POST', credits, {
        token: operator,
        body,
        headers: { 'idempotency-key': key },
      });
      const second = await request(stack.api.baseUrl, 'POST', credits, {
        token: operator,
        body,
        headers: { 'idempotency-key': key },
      });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(first.body.transaction).toMatchObject({
        kind: 'adjustment',
        balanceChangeMicros: '25000000',
        balanceAfterMicros: '25000000',
      });
      const wallet = await request(stack.api.baseUrl, 'GET', '/api/wallet', { token });
      expect(wallet.body).toMatchObject({
        balanceMicros: '25000000',
        heldMicros: '0',
        availableMicros: '25000000',
        currency: 'USD',
      });
      expect(wallet.body.formatted.balance).toBe('25.00');

      const conflict = await request(stack.api.baseUrl, 'POST', credits, {
        token: operator,
        body: { amountMicros: '99000000', reason: 'Bank transfer' },
        headers: { 'idempotency-key': key },
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toBe(
        'This Idempotency-Key was already used with a different request',
      );

      const concurrentKey = randomUUID();
      const burst = await Promise.all(
        Array.from({ length: 10 }, () =>
          request(stack.api.baseUrl, 'POST', credits, {
            token: operator,
            body: { amountMicros: '1000000', reason: 'Bank transfer' },
            headers: { 'idempotency-key': concurrentKey },
          }),
        ),
      );
      expect(
        burst.every(
          (response) =>
            response.status === 201 &&
            response.body.transaction.id === burst[0].body.transaction.id,
        ),
      ).toBe(true);
      expect(
        (await request(stack.api.baseUrl, 'GET', '/api/wallet', { token })).body.balanceMicros,
      ).toBe('26000000');
      await ledgerIsBalanced(dataSource, users.admin.organizationId);
    });

    it('refuses organization members (403), a missing key (400) and a malformed amount (400, naming it)', async () => {
      const { users } = await createOrganization(dataSource);
      const credits = `/api/platform/organizations/${users.agent.organizationId}/credits`;
      for (const member of [users.agent, users.admin, users.owner]) {
        const refused = await request(stack.api.baseUrl, 'POST', credits, {
          token: await loginAs(stack.api.baseUrl, member),
          body: { amountMicros: '1000000', reason: 'self' },
          headers: { 'idempotency-key': randomUUID() },
        });
        expect(refused.status).toBe(403);
      }
      const token = await loginAs(stack.api.baseUrl, await createOperator(dataSource));
      const noKey = await request(stack.api.baseUrl, 'POST', credits, {
        token,
        body: { amountMicros: '1000000', reason: 'Bank transfer' },
      });
      expect(noKey.status).toBe(400);
      expect(noKey.body.message).toMatch(/^Idempotency-Key header is required/);
      const float = await request(stack.api.baseUrl, 'POST', credits, {
        token,
        body: { amountMicros: '10.5', reason: 'Bank transfer' },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(float.status).toBe(400);
      expect(float.body.message).toMatch(
        /^amountMicros must be a positive whole number of micro-units/,
      );
    });
  });

  it("never lets organization A read or move organization B's money", async () => {
    const a = (
      await createOrganization(dataSource, ['owner', 'admin', 'agent'], { fundMicros: 1_000_000n })
    ).users;
    const b = (
      await createOrganization(dataSource, ['owner', 'admin', 'agent'], { fundMicros: 7_000_000n })
    ).users;
    const tokenA = await loginAs(stack.api.baseUrl, a.owner);
    const walletA = await request(stack.api.baseUrl, 'GET', '/api/wallet', { token: tokenA });
    expect(walletA.body.balanceMicros).toBe('1000000');
    const transactionsA = await request(stack.api.baseUrl, 'GET', '/api/wallet/transactions', {
      token: tokenA,
    });
    const bTransactions = await dataSource
      .getRepository(LedgerTransaction)
      .findBy({ organizationId: b.owner.organizationId });
    const idsA = transactionsA.body.items.map((item: { id: string }) => item.id);
    expect(bTransactions.every((transaction) => !idsA.includes(transaction.id))).toBe(true);

    const callOfB = await dataSource.getRepository(Call).save({
      organizationId: b.owner.organizationId,
      provider: 'simulator',
      toNumber: '+14155550100',
      status: 'completed',
      metadata: {},
    } as Call);
    const refund = await request(stack.api.baseUrl, 'POST', '/api/wallet/refunds', {
      token: tokenA,
      body: { amountMicros: '500000', reason: 'not ours', callId: callOfB.id },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(refund.status).toBe(403);
    const walletB = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: b.owner.organizationId });
    expect(walletB.balanceMicros).toBe(7_000_000n);
    expect(
      (await request(stack.api.baseUrl, 'GET', '/api/wallet', { token: tokenA })).body
        .balanceMicros,
    ).toBe('1000000');
  });

  it("refuses refunds and adjustments to every organization member: they are the operator's", async () => {
    const { users } = await createOrganization(dataSource, ['owner', 'admin', 'agent'], {
      fundMicros: 2_000_000n,
    });
    for (const member of [users.owner, users.admin, users.agent]) {
      const token = await loginAs(stack.api.baseUrl, member);
      for (const path of ['/api/wallet/adjustments', '/api/wallet/refunds']) {
        const refused = await request(stack.api.baseUrl, 'POST', path, {
          token,
          body: { amountMicros: '1000000', reason: 'goodwill' },
          headers: { 'idempotency-key': randomUUID() },
        });
        expect(refused.status).toBe(403);
      }
    }
    const wallet = await ledgerIsBalanced(dataSource, users.owner.organizationId);
    expect(wallet.balanceMicros).toBe(2_000_000n);
  });
});

describe('money: review follow-ups', () => {
  let stack: RunningStack;
  let dataSource: DataSource;

  beforeAll(async () => {
    stack = await startStack({ SIMULATOR_TIME_SCALE: '1' });
    dataSource = stack.api.dataSource;
  });
  afterAll(() => stack.close());

  it("shows an agent only the transactions of the agent's own calls", async () => {
    const { users } = await createOrganization(dataSource);
    const agentToken = await loginAs(stack.api.baseUrl, users.agent);
    const adminToken = await loginAs(stack.api.baseUrl, users.admin);
    const mine = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: agentToken,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'completed', talkSeconds: 600 },
    });
    const theirs = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: adminToken,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'completed', talkSeconds: 600 },
    });
    const agentView = await request(stack.api.baseUrl, 'GET', '/api/wallet/transactions', {
      token: agentToken,
    });
    expect(agentView.body.items.map((item: { callId: string | null }) => item.callId)).toEqual([
      mine.body.id,
    ]);
    const adminView = await request(stack.api.baseUrl, 'GET', '/api/wallet/transactions', {
      token: adminToken,
    });
    expect(adminView.body.items.map((item: { callId: string | null }) => item.callId)).toEqual(
      expect.arrayContaining([mine.body.id, theirs.body.id, null]),
    );
  });

  it('refuses a caller ID that is not one of the organization’s', async () => {
    const { users } = await createOrganization(dataSource);
    const token = await loginAs(stack.api.baseUrl, users.agent);
    const refused = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '+14155550100', from: '+14155550142' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      "from +14155550142 is not one of your organization's caller IDs",
    );
    const admin = await loginAs(stack.api.baseUrl, users.admin);
    expect(
      (
        await request(stack.api.baseUrl, 'POST', '/api/caller-ids', {
          token: admin,
          body: { number: '(415) 555-0142', label: 'Office' },
        })
      ).status,
    ).toBe(201);
    const allowed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: {
        provider: 'simulator',
        to: '+14155550100',
        from: '+14155550142',
        talkSeconds: 600,
        scenario: 'completed',
      },
    });
    expect(allowed.status).toBe(201);
  });

  it('fails a call its provider never confirmed and gives its hold back (reconciliation)', async () => {
    const { users } = await createOrganization(dataSource, ['owner'], { fundMicros: 10_000_000n });
    const call = await placeHeldCall(stack.api, users.owner, { providerCallId: null });
    expect(
      (
        await dataSource
          .getRepository(Wallet)
          .findOneByOrFail({ organizationId: users.owner.organizationId })
      ).heldMicros > 0n,
    ).toBe(true);
    await dataSource.query(
      `UPDATE calls SET status_updated_at = now() - interval '1 hour' WHERE id = $1`,
      [call.id],
    );
    await stack.worker.get(WebhookMaintenanceService).reconcile(600);
    // Failed by a stored event, which the worker processes like any webhook.
    const after = await eventually(async () => {
      const stored = await dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
      return stored.status === 'failed' && stored;
    }, `call ${call.id} to fail`);
    expect(after).toMatchObject({
      status: 'failed',
      hangupReason: 'The provider never confirmed the call',
      costMicros: 0n,
    });
    const wallet = await ledgerIsBalanced(dataSource, users.owner.organizationId);
    expect(wallet.heldMicros).toBe(0n);
    expect(wallet.balanceMicros).toBe(10_000_000n);
  });
});
