import { DataSource, In } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { Contact } from '../../src/modules/contacts/entities/contact.entity';
import {
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';

describe('call history: filters, keyset pagination, CSV export, tenancy', () => {
  let api: RunningApi;
  let dataSource: DataSource;
  let orgA: Record<UserRole, TestUser>;
  let orgB: Record<UserRole, TestUser>;
  let callOfB: Call;

  const seedCall = (user: TestUser, minutesAgo: number, overrides: Partial<Call> = {}) =>
    dataSource.getRepository(Call).save({
      organizationId: user.organizationId,
      agentId: user.id,
      provider: 'simulator',
      direction: 'outbound',
      toNumber: '+14155550100',
      country: 'US',
      status: 'completed',
      billableSeconds: 30,
      metadata: {},
      createdAt: new Date(Date.now() - minutesAgo * 60_000),
      ...overrides,
    } as Call);

  beforeAll(async () => {
    api = await startApi();
    dataSource = api.dataSource;
    orgA = (await createOrganization(dataSource)).users;
    orgB = (await createOrganization(dataSource)).users;
    for (let i = 0; i < 7; i += 1)
      await seedCall(orgA.agent, i + 1, { toNumber: `+1415555010${i}` });
    await seedCall(orgA.admin, 30, {
      status: 'busy',
      toNumber: '+442071838750',
      country: 'GB',
      billableSeconds: 0,
    });
    await seedCall(orgA.admin, 40, { status: 'no_answer', provider: 'bolna' });
    callOfB = await seedCall(orgB.owner, 5, { toNumber: '+14155550999' });
  });
  afterAll(() => api.close());

  it('pages through the organization’s calls newest first with a cursor, without gaps or repeats', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=4&cursor=${cursor}` : '?limit=4';
      const page = await request(api.baseUrl, 'GET', `/api/calls${query}`, { token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((call: { id: string }) => call.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    const all = await request(api.baseUrl, 'GET', '/api/calls?limit=200', { token });
    expect(all.body.items.map((call: { id: string }) => call.id)).toEqual(seen);
    const times = all.body.items.map((call: { createdAt: string }) => call.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by status, provider, country, agent and number', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const ids = async (query: string) =>
      (await request(api.baseUrl, 'GET', `/api/calls?${query}`, { token })).body.items.map(
        (call: { status: string; country: string; provider: string; to: string }) => call,
      );
    expect(
      (await ids('status=busy,no_answer')).map((call: { status: string }) => call.status).sort(),
    ).toEqual(['busy', 'no_answer']);
    expect(await ids('provider=bolna')).toHaveLength(1);
    expect(await ids('country=gb')).toHaveLength(1);
    expect(await ids(`agentId=${orgA.agent.id}`)).toHaveLength(7);
    expect((await ids('q=555-0103')).map((call: { to: string }) => call.to)).toEqual([
      '+14155550103',
    ]);
  });

  it("finds calls by the contact's name as well as by digits of either number (q)", async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const contacts = dataSource.getRepository(Contact);
    const asha = await contacts.save({
      organizationId: orgA.admin.organizationId,
      name: 'Asha Gupta',
      sortName: 'asha gupta',
      phone: '+14155550188',
      country: 'US',
      tags: [],
    });
    const ben = await contacts.save({
      organizationId: orgA.admin.organizationId,
      name: 'Ben 100% Smith',
      sortName: 'ben 100% smith',
      phone: '+14155550189',
      country: 'US',
      tags: [],
    });
    const toAsha = await seedCall(orgA.agent, 50, {
      toNumber: asha.phone,
      fromNumber: '+442071234567',
      contactId: asha.id,
    });
    await seedCall(orgA.agent, 51, { toNumber: ben.phone, contactId: ben.id });
    // Another organization's contact of the same name finds nothing here.
    const other = await contacts.save({
      organizationId: orgB.owner.organizationId,
      name: 'Asha Gupta',
      sortName: 'asha gupta',
      phone: '+14155550177',
      country: 'US',
      tags: [],
    });
    await seedCall(orgB.owner, 50, { toNumber: other.phone, contactId: other.id });
    const found = async (q: string) =>
      (
        await request(api.baseUrl, 'GET', `/api/calls?q=${encodeURIComponent(q)}`, { token })
      ).body.items.map((call: { id: string }) => call.id);
    expect(await found('Asha')).toEqual([toAsha.id]);
    expect(await found('  gupta ')).toEqual([toAsha.id]);
    expect(await found('ASHA G')).toEqual([toAsha.id]);
    expect(await found('Zyx')).toEqual([]);
    // LIKE's wildcards are searched for as written.
    expect(await found('100%')).toHaveLength(1);
    expect(await found('1_0')).toEqual([]);
    expect(await found('(415) 555-0188')).toEqual([toAsha.id]);
    // The calling number too.
    expect(await found('2071234')).toEqual([toAsha.id]);
    // A name so common (over a thousand contacts) that the history is read in order instead.
    const common: { id: string }[] = await dataSource.query(
      `INSERT INTO contacts (organization_id, name, sort_name, phone, country)
       SELECT $1, 'Common ' || i, 'common ' || i, '+1415666' || lpad(i::text, 4, '0'), 'US'
         FROM generate_series(1, 1001) AS i RETURNING id`,
      [orgA.admin.organizationId],
    );
    const toCommon = await seedCall(orgA.agent, 52, { contactId: common[500].id });
    expect(await found('common')).toEqual([toCommon.id]);
    await dataSource.getRepository(Call).delete({ id: toCommon.id });
    await contacts.delete({ id: In(common.map((row) => row.id)) });
    await dataSource.getRepository(Call).delete({ contactId: In([asha.id, ben.id, other.id]) });
    await contacts.delete({ id: In([asha.id, ben.id, other.id]) });
  });

  it('names a bad filter in a 400', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const badStatus = await request(api.baseUrl, 'GET', '/api/calls?status=done', { token });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.message).toMatch(/^status must be among/);
    const badLimit = await request(api.baseUrl, 'GET', '/api/calls?limit=500', { token });
    expect(badLimit.body.message).toBe('limit must not be greater than 200');
    const badCursor = await request(api.baseUrl, 'GET', '/api/calls?cursor=nonsense', { token });
    expect(badCursor.status).toBe(400);
  });

  it('shows an agent only their own calls, whatever agent filter they send', async () => {
    const token = await loginAs(api.baseUrl, orgA.agent);
    const mine = await request(
      api.baseUrl,
      'GET',
      `/api/calls?agentId=${orgA.admin.id}&limit=200`,
      { token },
    );
    expect(mine.body.items).toHaveLength(7);
    expect(
      mine.body.items.every((call: { agent: { id: string } }) => call.agent.id === orgA.agent.id),
    ).toBe(true);
    const adminsCall = (
      await request(api.baseUrl, 'GET', '/api/calls?provider=bolna', {
        token: await loginAs(api.baseUrl, orgA.admin),
      })
    ).body.items[0];
    expect(
      (await request(api.baseUrl, 'GET', `/api/calls/${adminsCall.id}`, { token })).status,
    ).toBe(404);
  });

  it("never shows organization B's call to organization A: 404, not in lists, not in exports", async () => {
    const token = await loginAs(api.baseUrl, orgA.owner);
    const read = await request(api.baseUrl, 'GET', `/api/calls/${callOfB.id}`, { token });
    expect(read.status).toBe(404);
    expect(read.body.message).toBe(`Call ${callOfB.id} not found`);
    const malformed = await request(api.baseUrl, 'GET', '/api/calls/garbage', { token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toBe('id must be a UUID');
    const list = await request(api.baseUrl, 'GET', '/api/calls?limit=200&q=0999', { token });
    expect(list.body.items).toEqual([]);
    const csv = await request(api.baseUrl, 'GET', '/api/calls/export.csv', { token });
    expect(csv.body).not.toContain(callOfB.id);
    const ownerOfB = await request(api.baseUrl, 'GET', `/api/calls/${callOfB.id}`, {
      token: await loginAs(api.baseUrl, orgB.owner),
    });
    expect(ownerOfB.status).toBe(200);
  });

  it('exports the filtered history as CSV with a header row', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const response = await fetch(`${api.baseUrl}/api/calls/export.csv?status=completed`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'id,created_at,provider,direction,from_number,to_number,country,status,agent,answered_at,ended_at,duration_seconds,cost_micros,cost,hangup_reason,hangup_by,disposition,note,summary',
    );
    expect(lines).toHaveLength(1 + 7);
    expect(lines.slice(1).every((line) => line.includes(',completed,'))).toBe(true);
  });
});
