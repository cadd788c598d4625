import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { DataSource, Not, IsNull } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { DncRefusal } from '../../src/modules/dnc/entities/dnc-refusal.entity';
import { ProviderRegistry } from '../../src/modules/providers/provider-registry';
import { LedgerTransaction } from '../../src/modules/wallet/entities/ledger-transaction.entity';
import { TEST_TWILIO } from '../support/provider-webhooks';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate } from '../support/us-rate';

const PROVIDERS_ENV = {
  EXOTEL_ACCOUNT_SID: 'acmeconsole1',
  EXOTEL_API_KEY: 'exotel-key',
  EXOTEL_API_TOKEN: 'exotel-token',
  EXOTEL_CALLER_ID: '08047112233',
  EXOTEL_WEBHOOK_TOKEN: 'exotel-callback-secret-0123456789',
  BOLNA_API_KEY: 'bn-key',
  BOLNA_AGENT_ID: randomUUID(),
  BOLNA_WEBHOOK_SECRET: 'bolna-webhook-secret-0123456789',
  TWILIO_API_KEY_SID: 'SK00000000000000000000000000000000',
  TWILIO_API_KEY_SECRET: 'api-key-secret',
  TWILIO_TWIML_APP_SID: 'AP00000000000000000000000000000000',
  TWILIO_CALLER_ID: '+14155550142',
};

