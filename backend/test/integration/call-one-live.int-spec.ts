import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import {
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';

/** A simulated call long enough to stay live for the whole test. */
const LONG_CALL = { provider: 'simulator', scenario: 'completed', talkSeconds: 3600 };

describe('one live call per agent, and notes after the call (POST/PATCH /api/calls)', () => {
  let api: RunningApi;
  let dataSource: DataSource;
  let users: Record<UserRole, TestUser>;
  let other: Record<UserRole, TestUser>;

  beforeAll(async () => {
    api = await startApi({ ONE_LIVE_CALL_PER_AGENT: 'on', CALLING_HOURS: 'off' });
    dataSource = api.dataSource;
    users = (await createOrganization(dataSource)).users;
    other = (await createOrganization(dataSource)).users;
  });
  afterAll(() => api.close());

  const place = (token: string, to: string) =>
    request(api.baseUrl, 'POST', '/api/calls', { token, body: { ...LONG_CALL, to } });

  it('refuses a second live call for the same agent with 409 naming the live one, until it ends', async () => {
    const token = await loginAs(api.baseUrl, users.agent);
    const first = await place(token, '+14155550100');
    expect(first.status).toBe(201);

    const second = await place(token, '+14155550101');
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(first.body.id);
    expect(second.body.message).toContain('+14155550100');
    expect(second.body.message).toMatch(/end it before placing another/);
    // Nothing was created or held for the refused call.
    expect(
      await dataSource
        .getRepository(Call)
        .countBy({ agentId: users.agent.id, toNumber: '+14155550101' }),
    ).toBe(0);

    // Other people of the organization, and other organizations, are not affected.
    expect((await place(await loginAs(api.baseUrl, users.admin), '+14155550102')).status).toBe(201);
    expect((await place(await loginAs(api.baseUrl, other.agent), '+14155550103')).status).toBe(201);

    // Once the first call has ended, the agent may call again.
    await dataSource.getRepository(Call).update({ id: first.body.id }, { status: 'completed' });
    expect((await place(token, '+14155550101')).status).toBe(201);
  });

  it('lets only one of two simultaneous placements through', async () => {
    const token = await loginAs(api.baseUrl, users.owner);
    const results = await Promise.all([place(token, '+14155550104'), place(token, '+14155550105')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('does not let a call its provider never ended block the agent forever', async () => {
    const token = await loginAs(api.baseUrl, other.admin);
    const stuck = await place(token, '+14155550106');
    expect(stuck.status).toBe(201);
    // Older than the longest call plus its grace: reconciliation's business, not a block.
    await dataSource
      .getRepository(Call)
      .update({ id: stuck.body.id }, { createdAt: new Date(Date.now() - 3 * 3600_000) });
    expect((await place(token, '+14155550107')).status).toBe(201);
  });

  it('edits and clears the note and disposition after the call has ended', async () => {
    const token = await loginAs(api.baseUrl, other.owner);
    const placed = await place(token, '+14155550108');
    await dataSource.getRepository(Call).update({ id: placed.body.id }, { status: 'completed' });
    const path = `/api/calls/${placed.body.id}`;

    const saved = await request(api.baseUrl, 'PATCH', path, {
      token,
      body: { note: 'Wants a quote', disposition: 'interested' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ note: 'Wants a quote', disposition: 'interested' });

    const changed = await request(api.baseUrl, 'PATCH', path, {
      token,
      body: { disposition: 'callback' },
    });
    expect(changed.body).toMatchObject({ note: 'Wants a quote', disposition: 'callback' });

    const cleared = await request(api.baseUrl, 'PATCH', path, {
      token,
      body: { note: null, disposition: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ note: null, disposition: null });

    const tooLong = await request(api.baseUrl, 'PATCH', path, {
      token,
      body: { note: 'x'.repeat(2001) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/note/);

    // Another organization's call: 404.
    const foreign = await request(api.baseUrl, 'PATCH', path, {
      token: await loginAs(api.baseUrl, users.admin),
      body: { note: 'x' },
    });
    expect(foreign.status).toBe(404);
  });
});
