import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startOfDayIn } from '../../src/common/time-zone';
import { createOrganization, loginAs, request, RunningApi, startApi } from '../support/test-app';

/**
 * The organization's time zone: set by its owner, validated, and the definition of its days in
 * billing (by day) and on the dashboard ("today"), exact in zones whose days begin on a half hour.
 */
describe('organization time zone (real PostgreSQL)', () => {
  let api: RunningApi;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startApi();
    dataSource = api.dataSource;
  });
  afterAll(() => api.close());

  /** Calls stored as the providers' events would leave them; the triggers keep the roll-ups. */
  async function storeCalls(
    organizationId: string,
    agentId: string,
    calls: { at: Date | string; seconds: number; costMicros: bigint }[],
  ): Promise<void> {
    for (const call of calls) {
      await dataSource.query(
        `INSERT INTO calls (organization_id, agent_id, provider, provider_call_id, to_number, status,
                            created_at, answered_at, ended_at, billable_seconds, cost_micros)
         VALUES ($1, $2, 'simulator', $3, '+14155550100', 'completed', $4::timestamptz,
                 $4::timestamptz, $4::timestamptz + interval '1 minute', $5, $6)`,
        [
          organizationId,
          agentId,
          `SIMtz${randomUUID().slice(0, 12)}`,
          call.at instanceof Date ? call.at.toISOString() : call.at,
          call.seconds,
          call.costMicros.toString(),
        ],
      );
    }
  }

  it('the owner sets it (validated); others may not; the first sign-in default does not overwrite a choice', async () => {
    const { users } = await createOrganization(dataSource, ['owner', 'admin']);
    const owner = await loginAs(api.baseUrl, users.owner);
    const admin = await loginAs(api.baseUrl, users.admin);

    const before = await request(api.baseUrl, 'GET', '/api/auth/me', { token: owner });
    expect(before.body.organization).toMatchObject({
      timeZone: 'UTC',
      timeZoneChosen: false,
      currency: 'USD',
    });

    const first = await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: 'America/Los_Angeles', onlyIfUnset: true },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ timeZone: 'America/Los_Angeles', timeZoneChosen: true });

    // A later browser default leaves the choice alone; an explicit change replaces it.
    const again = await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: 'Europe/Paris', onlyIfUnset: true },
    });
    expect(again.body.timeZone).toBe('America/Los_Angeles');
    const chosen = await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: 'asia/kolkata' },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.timeZone.toLowerCase()).toBe('asia/kolkata');

    const invalid = await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: 'Mars/Olympus' },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('timeZone must be an IANA time zone');
    const offset = await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: '+05:30' },
    });
    expect(offset.status).toBe(400);

    const byAdmin = await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: admin,
      body: { timeZone: 'UTC' },
    });
    expect(byAdmin.status).toBe(403);
    const me = await request(api.baseUrl, 'GET', '/api/auth/me', { token: admin });
    expect(me.body.organization.timeZone.toLowerCase()).toBe('asia/kolkata');
  });

  it('billing days in Asia/Kolkata (+05:30) equal a recount from the calls, around the half-hour day starts', async () => {
    const { organization, users } = await createOrganization(dataSource, ['owner']);
    const owner = await loginAs(api.baseUrl, users.owner);
    await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: 'Asia/Kolkata' },
    });
    // Dec 1 ends in India at 18:30 UTC: calls on both sides of it within the same UTC hour, and
    // whole hours away from it, over three Indian days.
    const calls = [
      { at: '2026-11-30T20:00:00Z', seconds: 60, costMicros: 10_000n }, // Dec 1 01:30 IST
      { at: '2026-12-01T18:05:00Z', seconds: 61, costMicros: 20_001n }, // Dec 1 23:35 IST
      { at: '2026-12-01T18:29:59Z', seconds: 62, costMicros: 30_002n }, // Dec 1 23:59:59 IST
      { at: '2026-12-01T18:30:00Z', seconds: 63, costMicros: 40_003n }, // Dec 2 00:00 IST
      { at: '2026-12-01T18:55:00Z', seconds: 64, costMicros: 50_004n }, // Dec 2 00:25 IST
      { at: '2026-12-02T05:00:00Z', seconds: 65, costMicros: 60_005n }, // Dec 2 10:30 IST
      { at: '2026-12-02T18:45:00Z', seconds: 66, costMicros: 70_006n }, // Dec 3 00:15 IST
    ];
    await storeCalls(organization.id, users.owner.id, calls);
    await dataSource.query(`SELECT compact_call_rollups()`);

    const from = '2026-11-30T18:30:00.000Z'; // Dec 1 00:00 IST
    const to = '2026-12-03T18:30:00.000Z'; // Dec 4 00:00 IST
    const summary = await request(
      api.baseUrl,
      'GET',
      `/api/billing/summary?groupBy=day&from=${from}&to=${to}`,
      { token: owner },
    );
    expect(summary.status).toBe(200);
    expect(summary.body.timeZone).toBe('Asia/Kolkata');

    const recount: { day: string; calls: number; seconds: string; spend: string }[] =
      await dataSource.query(
        `SELECT to_char(created_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS day,
                count(*)::int AS calls, sum(billable_seconds)::text AS seconds,
                sum(cost_micros)::text AS spend
           FROM calls WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3
          GROUP BY 1 ORDER BY 1`,
        [organization.id, from, to],
      );
    expect(recount.map((row) => row.day)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(
      summary.body.groups.map((group: Record<string, unknown>) => ({
        day: group.key,
        calls: group.calls,
        seconds: String(group.billableSeconds),
        spend: group.spendMicros,
      })),
    ).toEqual(recount);
    expect(summary.body.groups.map((group: { calls: number }) => group.calls)).toEqual([3, 3, 1]);
  });

  it("the dashboard's today begins at the organization's midnight", async () => {
    const { organization, users } = await createOrganization(dataSource, ['owner']);
    const owner = await loginAs(api.baseUrl, users.owner);
    await request(api.baseUrl, 'PATCH', '/api/organization', {
      token: owner,
      body: { timeZone: 'Asia/Kolkata' },
    });
    const midnight = startOfDayIn(new Date(), 'Asia/Kolkata');
    await storeCalls(organization.id, users.owner.id, [
      { at: new Date(midnight.getTime() - 60_000), seconds: 60, costMicros: 1_000_000n }, // yesterday
      { at: new Date(midnight.getTime() + 1_000), seconds: 60, costMicros: 2_000_000n }, // today
    ]);
    const metrics = await request(api.baseUrl, 'GET', '/api/dashboard/metrics', { token: owner });
    expect(metrics.status).toBe(200);
    expect(metrics.body.timeZone).toBe('Asia/Kolkata');
    expect(metrics.body.today).toMatchObject({ calls: 1, spendMicros: '2000000' });
    // The first minute of the Indian day is hour 0 of its chart.
    expect(metrics.body.callsPerHour[0]).toBe(1);
  });
});