describe('do-not-call list (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let orgA: Record<UserRole, TestUser>;
  let adminA: string;
  let agentA: string;

  beforeAll(async () => {
    stack = await startStack(PROVIDERS_ENV);
    dataSource = stack.api.dataSource;
    orgA = await organizationWithUsRate(stack.api, 50_000_000n);
    adminA = await loginAs(stack.api.baseUrl, orgA.admin);
    agentA = await loginAs(stack.api.baseUrl, orgA.agent);
  });
  afterAll(() => stack.close());
  afterEach(() => jest.restoreAllMocks());

  const api = (method: string, path: string, token: string, body?: unknown) =>
    request(stack.api.baseUrl, method, path, { token, body });

  it('adds in any spelling as E.164, idempotently, searches, pages and removes', async () => {
    const added = await api('POST', '/api/dnc', adminA, {
      phone: '(415) 555-0171',
      reason: 'Asked us to stop',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      phone: '+14155550171',
      reason: 'Asked us to stop',
      source: 'manual',
      createdBy: { id: orgA.admin.id },
      refusedAttempts: 0,
    });
    const again = await api('POST', '/api/dnc', adminA, { phone: '+1 415 555 0171', reason: 'x' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: added.body.id, reason: 'Asked us to stop' });

    for (const phone of ['+14155550172', '+14155550173']) {
      expect((await api('POST', '/api/dnc', adminA, { phone })).status).toBe(201);
    }
    const first = await api('GET', '/api/dnc?limit=2', adminA);
    expect(first.body.items.map((i: { phone: string }) => i.phone)).toEqual([
      '+14155550173',
      '+14155550172',
    ]);
    const second = await api('GET', `/api/dnc?limit=2&cursor=${first.body.nextCursor}`, adminA);
    expect(second.body.items.map((i: { phone: string }) => i.phone)).toEqual(['+14155550171']);
    expect(second.body.nextCursor).toBeNull();
    const searched = await api('GET', '/api/dnc?q=stop', adminA);
    expect(searched.body.items.map((i: { phone: string }) => i.phone)).toEqual(['+14155550171']);
    const byDigits = await api('GET', '/api/dnc?q=555-0172', adminA);
    expect(byDigits.body.items.map((i: { phone: string }) => i.phone)).toEqual(['+14155550172']);

    expect(
      (await api('DELETE', `/api/dnc/${encodeURIComponent('+14155550172')}`, adminA)).status,
    ).toBe(204);
    const gone = await api('DELETE', `/api/dnc/${encodeURIComponent('+14155550172')}`, adminA);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('+14155550172 is not on the do-not-call list');
  });

  it('names the field of a bad number, keeps organizations apart and is for admins only', async () => {
    const bad = await api('POST', '/api/dnc', adminA, { phone: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('phone must be a valid phone number, e.g. +14155550100');
    const missing = await api('POST', '/api/dnc', adminA, {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.message)).toContain('phone');
    expect((await api('DELETE', '/api/dnc/not-a-number', adminA)).status).toBe(400);

    await api('POST', '/api/dnc', adminA, { phone: '+14155550181' });
    const orgB = (await createOrganization(dataSource)).users;
    const adminB = await loginAs(stack.api.baseUrl, orgB.admin);
    const listB = await api('GET', '/api/dnc?q=0181', adminB);
    expect(listB.body.items).toEqual([]);
    expect((await api('DELETE', `/api/dnc/%2B14155550181`, adminB)).status).toBe(404);
    expect((await api('GET', '/api/dnc?q=0181', adminA)).body.items).toHaveLength(1);

    expect((await api('GET', '/api/dnc', agentA)).status).toBe(403);
    expect((await api('POST', '/api/dnc', agentA, { phone: '+14155550182' })).status).toBe(403);
    expect((await api('DELETE', '/api/dnc/%2B14155550181', agentA)).status).toBe(403);
  });

  it.each(['simulator', 'exotel', 'bolna'] as const)(
    'refuses a listed number on POST /api/calls through %s before any hold or provider request, and records it',
    async (provider) => {
      const users = await organizationWithUsRate(stack.api, 50_000_000n);
      const admin = await loginAs(stack.api.baseUrl, users.admin);
      const agent = await loginAs(stack.api.baseUrl, users.agent);
      await api('POST', '/api/dnc', admin, { phone: '+14155550191', reason: 'opted out' });
      const adapter = stack.api.app.get(ProviderRegistry).get(provider);
      const placeCall = jest.spyOn(adapter, 'placeCall');

      const refused = await api('POST', '/api/calls', agent, {
        provider,
        to: '(415) 555-0191',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(
        "The number +14155550191 is on the organization's do-not-call list",
      );
      expect(placeCall).not.toHaveBeenCalled();
      expect(
        await dataSource
          .getRepository(Call)
          .countBy({ organizationId: users.agent.organizationId }),
      ).toBe(0);
      expect(
        await dataSource
          .getRepository(LedgerTransaction)
          .countBy({ organizationId: users.agent.organizationId, callId: Not(IsNull()) }),
      ).toBe(0);
      expect(
        await dataSource
          .getRepository(DncRefusal)
          .findBy({ organizationId: users.agent.organizationId }),
      ).toEqual([
        expect.objectContaining({ phone: '+14155550191', provider, userId: users.agent.id }),
      ]);
      const listed = await api('GET', '/api/dnc', admin);
      expect(listed.body.items[0]).toMatchObject({ phone: '+14155550191', refusedAttempts: 1 });

      const quote = await api('GET', '/api/billing/quote?to=4155550191', agent);
      expect(quote.body).toMatchObject({
        doNotCall: true,
        refusal: "The number +14155550191 is on the organization's do-not-call list",
      });
    },
  );

  it('places the call again once the number is removed (simulator, end to end)', async () => {
    const users = await organizationWithUsRate(stack.api, 50_000_000n);
    const admin = await loginAs(stack.api.baseUrl, users.admin);
    const agent = await loginAs(stack.api.baseUrl, users.agent);
    await api('POST', '/api/dnc', admin, { phone: '+14155550192' });
    expect(
      (await api('POST', '/api/calls', agent, { provider: 'simulator', to: '+14155550192' }))
        .status,
    ).toBe(403);
    await api('DELETE', '/api/dnc/%2B14155550192', admin);
    expect((await api('GET', '/api/billing/quote?to=%2B14155550192', agent)).body).toMatchObject({
      doNotCall: false,
      refusal: null,
    });
    const placed = await api('POST', '/api/calls', agent, {
      provider: 'simulator',
      to: '+14155550192',
      scenario: 'completed',
    });
    expect(placed.status).toBe(201);
    // Placed for real: the simulator was asked and the call holds its money.
    expect(
      await dataSource
        .getRepository(LedgerTransaction)
        .countBy({ callId: placed.body.id, kind: 'hold' }),
    ).toBe(1);
  });

  it('answers the Twilio voice webhook for a listed number with TwiML that says so and no <Dial>', async () => {
    await api('POST', '/api/dnc', adminA, { phone: '+14155550193' });
    const params = {
      CallSid: `CA${Date.now()}dnc`,
      AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
      From: `client:${orgA.agent.id.replace(/-/g, '')}`,
      To: '(415) 555-0193',
      CallStatus: 'ringing',
      Direction: 'inbound',
    };
    const response = await fetch(`${stack.api.baseUrl}/api/webhooks/twilio/voice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          TEST_TWILIO.TWILIO_AUTH_TOKEN,
          `${stack.env.PUBLIC_BASE_URL}/api/webhooks/twilio/voice`,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    const twiml = await response.text();
    expect(twiml).toContain(
      "<Say>The number +14155550193 is on the organization's do-not-call list.",
    );
    expect(twiml).toContain('<Hangup/>');
    expect(twiml).not.toContain('<Dial');
    expect(
      await dataSource.getRepository(Call).countBy({ parentProviderCallId: params.CallSid }),
    ).toBe(0);
    expect(
      await dataSource.getRepository(DncRefusal).countBy({
        organizationId: orgA.agent.organizationId,
        phone: '+14155550193',
        provider: 'twilio',
      }),
    ).toBe(1);
  });

  it('lists the number when an agent sets the do_not_call disposition', async () => {
    const users = await organizationWithUsRate(stack.api, 50_000_000n);
    const admin = await loginAs(stack.api.baseUrl, users.admin);
    const agent = await loginAs(stack.api.baseUrl, users.agent);
    const placed = await api('POST', '/api/calls', agent, {
      provider: 'simulator',
      to: '+14155550194',
      scenario: 'completed',
    });
    expect(placed.status).toBe(201);
    const marked = await api('PATCH', `/api/calls/${placed.body.id}`, agent, {
      disposition: 'do_not_call',
      note: 'Please stop calling',
    });
    expect(marked.status).toBe(200);
    const listed = await api('GET', '/api/dnc', admin);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        phone: '+14155550194',
        source: 'disposition',
        createdBy: expect.objectContaining({ id: users.agent.id }),
      }),
    ]);
    // Setting it again leaves one entry.
    await api('PATCH', `/api/calls/${placed.body.id}`, agent, { disposition: 'do_not_call' });
    expect((await api('GET', '/api/dnc', admin)).body.items).toHaveLength(1);
    const next = await api('POST', '/api/calls', agent, {
      provider: 'simulator',
      to: '+14155550194',
    });
    expect(next.status).toBe(403);
  });
});
