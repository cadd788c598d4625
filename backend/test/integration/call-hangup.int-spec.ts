import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { callCost } from '../../src/modules/billing/rating';
import { CallEvent } from '../../src/modules/calls/entities/call-event.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import { ProviderApiStub } from '../fixtures/providers/provider-api-stub';
import { TEST_TWILIO } from '../support/provider-webhooks';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { assignPlanWithRates, placeHeldCall } from '../support/us-rate';

const TIME_SCALE = 0.05;
/** 0.06 per minute in 6-second steps: the charge follows the talk time closely. */
const RATE = {
  ratePerMinuteMicros: 60_000n,
  initialIncrement: 6,
  subsequentIncrement: 6,
  minimumSeconds: 0,
};
const BOLNA_KEY = 'bolna-test-key';
const EXOTEL = {
  EXOTEL_ACCOUNT_SID: 'switchboardtest1',
  EXOTEL_API_KEY: 'exotel-key',
  EXOTEL_API_TOKEN: 'exotel-token',
  EXOTEL_CALLER_ID: '+918047000000',
  EXOTEL_WEBHOOK_TOKEN: 'exotel-webhook-token',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /api/calls/:id/hangup (real PostgreSQL, Redis, worker; provider APIs stubbed)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let baseUrl: string;
  const twilio = new ProviderApiStub();
  const bolna = new ProviderApiStub();
  const exotel = new ProviderApiStub();
  let users: Record<UserRole, TestUser>;
  let agentToken: string;
  let adminToken: string;

  beforeAll(async () => {
    await Promise.all([twilio.start(), bolna.start(), exotel.start()]);
    stack = await startStack({
      SIMULATOR_TIME_SCALE: String(TIME_SCALE),
      MAX_CALL_SECONDS: '600',
      TWILIO_API_BASE_URL: twilio.baseUrl,
      BOLNA_API_BASE_URL: bolna.baseUrl,
      BOLNA_API_KEY: BOLNA_KEY,
      BOLNA_AGENT_ID: 'agent-1',
      BOLNA_WEBHOOK_SECRET: 'bolna-webhook-secret',
      EXOTEL_API_BASE_URL: exotel.baseUrl,
      ...EXOTEL,
    });
    dataSource = stack.api.dataSource;
    baseUrl = stack.api.baseUrl;
    const created = await createOrganization(dataSource, ['owner', 'admin', 'agent']);
    users = created.users;
    adminToken = await loginAs(baseUrl, users.admin);
    agentToken = await loginAs(baseUrl, users.agent);
    await assignPlanWithRates(stack.api, created.organization.id, [
      {
        prefix: '1',
        description: 'US, 6-second steps',
        ratePerMinuteMicros: RATE.ratePerMinuteMicros.toString(),
        initialIncrement: RATE.initialIncrement,
        subsequentIncrement: RATE.subsequentIncrement,
        minimumSeconds: RATE.minimumSeconds,
      },
    ]);
  });
  afterAll(async () => {
    await stack?.close();
    await Promise.all([twilio.stop(), bolna.stop(), exotel.stop()]);
  });
  beforeEach(() => {
    twilio.reset();
    bolna.reset();
    exotel.reset();
  });

  const wallet = () =>
    dataSource
      .getRepository(Wallet)
      .findOneByOrFail({ organizationId: users.agent.organizationId });
  const call = (id: string) => dataSource.getRepository(Call).findOneByOrFail({ id });
  const hangUp = (id: string, token = agentToken) =>
    request(baseUrl, 'POST', `/api/calls/${id}/hangup`, { token });
  const timeline = (callId: string) =>
    dataSource.getRepository(CallEvent).find({ where: { callId }, order: { receivedAt: 'ASC' } });

  async function placeSimulated(scenario: string, talkSeconds: number): Promise<string> {
    const placed = await request(baseUrl, 'POST', '/api/calls', {
      token: agentToken,
      body: { provider: 'simulator', to: '+14155550100', scenario, talkSeconds },
    });
    expect(placed.status).toBe(201);
    return placed.body.id as string;
  }

  it('simulator: an answered call hung up ends completed, billed for the talk time up to the hang-up, and its planned end never comes', async () => {
    const before = await wallet();
    // Planned: 200 s of talk (10 s here). Hung up after about 40 s (2 s here).
    const id = await placeSimulated('completed', 200);
    const answered = await eventually(async () => {
      const row = await call(id);
      return row.status === 'in_progress' && row.answeredAt ? row : null;
    }, 'the call to be answered');
    expect(
      (await request(baseUrl, 'GET', `/api/calls/${id}`, { token: agentToken })).body,
    ).toMatchObject({ canHangUp: true, hangupUnsupportedReason: null });
    await sleep(2000);
    const asked = Date.now();
    const response = await hangUp(id);
    const answeredAt = Date.now();
    expect(response.status).toBe(202);
    expect(response.body.id).toBe(id);
    expect(response.body.status).toBe('in_progress'); // the webhook changes it, not the request

    const ended = await eventually(async () => {
      const row = await call(id);
      return row.status === 'completed' && row.costMicros !== null ? row : null;
    }, 'the hang-up to complete the call');
    const talkMs = (at: number) => (at - answered.answeredAt!.getTime()) / (1000 * TIME_SCALE);
    expect(ended.billableSeconds).toBeGreaterThanOrEqual(Math.floor(talkMs(asked)) - 1);
    expect(ended.billableSeconds).toBeLessThanOrEqual(Math.ceil(talkMs(answeredAt)) + 1);
    expect(ended.billableSeconds).toBeLessThan(100);
    expect(ended.hangupReason).toBe('Hung up from Switchboard');
    expect(ended.costMicros).toBe(callCost(ended.billableSeconds!, RATE));
    const after = await wallet();
    expect(before.balanceMicros - after.balanceMicros).toBe(ended.costMicros);
    expect(after.heldMicros).toBe(before.heldMicros);

    // Past the planned end (10 s after answering, here): nothing else arrived, nothing changed.
    await sleep(
      Math.max(0, answered.answeredAt!.getTime() + 200 * 1000 * TIME_SCALE + 1000 - Date.now()),
    );
    const events = await timeline(id);
    expect(events.filter((event) => event.rawStatus === 'completed')).toHaveLength(1);
    const requested = events.find((event) => event.outcome === 'hangup_requested');
    expect(requested).toMatchObject({
      rawStatus: 'hangup_requested',
      applied: false,
      facts: { requestedBy: users.agent.id, requestedByRole: 'agent' },
    });
    expect((await call(id)).billableSeconds).toBe(ended.billableSeconds);
    expect((await wallet()).balanceMicros).toBe(after.balanceMicros);

    // Ended: a terminal call is 409, and the view says why the control is off.
    const again = await hangUp(id);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already ended \(completed\)/);
    expect(
      (await request(baseUrl, 'GET', `/api/calls/${id}`, { token: agentToken })).body,
    ).toMatchObject({
      canHangUp: false,
      hangupUnsupportedReason: 'The call has already ended (completed)',
    });
  }, 40_000);

  it('simulator: a ringing call hung up ends cancelled, charges nothing and releases its hold', async () => {
    const before = await wallet();
    const id = await placeSimulated('no_answer', 0); // rings about 1 s here before no_answer
    await eventually(async () => (await call(id)).status === 'ringing', 'the call to ring', 5000);
    expect((await wallet()).heldMicros).toBeGreaterThan(before.heldMicros);
    expect((await hangUp(id)).status).toBe(202);
    const ended = await eventually(async () => {
      const row = await call(id);
      return row.status === 'cancelled' ? row : null;
    }, 'the call to be cancelled');
    expect(ended.billableSeconds ?? 0).toBe(0);
    expect(ended.costMicros ?? 0n).toBe(0n);
    await eventually(
      async () => (await wallet()).heldMicros === before.heldMicros,
      'the hold release',
    );
    expect((await wallet()).balanceMicros).toBe(before.balanceMicros);
    await sleep(1500); // the planned no_answer would have come by now
    expect((await call(id)).status).toBe('cancelled');
  }, 20_000);

  it('Twilio: an admin ends an agent’s answered call by completing the dialed leg; a repeat asks Twilio nothing', async () => {
    const held = await placeHeldCall(stack.api, users.agent, {
      provider: 'twilio',
      providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
      parentProviderCallId: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'in_progress',
    });
    twilio.answer({ status: 200, body: { sid: held.providerCallId, status: 'in-progress' } });
    const response = await hangUp(held.id, adminToken);
    expect(response.status).toBe(202);
    expect(twilio.requests).toHaveLength(1);
    const sent = twilio.lastRequest;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe(
      `/2010-04-01/Accounts/${TEST_TWILIO.TWILIO_ACCOUNT_SID}/Calls/${held.providerCallId}.json`,
    );
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TEST_TWILIO.TWILIO_ACCOUNT_SID}:${TEST_TWILIO.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
    );
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.headers['user-agent']).toMatch(/^twilio-node\//); // Twilio's own client
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({ Status: 'completed' });

    // Not confirmed by Twilio yet: accepted again without a second request.
    const repeat = await hangUp(held.id);
    expect(repeat.status).toBe(202);
    expect(twilio.requests).toHaveLength(1);
    const requested = (await timeline(held.id)).filter((e) => e.outcome === 'hangup_requested');
    expect(requested).toHaveLength(1);
    expect(requested[0].facts).toMatchObject({
      requestedBy: users.admin.id,
      requestedByRole: 'admin',
    });
    expect((await call(held.id)).status).toBe('in_progress');
  });

  it('Twilio: a ringing dialed leg is canceled; a refusal is 409 with Twilio’s message and may be retried', async () => {
    const held = await placeHeldCall(stack.api, users.agent, {
      provider: 'twilio',
      providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'ringing',
    });
    twilio.answer({ status: 400, body: { code: 21220, message: 'Call is not in-progress' } });
    const refused = await hangUp(held.id);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(
      /^twilio refused to end the call: .*Call is not in-progress/,
    );
    expect(Object.fromEntries(new URLSearchParams(twilio.lastRequest.body))).toEqual({
      Status: 'canceled',
    });
    expect((await timeline(held.id)).map((e) => e.outcome)).toEqual(['hangup_failed']);

    twilio.answer({ status: 200, body: {} });
    expect((await hangUp(held.id)).status).toBe(202);
    expect(twilio.requests).toHaveLength(2);
  });

  it('Bolna: a queued execution is stopped with POST /call/{execution_id}/stop; a live one cannot be ended (409 naming Bolna)', async () => {
    const queued = await placeHeldCall(stack.api, users.agent, {
      provider: 'bolna',
      providerCallId: randomUUID(),
      status: 'initiated',
    });
    bolna.answer({
      status: 200,
      body: { message: 'done', status: 'stopped', execution_id: queued.providerCallId },
    });
    expect((await hangUp(queued.id)).status).toBe(202);
    expect(bolna.requests).toHaveLength(1);
    expect(bolna.lastRequest).toMatchObject({
      method: 'POST',
      url: `/call/${queued.providerCallId}/stop`,
      body: '',
    });
    expect(bolna.lastRequest.headers.authorization).toBe(`Bearer ${BOLNA_KEY}`);

    const live = await placeHeldCall(stack.api, users.agent, {
      provider: 'bolna',
      providerCallId: randomUUID(),
      status: 'in_progress',
    });
    const refused = await hangUp(live.id);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(
      /^Bolna has no documented API to end a call once it rings/,
    );
    expect(bolna.requests).toHaveLength(1);
    const view = await request(baseUrl, 'GET', `/api/calls/${live.id}`, { token: agentToken });
    expect(view.body).toMatchObject({
      canHangUp: false,
      hangupUnsupportedReason: refused.body.message,
    });
    expect(await timeline(live.id)).toEqual([]);
  });

  it('Exotel: no documented API ends a Calls/connect call: 409 naming Exotel, nothing sent, the view says so', async () => {
    const live = await placeHeldCall(stack.api, users.agent, {
      provider: 'exotel',
      providerCallId: 'b6cfaf5f5cef3ca0fc937749ef960e25',
      status: 'in_progress',
    });
    const refused = await hangUp(live.id);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^Exotel has no documented API to end a call/);
    expect(exotel.requests).toEqual([]);
    const view = await request(baseUrl, 'GET', `/api/calls/${live.id}`, { token: agentToken });
    expect(view.body).toMatchObject({
      canHangUp: false,
      hangupUnsupportedReason: refused.body.message,
    });
  });

  it('is scoped like the call: another organization’s call and a colleague’s call are 404 for an agent', async () => {
    const other = await createOrganization(dataSource, ['agent']);
    const theirs = await placeHeldCall(stack.api, other.users.agent, {
      provider: 'twilio',
      providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'in_progress',
    });
    expect((await hangUp(theirs.id, adminToken)).status).toBe(404);
    const adminsOwn = await placeHeldCall(stack.api, users.admin, {
      provider: 'twilio',
      providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'in_progress',
    });
    const refused = await hangUp(adminsOwn.id, agentToken);
    expect(refused.status).toBe(404);
    expect(twilio.requests).toEqual([]);
    expect(await timeline(theirs.id)).toEqual([]);
    expect(await timeline(adminsOwn.id)).toEqual([]);
  });

  it('stores the browser’s call-quality warnings on the call’s timeline; scoped like the call; names a bad warning', async () => {
    const held = await placeHeldCall(stack.api, users.agent, {
      provider: 'twilio',
      providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'in_progress',
    });
    const report = (body: unknown, token = agentToken, id = held.id) =>
      request(baseUrl, 'POST', `/api/calls/${id}/quality-warnings`, { token, body });
    expect((await report({ warning: 'high-rtt' })).status).toBe(204);
    expect((await report({ warning: 'low-mos', cleared: false })).status).toBe(204);
    expect((await report({ warning: 'high-rtt', cleared: true })).status).toBe(204);

    const bad = await report({ warning: 'loud-neighbours' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/warning must be one of: high-rtt/);
    expect((await report({ warning: 'high-rtt', cleared: 'yes' })).status).toBe(400);

    const other = await createOrganization(dataSource, ['agent']);
    const theirs = await placeHeldCall(stack.api, other.users.agent, {
      provider: 'twilio',
      providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'in_progress',
    });
    expect((await report({ warning: 'high-rtt' }, adminToken, theirs.id)).status).toBe(404);
    expect(await timeline(theirs.id)).toEqual([]);

    const entries = await timeline(held.id);
    expect(entries.map((e) => [e.outcome, e.rawStatus, e.applied, e.status])).toEqual([
      ['quality_warning', 'high-rtt', false, null],
      ['quality_warning', 'low-mos', false, null],
      ['quality_warning_cleared', 'high-rtt', false, null],
    ]);
    expect(entries[0].facts).toEqual({ warning: 'high-rtt', reportedBy: users.agent.id });
    // The call itself is untouched, and the detail shows the entries.
    expect((await call(held.id)).status).toBe('in_progress');
    const view = await request(baseUrl, 'GET', `/api/calls/${held.id}`, { token: agentToken });
    expect(
      (view.body.timeline as { outcome: string }[])
        .map((e) => e.outcome)
        .filter((o) => o.startsWith('quality')),
    ).toHaveLength(3);
  });
});
