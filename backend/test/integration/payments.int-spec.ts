import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { Payment } from '../../src/modules/payments/entities/payment.entity';
import { LedgerTransaction } from '../../src/modules/wallet/entities/ledger-transaction.entity';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import { WebhookEvent } from '../../src/modules/webhooks/entities/webhook-event.entity';
import { ProviderApiStub } from '../fixtures/providers/provider-api-stub';
import { connectSocket } from '../support/sockets';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';

const STRIPE_WEBHOOK_SECRET = 'whsec_test_switchboard_payments';
const stripeHelpers = new Stripe('sk_test_unused');

/** A Stripe event as Stripe sends it, signed with the stripe package's own test helper. */
function stripeDelivery(event: object, secret = STRIPE_WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  const signature = stripeHelpers.webhooks.generateTestHeaderString({ payload, secret });
  return { payload, signature };
}

function sessionEvent(type: string, session: Record<string, unknown>) {
  return {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: { object: 'checkout.session', currency: 'usd', ...session } },
  };
}

describe('payments: top-ups through Stripe Checkout and the simulated provider (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let baseUrl: string;
  const stripeApi = new ProviderApiStub();

  beforeAll(async () => {
    await stripeApi.start();
    stack = await startStack({
      STRIPE_SECRET_KEY: 'sk_test_switchboard',
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: stripeApi.baseUrl,
    });
    dataSource = stack.api.dataSource;
    baseUrl = stack.api.baseUrl;
  });
  afterAll(async () => {
    await stack?.close();
    await stripeApi.stop();
  });

  const post = (payload: string, signature: string) =>
    fetch(`${baseUrl}/api/webhooks/payments/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });

  async function startStripeTopUp(owner: TestUser, amountMicros: string) {
    const sessionId = `cs_test_${randomUUID().replaceAll('-', '')}`;
    stripeApi.answer({
      status: 200,
      body: {
        id: sessionId,
        object: 'checkout.session',
        url: `https://checkout.stripe.com/c/pay/${sessionId}`,
        payment_status: 'unpaid',
        status: 'open',
      },
    });
    const token = await loginAs(baseUrl, owner);
    const started = await request(baseUrl, 'POST', '/api/wallet/topups', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { amountMicros },
    });
    return { started, sessionId, token };
  }

  it('starts a Stripe Checkout Session for the amount and answers { paymentId, pending, checkoutUrl }', async () => {
    const { users } = await createOrganization(dataSource, ['owner'], { fundMicros: 0n });
    stripeApi.reset();
    const { started, sessionId } = await startStripeTopUp(users.owner, '25000000');
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      status: 'pending',
      provider: 'stripe',
      amountMicros: '25000000',
      checkoutUrl: `https://checkout.stripe.com/c/pay/${sessionId}`,
    });
    const [sent] = stripeApi.requests;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/checkout/sessions');
    expect(sent.headers.authorization).toBe('Bearer sk_test_switchboard');
    expect(sent.headers['idempotency-key']).toBe(`switchboard-payment-${started.body.paymentId}`);
    const form = new URLSearchParams(sent.body);
    expect(form.get('mode')).toBe('payment');
    expect(form.get('client_reference_id')).toBe(started.body.paymentId);
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('2500');
    expect(form.get('line_items[0][price_data][currency]')).toBe('usd');
    expect(form.get('line_items[0][quantity]')).toBe('1');
    expect(form.get('metadata[paymentId]')).toBe(started.body.paymentId);
    const notCents = await request(baseUrl, 'POST', '/api/wallet/topups', {
      token: await loginAs(baseUrl, users.owner),
      headers: { 'idempotency-key': randomUUID() },
      body: { amountMicros: '25000001' },
    });
    expect(notCents.status).toBe(400);
  });

  it('a signed checkout.session.completed delivered 5 times, concurrently and among other events, credits once', async () => {
    const { users } = await createOrganization(dataSource, ['owner', 'agent'], { fundMicros: 0n });
    const { started, sessionId, token } = await startStripeTopUp(users.owner, '40000000');
    const paymentId = started.body.paymentId as string;
    const socket = await connectSocket(baseUrl, token);

    const completed = stripeDelivery(
      sessionEvent('checkout.session.completed', {
        id: sessionId,
        client_reference_id: paymentId,
        metadata: { paymentId },
        payment_status: 'paid',
        amount_total: 4000,
      }),
    );
    const others = [
      sessionEvent('checkout.session.expired', {
        id: `cs_test_other_${randomUUID()}`,
        payment_status: 'unpaid',
      }),
      sessionEvent('checkout.session.async_payment_failed', {
        id: `cs_test_other_${randomUUID()}`,
      }),
      sessionEvent('checkout.session.async_payment_succeeded', {
        id: `cs_test_other_${randomUUID()}`,
      }),
      sessionEvent('payment_intent.succeeded', { id: `pi_${randomUUID()}` }),
      // Late and out of order: this session's own expiry after it was paid changes nothing.
      sessionEvent('checkout.session.expired', { id: sessionId, client_reference_id: paymentId }),
    ].map((event) => stripeDelivery(event));
    const deliveries = [
      ...others.slice(0, 2),
      completed,
      completed,
      ...others.slice(2),
      completed,
      completed,
      completed,
    ];
    const responses = await Promise.all(
      deliveries.map(({ payload, signature }) => post(payload, signature)),
    );
    expect(responses.map((response) => response.status)).toEqual(deliveries.map(() => 200));

    await eventually(
      async () => {
        const payment = await dataSource.getRepository(Payment).findOneByOrFail({ id: paymentId });
        return payment.status === 'succeeded';
      },
      'the payment succeeds',
      20_000,
    );
    await eventually(
      async () =>
        (await dataSource
          .getRepository(WebhookEvent)
          .countBy({ provider: 'stripe', state: 'processed' })) >= 6,
      'every stored Stripe event is processed',
      20_000,
    );
    const topups = await dataSource
      .getRepository(LedgerTransaction)
      .findBy({ organizationId: users.owner.organizationId, kind: 'topup' });
    expect(topups.map((row) => row.balanceChangeMicros)).toEqual([40_000_000n]);
    // The credit is audited once too, as the payer's top-up, in the credit's transaction.
    const audited = await dataSource.query(
      `SELECT * FROM audit_log WHERE action = 'wallet.topped_up' AND organization_id = $1`,
      [users.owner.organizationId],
    );
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor_user_id: users.owner.id,
      actor_role: 'owner',
      target_type: 'organization',
      target_id: users.owner.organizationId,
      before: { balanceMicros: '0' },
      after: {
        balanceMicros: '40000000',
        amountMicros: '40000000',
        paymentId,
        provider: 'stripe',
        providerReference: sessionId,
        transactionId: topups[0].id,
      },
    });
    const wallet = await dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: users.owner.organizationId });
    expect(wallet.balanceMicros).toBe(40_000_000n);
    const completedRows = await dataSource.getRepository(WebhookEvent).findBy({
      provider: 'stripe',
      dedupeKey: (JSON.parse(completed.payload) as { id: string }).id,
    });
    expect(completedRows).toHaveLength(1);
    await eventually(
      async () =>
        socket.events.some(
          (event) => event.event === 'wallet:updated' && event.payload.balanceMicros === '40000000',
        ),
      'wallet:updated with the credit',
      10_000,
    );
    socket.close();

    const list = await request(baseUrl, 'GET', '/api/wallet/payments', { token });
    expect(list.body.items[0]).toMatchObject({ paymentId, status: 'succeeded', checkoutUrl: null });
    expect(list.body.items[0].transactionId).toBe(topups[0].id);
  });

  it('a bad signature is refused (403) and leaves no row; a stale replay of a real signature too', async () => {
    const { users } = await createOrganization(dataSource, ['owner'], { fundMicros: 0n });
    const { started, sessionId } = await startStripeTopUp(users.owner, '10000000');
    const event = sessionEvent('checkout.session.completed', {
      id: sessionId,
      client_reference_id: started.body.paymentId,
      payment_status: 'paid',
      amount_total: 1000,
    });
    const before = await dataSource.getRepository(WebhookEvent).countBy({ provider: 'stripe' });
    const forged = stripeDelivery(event, 'whsec_someone_else');
    expect((await post(forged.payload, forged.signature)).status).toBe(403);
    const tampered = stripeDelivery(event);
    expect(
      (
        await post(
          tampered.payload.replace('"amount_total":1000', '"amount_total":9999'),
          tampered.signature,
        )
      ).status,
    ).toBe(403);
    expect((await post(tampered.payload, '')).status).toBe(403);
    expect(await dataSource.getRepository(WebhookEvent).countBy({ provider: 'stripe' })).toBe(
      before,
    );
    expect(
      await dataSource
        .getRepository(LedgerTransaction)
        .countBy({ organizationId: users.owner.organizationId, kind: 'topup' }),
    ).toBe(0);
    expect(
      (await dataSource.getRepository(Payment).findOneByOrFail({ id: started.body.paymentId }))
        .status,
    ).toBe('pending');
  });

  it('expired and failed sessions end their payment without money', async () => {
    const { users } = await createOrganization(dataSource, ['owner'], { fundMicros: 0n });
    const { started, sessionId } = await startStripeTopUp(users.owner, '10000000');
    const expired = stripeDelivery(
      sessionEvent('checkout.session.expired', {
        id: sessionId,
        client_reference_id: started.body.paymentId,
      }),
    );
    expect((await post(expired.payload, expired.signature)).status).toBe(200);
    await eventually(
      async () =>
        (await dataSource.getRepository(Payment).findOneByOrFail({ id: started.body.paymentId }))
          .status === 'expired',
      'the payment expires',
      20_000,
    );
    expect(
      await dataSource
        .getRepository(LedgerTransaction)
        .countBy({ organizationId: users.owner.organizationId, kind: 'topup' }),
    ).toBe(0);
  });
});

