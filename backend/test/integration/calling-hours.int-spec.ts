import { DataSource } from 'typeorm';
import { checkCallingHours } from '../../src/modules/calls/calling-hours';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { createOrganization, loginAs, request } from '../support/test-app';
import { RunningStack, startStack } from '../support/test-worker';
import { assignPlanWithRates } from '../support/us-rate';

/** Numbers spread around the globe: at any moment some are inside their hours and some outside. */
const NUMBERS: { e164: string; country: string }[] = [
  { e164: '+12125550100', country: 'US' },
  { e164: '+14155550100', country: 'US' },
  { e164: '+18085550100', country: 'US' },
  { e164: '+919876543210', country: 'IN' },
  { e164: '+442079460000', country: 'GB' },
  { e164: '+81312345678', country: 'JP' },
  { e164: '+61293744000', country: 'AU' },
  { e164: '+6491234567', country: 'NZ' },
];
const RATE = (prefix: string) => ({
  prefix,
  description: `test ${prefix}`,
  ratePerMinuteMicros: '60000',
  initialIncrement: 60,
  subsequentIncrement: 60,
  minimumSeconds: 0,
});

describe('default calling hours on POST /api/calls (CALLING_HOURS=enforce)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let agentToken: string;
  let adminToken: string;
  let organizationId: string;

  beforeAll(async () => {
    stack = await startStack({ CALLING_HOURS: 'enforce', SIMULATOR_TIME_SCALE: '0.01' });
    dataSource = stack.api.dataSource;
    const { organization, users } = await createOrganization(dataSource);
    organizationId = organization.id;
    agentToken = await loginAs(stack.api.baseUrl, users.agent);
    adminToken = await loginAs(stack.api.baseUrl, users.admin);
    // Prices are the platform operator's: a plan with these destinations, assigned to it.
    await assignPlanWithRates(
      stack.api,
      organization.id,
      ['1', '91', '44', '81', '61', '64'].map(RATE),
    );
  });
  afterAll(() => stack?.close());

  // Far enough from any boundary that the verdict cannot change during the request.
  const steady = (number: { e164: string; country: string }, allowed: boolean) =>
    [0, 2 * 60_000].every(
      (ahead) =>
        checkCallingHours(number.e164, number.country, new Date(Date.now() + ahead)).allowed ===
        allowed,
    );
  const place = (token: string, to: string, extra: Record<string, unknown> = {}) =>
    request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to, scenario: 'busy', ...extra },
    });

  it('refuses an agent outside the callee hours with a 403 naming the rule, and places inside', async () => {
    const outside = NUMBERS.find((number) => steady(number, false))!;
    const inside = NUMBERS.find((number) => steady(number, true))!;
    expect(outside && inside).toBeTruthy();

    const refused = await place(agentToken, outside.e164);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/outside calling hours: it is \d\d:\d\d in /);
    expect(refused.body.message).toContain(outside.e164);
    expect(
      await dataSource.getRepository(Call).countBy({ organizationId, toNumber: outside.e164 }),
    ).toBe(0);

    expect((await place(agentToken, inside.e164)).status).toBe(201);
  });

  it('lets an admin override, recorded on the call; an agent may not', async () => {
    const outside = NUMBERS.find((number) => steady(number, false))!;
    const denied = await place(agentToken, outside.e164, { overrideCallingHours: true });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain('overrideCallingHours is for admins');

    const hint = await place(adminToken, outside.e164);
    expect(hint.status).toBe(403);
    expect(hint.body.message).toContain('overrideCallingHours: true');

    const overridden = await place(adminToken, outside.e164, { overrideCallingHours: true });
    expect(overridden.status).toBe(201);
    const call = await dataSource.getRepository(Call).findOneByOrFail({ id: overridden.body.id });
    expect(call.metadata).toMatchObject({
      callingHoursOverride: expect.stringContaining('outside calling hours'),
    });
  });
});
