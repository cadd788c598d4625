import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { Contact } from '../../src/modules/contacts/entities/contact.entity';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';

async function importCsv(baseUrl: string, token: string, csv: string, query = '') {
  const response = await fetch(`${baseUrl}/api/contacts/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('contacts (real PostgreSQL)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let orgA: Record<UserRole, TestUser>;
  let orgB: Record<UserRole, TestUser>;
  let tokenA: string;

  beforeAll(async () => {
    stack = await startStack();
    dataSource = stack.api.dataSource;
    orgA = (await createOrganization(dataSource)).users;
    orgB = (await createOrganization(dataSource)).users;
    tokenA = await loginAs(stack.api.baseUrl, orgA.admin);
  });
  afterAll(() => stack.close());

  it('reads "(415) 555-0100", "+1 415 555 0100" and "4155550100" as one contact', async () => {
    const created = await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token: tokenA,
      body: { name: 'Asha Rao', phone: '(415) 555-0100', tags: ['VIP', 'vip', 'renewal'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      phone: '+14155550100',
      country: 'US',
      tags: ['vip', 'renewal'],
    });

    const duplicate = await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token: tokenA,
      body: { name: 'Someone Else', phone: '+1 415 555 0100' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toBe(
      `+14155550100 already belongs to contact "Asha Rao" (${created.body.id})`,
    );

    for (const spelling of ['4155550100', '+1 415 555 0100', '(415) 555-0100']) {
      const lookup = await request(
        stack.api.baseUrl,
        'GET',
        `/api/contacts/lookup?phone=${encodeURIComponent(spelling)}`,
        { token: tokenA },
      );
      expect(lookup.body).toMatchObject({
        found: true,
        phone: '+14155550100',
        contact: { id: created.body.id },
      });
    }
    const invalid = await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token: tokenA,
      body: { name: 'X', phone: '12' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toBe('phone must be a valid phone number, e.g. +14155550100');
  });

  it('searches by name, number or company, filters by tag and pages by name', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const token = await loginAs(stack.api.baseUrl, users.admin);
    const people = [
      ['Zoe Adams', '+14155550111', 'Initech', ['lead']],
      ['yann Brun', '+33142685301', 'Globex', []],
      ['Xavier Cole', '+442071838751', 'Initech', ['lead', 'vip']],
      ['Wanda Diaz', '+14155550112', 'Hooli', []],
    ] as const;
    for (const [name, phone, company, tags] of people) {
      expect(
        (
          await request(stack.api.baseUrl, 'POST', '/api/contacts', {
            token,
            body: { name, phone, company, tags },
          })
        ).status,
      ).toBe(201);
    }
    const names = async (query: string) =>
      (await request(stack.api.baseUrl, 'GET', `/api/contacts?${query}`, { token })).body.items.map(
        (contact: { name: string }) => contact.name,
      );
    expect(await names('q=initech')).toEqual(['Xavier Cole', 'Zoe Adams']);
    expect(await names('q=555-0112')).toEqual(['Wanda Diaz']);
    expect(await names('q=YANN')).toEqual(['yann Brun']);
    expect(await names('tag=vip')).toEqual(['Xavier Cole']);
    const first = await request(stack.api.baseUrl, 'GET', '/api/contacts?limit=3', { token });
    expect(first.body.items.map((contact: { name: string }) => contact.name)).toEqual([
      'Wanda Diaz',
      'Xavier Cole',
      'yann Brun',
    ]);
    const second = await request(
      stack.api.baseUrl,
      'GET',
      `/api/contacts?limit=3&cursor=${first.body.nextCursor}`,
      { token },
    );
    expect(second.body.items.map((contact: { name: string }) => contact.name)).toEqual([
      'Zoe Adams',
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('imports 10,000 rows with duplicates, bad numbers and missing fields, and reports every problem row', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const token = await loginAs(stack.api.baseUrl, users.admin);
    await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token,
      body: { name: 'Already Here', phone: '+12025550000', company: 'Old Co' },
    });

    const lines = ['Full Name,Mobile Number,E-mail,Company,Tags,Extra'];
    const expected: Record<string, number> = { created: 0, updated: 0, skipped: 0 };
    const reasons = new Map<number, string>();
    const notes = new Map<number, string>();
    for (let i = 0; i < 10_000; i += 1) {
      const line = i + 2;
      const phone = `+1202555${String(i).padStart(4, '0')}`; // +12025550000 exists already
      if (i % 500 === 7) {
        lines.push(`Bad Number ${i},12-34,,,,`);
        expected.skipped += 1;
        reasons.set(line, '"12-34" is not a valid phone number');
      } else if (i % 500 === 8) {
        lines.push(`,${phone},,,,`);
        expected.skipped += 1;
        reasons.set(line, 'name is empty');
      } else if (i % 500 === 9) {
        lines.push(`No Phone ${i},,,,,`);
        expected.skipped += 1;
        reasons.set(line, 'phone is empty');
      } else if (i % 500 === 11) {
        lines.push(`Bad Mail ${i},${phone},not-an-email,,,`);
        expected.created += 1;
        notes.set(line, 'email "not-an-email" is not valid: imported without it');
      } else if (i % 1000 === 20) {
        lines.push(`Twin ${i},+1202555${String(i - 1).padStart(4, '0')},,,,`); // same number as the row before
        expected.skipped += 1;
        reasons.set(line, `same number as line ${line - 1}`);
      } else {
        lines.push(
          `"Person ${i}, Jr.",${phone},p${i}@example.test,Company ${i % 7},lead;batch-${i % 3},x`,
        );
        if (i === 0) expected.updated += 1;
        else expected.created += 1;
      }
    }
    const started = Date.now();
    const { status, body } = await importCsv(stack.api.baseUrl, token, lines.join('\n'));
    const elapsed = Date.now() - started;
    expect(status).toBe(200);
    expect(body).toMatchObject({
      rows: 10_000,
      ...expected,
      columns: {
        name: 'Full Name',
        phone: 'Mobile Number',
        email: 'E-mail',
        company: 'Company',
        tags: 'Tags',
      },
    });
    // The answer lists the problem rows only (here all of them: fewer than the inline limit).
    const problemLines = [...reasons.keys(), ...notes.keys()].sort((a, b) => a - b);
    expect(body).toMatchObject({ problems: problemLines.length, truncated: false });
    expect(body.results.map((result: { line: number }) => result.line)).toEqual(problemLines);
    const byLine = new Map(
      body.results.map((result: { line: number }) => [result.line, result] as const),
    );
    for (const [line, reason] of reasons) {
      expect(byLine.get(line)).toEqual({ line, outcome: 'skipped', reason });
    }
    for (const [line, reason] of notes) {
      expect(byLine.get(line)).toMatchObject({ line, outcome: 'created', reason });
    }
    const badMail = await dataSource
      .getRepository(Contact)
      .findOneByOrFail({ organizationId: users.admin.organizationId, phone: '+12025550011' });
    expect(badMail).toMatchObject({ name: 'Bad Mail 11', email: null });
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM contacts WHERE organization_id = $1 AND deleted_at IS NULL`,
      [users.admin.organizationId],
    );
    expect(count).toBe(1 + expected.created);
    const updated = await dataSource
      .getRepository(Contact)
      .findOneByOrFail({ organizationId: users.admin.organizationId, phone: '+12025550000' });
    expect(updated).toMatchObject({
      name: 'Person 0, Jr.',
      company: 'Company 0',
      tags: ['lead', 'batch-0'],
    });
    expect(elapsed).toBeLessThan(60_000);
  }, 90_000);

  it('answers a huge import with its totals and the first 1,000 problem rows; the full report streams as CSV, to its organization only', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const token = await loginAs(stack.api.baseUrl, users.admin);
    const lines = ['name,phone'];
    for (let i = 0; i < 30_000; i += 1) lines.push(`Nobody ${i},not-a-number-${i}`);
    lines.push('Real Person,+14155550161');
    const { status, body } = await importCsv(stack.api.baseUrl, token, lines.join('\n'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      rows: 30_001,
      created: 1,
      skipped: 30_000,
      problems: 30_000,
      truncated: true,
      reportUrl: `/api/contacts/imports/${body.id}/report.csv`,
    });
    expect(body.results).toHaveLength(1000);
    expect(body.results[0]).toEqual({
      line: 2,
      outcome: 'skipped',
      reason: '"not-a-number-0" is not a valid phone number',
    });
    expect(body.results[999].line).toBe(1001);

    const report = await fetch(`${stack.api.baseUrl}${body.reportUrl}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const rows = (await report.text()).trim().split('\n');
    expect(rows[0]).toBe('line,outcome,contact_id,reason');
    expect(rows).toHaveLength(1 + 30_000);
    expect(rows[1]).toBe('2,skipped,,"""not-a-number-0"" is not a valid phone number"');
    expect(rows[30_000]).toBe(
      '30001,skipped,,"""not-a-number-29999"" is not a valid phone number"',
    );

    const otherOrg = await request(stack.api.baseUrl, 'GET', body.reportUrl, {
      token: await loginAs(stack.api.baseUrl, orgB.admin),
    });
    expect(otherOrg.status).toBe(404);
    const malformed = await request(
      stack.api.baseUrl,
      'GET',
      '/api/contacts/imports/x/report.csv',
      { token },
    );
    expect(malformed.status).toBe(400);
  }, 90_000);

  it('holds imported rows to the limits of the contact form, and keeps the text as typed', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const token = await loginAs(stack.api.baseUrl, users.admin);
    const longNotes = 'n'.repeat(5001);
    const form = await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token,
      body: { name: 'Form', phone: '+14155550170', notes: longNotes },
    });
    expect(form.status).toBe(400);
    expect(JSON.stringify(form.body.message)).toContain(
      'notes must be shorter than or equal to 5000 characters',
    );

    const manyTags = Array.from({ length: 21 }, (_, i) => `t${i}`).join(';');
    const csv = [
      'name,phone,company,tags,notes',
      `Long Notes,+14155550171,,,${longNotes}`,
      `Just Fits,+14155550172,,,${'n'.repeat(5000)}`,
      `${'N'.repeat(201)},+14155550173,,,`,
      `Long Company,+14155550174,${'c'.repeat(201)},,`,
      `Many Tags,+14155550175,,${manyTags},`,
      `Bad Tag,+14155550176,,ok;no!way,`,
      `"=HYPERLINK(""http://evil.example"",""x"")",+14155550177,,,@notes`,
    ].join('\n');
    const { status, body } = await importCsv(stack.api.baseUrl, token, csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 7, created: 2, skipped: 5 });
    expect(body.results).toEqual([
      {
        line: 2,
        outcome: 'skipped',
        reason: 'notes must be shorter than or equal to 5000 characters',
      },
      {
        line: 4,
        outcome: 'skipped',
        reason: 'name must be shorter than or equal to 200 characters',
      },
      {
        line: 5,
        outcome: 'skipped',
        reason: 'company must be shorter than or equal to 200 characters',
      },
      { line: 6, outcome: 'skipped', reason: 'tags must contain no more than 20 elements' },
      {
        line: 7,
        outcome: 'skipped',
        reason: 'each tag must be 1-40 letters, digits, spaces, - or _ (not "no!way")',
      },
    ]);
    const stored = await dataSource
      .getRepository(Contact)
      .findOneByOrFail({ organizationId: users.admin.organizationId, phone: '+14155550177' });
    expect(stored).toMatchObject({
      name: '=HYPERLINK("http://evil.example","x")',
      notes: '@notes',
    });
  });

  it('explains a file it cannot map or read', async () => {
    const noPhone = await importCsv(stack.api.baseUrl, tokenA, 'name,city\nAda,Paris\n');
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.message).toMatch(/^No phone column: name one of phone, phonenumber/);
    const mapped = await importCsv(
      stack.api.baseUrl,
      tokenA,
      'who,reach me at\nAda Mapped,+14155550188\n',
      '?nameColumn=who&phoneColumn=reach%20me%20at',
    );
    expect(mapped.body).toMatchObject({ created: 1, skipped: 0 });
    const empty = await importCsv(stack.api.baseUrl, tokenA, '');
    expect(empty.status).toBe(400);
  });

  it("keeps organization A from seeing, looking up or changing organization B's contacts", async () => {
    const tokenB = await loginAs(stack.api.baseUrl, orgB.admin);
    const ofB = await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token: tokenB,
      body: { name: 'Secret Person', phone: '+14155550177' },
    });
    expect(
      (await request(stack.api.baseUrl, 'GET', `/api/contacts/${ofB.body.id}`, { token: tokenA }))
        .status,
    ).toBe(404);
    expect(
      (
        await request(stack.api.baseUrl, 'PATCH', `/api/contacts/${ofB.body.id}`, {
          token: tokenA,
          body: { name: 'Hacked' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(stack.api.baseUrl, 'DELETE', `/api/contacts/${ofB.body.id}`, {
          token: tokenA,
        })
      ).status,
    ).toBe(404);
    const lookup = await request(
      stack.api.baseUrl,
      'GET',
      '/api/contacts/lookup?phone=%2B14155550177',
      { token: tokenA },
    );
    expect(lookup.body).toEqual({ found: false, contact: null, phone: '+14155550177' });
    const search = await request(stack.api.baseUrl, 'GET', '/api/contacts?q=secret', {
      token: tokenA,
    });
    expect(search.body.items).toEqual([]);
    const csv = await request(stack.api.baseUrl, 'GET', '/api/contacts/export.csv', {
      token: tokenA,
    });
    expect(csv.body).not.toContain('Secret Person');
  });

  it('links a call to its contact and updates lastCalledAt exactly once when the terminal webhook arrives three times', async () => {
    const token = await loginAs(stack.api.baseUrl, orgA.agent);
    const contact = await request(stack.api.baseUrl, 'POST', '/api/contacts', {
      token,
      body: { name: 'Call Me', phone: '+14155550166' },
    });
    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '415-555-0166', scenario: 'no_answer' },
    });
    expect(placed.body.contact).toEqual({ id: contact.body.id, name: 'Call Me' });

    // Take the call over from the simulator's own schedule: our deliveries, three times each.
    const call = await dataSource.getRepository(Call).findOneByOrFail({ id: placed.body.id });
    const providerCallId =
      call.providerCallId ??
      (await eventually(
        async () =>
          (await dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).providerCallId,
        'provider id',
      ));
    const ended = simulatorEvent(providerCallId, 'completed', {
      duration_seconds: 20,
      id: `msg_${randomBytes(4).toString('hex')}`,
    });
    await Promise.all([1, 2, 3].map(() => postSimulatorWebhook(stack.api.baseUrl, ended)));
    const final = await eventually(async () => {
      const row = await dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
      return row.costMicros !== null ? row : null;
    }, 'the call to end and be billed');
    const saved = await dataSource.getRepository(Contact).findOneByOrFail({ id: contact.body.id });
    expect(saved.lastCalledAt?.toISOString()).toBe(final.endedAt?.toISOString());
    const touches = await dataSource.query(
      `SELECT count(*)::int AS n FROM call_events WHERE call_id = $1 AND status IN ('completed','busy','no_answer','failed','cancelled') AND applied`,
      [call.id],
    );
    expect(touches[0].n).toBe(1);

    // The contact's detail is the contact alone; its calls come from the calls list.
    const detail = await request(stack.api.baseUrl, 'GET', `/api/contacts/${contact.body.id}`, {
      token,
    });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: contact.body.id, name: 'Call Me' });
    expect(detail.body).not.toHaveProperty('recentCalls');
    // A colleague's call with the same contact: the admin sees both, the agent only their own.
    const colleagues = await dataSource.getRepository(Call).save({
      organizationId: orgA.admin.organizationId,
      agentId: orgA.admin.id,
      contactId: contact.body.id,
      provider: 'simulator',
      direction: 'outbound',
      toNumber: '+14155550166',
      country: 'US',
      status: 'completed',
      billableSeconds: 30,
      metadata: {},
    } as Call);
    const contactCalls = async (as: string) =>
      (
        await request(
          stack.api.baseUrl,
          'GET',
          `/api/calls?contactId=${contact.body.id}&limit=20`,
          { token: as },
        )
      ).body.items.map((item: { id: string; contact: { id: string } }) => {
        expect(item.contact.id).toBe(contact.body.id);
        return item.id;
      });
    expect(await contactCalls(token)).toEqual([call.id]);
    expect(await contactCalls(tokenA)).toEqual([colleagues.id, call.id]);

    // A deleted contact leaves lookups, but its calls keep their link.
    expect(
      (await request(stack.api.baseUrl, 'DELETE', `/api/contacts/${contact.body.id}`, { token }))
        .status,
    ).toBe(204);
    expect(
      (
        await request(stack.api.baseUrl, 'GET', '/api/contacts/lookup?phone=%2B14155550166', {
          token,
        })
      ).body.found,
    ).toBe(false);
    const history = await request(stack.api.baseUrl, 'GET', `/api/calls/${call.id}`, { token });
    expect(history.body.contact).toEqual({ id: contact.body.id, name: 'Call Me' });
  });

  it('saves a note and disposition on a finished call, for its agent only', async () => {
    const token = await loginAs(stack.api.baseUrl, orgA.agent);
    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'busy' },
    });
    const saved = await request(stack.api.baseUrl, 'PATCH', `/api/calls/${placed.body.id}`, {
      token,
      body: { note: 'Try again tomorrow', disposition: 'callback' },
    });
    expect(saved.body).toMatchObject({ note: 'Try again tomorrow', disposition: 'callback' });
    const bad = await request(stack.api.baseUrl, 'PATCH', `/api/calls/${placed.body.id}`, {
      token,
      body: { disposition: 'maybe' },
    });
    expect(bad.status).toBe(400);
    const otherOrg = await request(stack.api.baseUrl, 'PATCH', `/api/calls/${placed.body.id}`, {
      token: await loginAs(stack.api.baseUrl, orgB.admin),
      body: { note: 'x' },
    });
    expect(otherOrg.status).toBe(404);
  });
});