describe('payments: the simulated provider (no Stripe configured)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startStack();
    dataSource = stack.api.dataSource;
    baseUrl = stack.api.baseUrl;
  });
  afterAll(() => stack?.close());

  it('its checkout page has a Pay button whose signed webhook credits the wallet once, however often pressed', async () => {
    const { users } = await createOrganization(dataSource, ['owner', 'agent'], { fundMicros: 0n });
    const token = await loginAs(baseUrl, users.owner);
    const started = await request(baseUrl, 'POST', '/api/wallet/topups', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { amountMicros: '15000000' },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'pending', provider: 'simulator' });
    const checkoutUrl = new URL(started.body.checkoutUrl as string);
    expect(checkoutUrl.pathname).toBe(`/api/payments/simulator/checkout/${started.body.paymentId}`);
    const page = await fetch(`${baseUrl}${checkoutUrl.pathname}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('15.00 USD');
    expect(html).toContain(`action="${checkoutUrl.pathname}/pay"`);

    const pays = await Promise.all(
      Array.from({ length: 3 }, () =>
        fetch(`${baseUrl}${checkoutUrl.pathname}/pay`, { method: 'POST', redirect: 'manual' }),
      ),
    );
    for (const pay of pays) {
      expect(pay.status).toBe(303);
      expect(pay.headers.get('location')).toBe(`/wallet?payment=${started.body.paymentId}`);
    }
    await eventually(
      async () =>
        (await dataSource.getRepository(Payment).findOneByOrFail({ id: started.body.paymentId }))
          .status === 'succeeded',
      'the simulated payment succeeds',
      20_000,
    );
    const wallet = await request(baseUrl, 'GET', '/api/wallet', { token });
    expect(wallet.body.balanceMicros).toBe('15000000');
    const afterwards = await fetch(`${baseUrl}${checkoutUrl.pathname}/pay`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(afterwards.status).toBe(303);
    expect((await request(baseUrl, 'GET', '/api/wallet', { token })).body.balanceMicros).toBe(
      '15000000',
    );
    const audited = await dataSource.query(
      `SELECT after FROM audit_log WHERE action = 'wallet.topped_up' AND after->>'paymentId' = $1`,
      [started.body.paymentId],
    );
    expect(audited).toEqual([
      { after: expect.objectContaining({ amountMicros: '15000000', provider: 'simulator' }) },
    ]);

    const agent = await request(baseUrl, 'POST', '/api/wallet/topups', {
      token: await loginAs(baseUrl, users.agent),
      headers: { 'idempotency-key': randomUUID() },
      body: { amountMicros: '15000000' },
    });
    expect(agent.status).toBe(403);
  });

  it('refuses a simulated payment webhook with a bad signature (403), storing nothing', async () => {
    const before = await dataSource
      .getRepository(WebhookEvent)
      .countBy({ provider: 'payment_simulator' });
    const response = await fetch(`${baseUrl}/api/webhooks/payments/simulator`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'evt_x',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
      },
      body: JSON.stringify({
        id: 'evt_x',
        type: 'payment.succeeded',
        data: { paymentId: randomUUID(), amountMicros: '1', currency: 'USD' },
      }),
    });
    expect(response.status).toBe(403);
    expect(
      await dataSource.getRepository(WebhookEvent).countBy({ provider: 'payment_simulator' }),
    ).toBe(before);
  });
});
