import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { BillingService } from '../../src/modules/billing/billing.service';
import { CallRollupsService } from '../../src/modules/calls/call-rollups';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { DashboardService } from '../../src/modules/dashboard/dashboard.service';
import { WebhookMaintenanceService } from '../../src/modules/webhooks/webhook-maintenance.service';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { loginAs, request, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate, placeHeldCall } from '../support/us-rate';

interface FigureRow {
  organization_id: string;
  hour: string;
  provider: string;
  country: string | null;
  agent_id: string | null;
  calls: string;
  answered: string;
  billable_seconds: string;
  spend_micros: string;
}

const KEY = `organization_id, hour, provider, country, agent_id`;
const sortRows = (rows: FigureRow[]) =>
  rows
    .map((row) => ({ ...row, hour: new Date(row.hour).toISOString() }))
    .sort((a, b) =>
      JSON.stringify([a.organization_id, a.hour, a.provider, a.country, a.agent_id]).localeCompare(
        JSON.stringify([b.organization_id, b.hour, b.provider, b.country, b.agent_id]),
      ),
    );

/** The figures kept by the triggers (roll-ups plus deltas not folded yet), per roll-up key. */
async function keptFigures(dataSource: DataSource, organizations: string[]): Promise<FigureRow[]> {
  return sortRows(
    await dataSource.query(
      `SELECT ${KEY}, sum(calls)::text AS calls, sum(answered)::text AS answered,
              sum(billable_seconds)::text AS billable_seconds, sum(spend_micros)::text AS spend_micros
         FROM (SELECT * FROM call_rollups UNION ALL SELECT * FROM call_rollup_deltas) AS kept
        WHERE organization_id = ANY($1)
        GROUP BY ${KEY}
       HAVING sum(calls) <> 0 OR sum(answered) <> 0 OR sum(billable_seconds) <> 0 OR sum(spend_micros) <> 0`,
      [organizations],
    ),
  );
}

/** The same figures counted again from the calls themselves. */
async function recount(dataSource: DataSource, organizations: string[]): Promise<FigureRow[]> {
  return sortRows(
    await dataSource.query(
      `SELECT organization_id, date_trunc('hour', created_at, 'UTC') AS hour, provider, country, agent_id,
              count(*)::text AS calls, count(answered_at)::text AS answered,
              coalesce(sum(billable_seconds), 0)::text AS billable_seconds,
              coalesce(sum(cost_micros), 0)::text AS spend_micros
         FROM calls WHERE organization_id = ANY($1)
        GROUP BY 1, 2, 3, 4, 5`,
      [organizations],
    ),
  );
}

/**
 * The hourly roll-ups kept by triggers on `calls` equal a recount from `calls` after a random
 * workload through the real pipeline (api → webhook_events → BullMQ → worker batches), and the
 * dashboard and billing summary read them.
 */
describe('call roll-ups (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;

  beforeAll(async () => {
    stack = await startStack({ MAX_CALL_SECONDS: '600', WEBHOOK_WORKER_CONCURRENCY: '8' });
    dataSource = stack.api.dataSource;
  });
  afterAll(() => stack.close());

  it('equal a recount from the calls after random calls, redelivered, late and reordered events, reconciliation and a deleted agent', async () => {
    // The database is shared by every suite of the run: only this test's webhooks count.
    const [{ startedAt }] = await dataSource.query(`SELECT now() AS "startedAt"`);
    const orgA = await organizationWithUsRate(stack.api, 500_000_000n);
    const orgB = await organizationWithUsRate(stack.api, 500_000_000n);
    const organizations = [orgA.owner.organizationId, orgB.owner.organizationId];
    const users: TestUser[] = [orgA, orgB].flatMap((org) =>
      (['owner', 'admin', 'agent'] as UserRole[]).map((role) => org[role]),
    );
    const tokens = new Map<string, string>();
    for (const user of users) tokens.set(user.id, await loginAs(stack.api.baseUrl, user));

    // Calls placed through the api: the simulator plays them out (random outcomes and talk time,
    // half of them with duplicated, delayed and reordered webhooks).
    const placed = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const user = users[randomInt(users.length)];
        return request<{ id: string }>(stack.api.baseUrl, 'POST', '/api/calls', {
          token: tokens.get(user.id),
          body: {
            provider: 'simulator',
            to: '+14155550100',
            scenario: 'random',
            talkSeconds: randomInt(1, 200),
            chaos: i % 2 === 0,
          },
        });
      }),
    );
    expect(placed.every((response) => response.status === 201)).toBe(true);

    // Calls driven by hand: every webhook delivered twice or three times (same id: deduplicated at
    // ingress) and as a second event with the same status (processed, not applied), in random
    // order, then late events after the end (ringing after completed; completed again with
    // another duration: enrichment happens once).
    const held: Call[] = [];
    for (let i = 0; i < 10; i += 1)
      held.push(await placeHeldCall(stack.api, users[randomInt(users.length)]));
    // Two of them created in earlier hours (yesterday's and last week's buckets).
    await dataSource.query(
      `UPDATE calls SET created_at = created_at - interval '1 day 2 hours' WHERE id = $1`,
      [held[0].id],
    );
    await dataSource.query(
      `UPDATE calls SET created_at = created_at - interval '7 days' WHERE id = $1`,
      [held[1].id],
    );
    const deliveries = held.flatMap((call) => {
      const talk = randomInt(0, 400);
      const events =
        talk === 0 || randomInt(4) === 0
          ? [
              simulatorEvent(call.providerCallId!, 'ringing'),
              simulatorEvent(call.providerCallId!, randomInt(2) ? 'busy' : 'no_answer', {
                duration_seconds: 0,
              }),
            ]
          : [
              simulatorEvent(call.providerCallId!, 'ringing'),
              simulatorEvent(call.providerCallId!, 'in_progress'),
              simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: talk }),
            ];
      const redelivered = events.flatMap((event) =>
        Array.from({ length: 1 + randomInt(3) }, () => event),
      );
      const again = events.map((event) => ({ ...event, id: `${event.id}-again` }));
      return [...redelivered, ...again];
    });
    deliveries.sort(() => Math.random() - 0.5);
    const responses = await Promise.all(
      deliveries.map((event) => postSimulatorWebhook(stack.api.baseUrl, event)),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);

    // A call its provider never confirmed, failed by reconciliation.
    const neverConfirmed = await placeHeldCall(stack.api, orgB.agent, { providerCallId: null });
    await dataSource.query(
      `UPDATE calls SET status_updated_at = now() - interval '1 hour' WHERE id = $1`,
      [neverConfirmed.id],
    );

    // Everything ends: every call terminal, every stored event processed.
    await eventually(
      async () => {
        const [{ open }] = await dataSource.query(
          `SELECT count(*)::int AS open FROM calls
            WHERE organization_id = ANY($1) AND status IN ('initiated', 'ringing', 'in_progress')
              AND id <> $2`,
          [organizations, neverConfirmed.id],
        );
        const [{ pending }] = await dataSource.query(
          `SELECT count(*)::int AS pending FROM webhook_events
            WHERE state IN ('received', 'retrying') AND received_at >= $1`,
          [startedAt],
        );
        return open === 0 && pending === 0;
      },
      'every call ended and every webhook processed',
      60_000,
    );
    await stack.worker.get(WebhookMaintenanceService).reconcile(600);
    const late = held
      .filter((call, i) => i % 2 === 0)
      .flatMap((call) => [
        simulatorEvent(call.providerCallId!, 'ringing'),
        simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 999 }),
      ]);
    for (const event of late) await postSimulatorWebhook(stack.api.baseUrl, event);
    await eventually(async () => {
      const [{ pending }] = await dataSource.query(
        `SELECT count(*)::int AS pending FROM webhook_events
          WHERE state IN ('received', 'retrying') AND received_at >= $1`,
        [startedAt],
      );
      return pending === 0;
    }, 'the late events processed');

    // The workload did what it should: calls in several hours, answered and charged calls.
    const counted = await recount(dataSource, organizations);
    expect(counted.reduce((sum, row) => sum + Number(row.calls), 0)).toBe(35);
    expect(new Set(counted.map((row) => row.hour)).size).toBeGreaterThanOrEqual(3);
    expect(counted.some((row) => Number(row.spend_micros) > 0)).toBe(true);
    expect(await keptFigures(dataSource, organizations)).toEqual(counted);

    // An agent deleted: its calls keep no agent (ON DELETE SET NULL), and move in the roll-ups.
    const gone = orgA.agent;
    const [{ calls: goneCalls }] = await dataSource.query(
      `SELECT count(*)::int AS calls FROM calls WHERE agent_id = $1`,
      [gone.id],
    );
    await dataSource.query(`DELETE FROM users WHERE id = $1`, [gone.id]);
    const afterDeletion = await recount(dataSource, organizations);
    expect(afterDeletion.some((row) => row.agent_id === gone.id)).toBe(false);
    expect(
      afterDeletion
        .filter((row) => row.agent_id === null && row.organization_id === gone.organizationId)
        .reduce((sum, row) => sum + Number(row.calls), 0),
    ).toBe(goneCalls);
    expect(await keptFigures(dataSource, organizations)).toEqual(afterDeletion);

    // Folding the deltas changes no figure, and leaves no delta of these organizations.
    await stack.worker.get(CallRollupsService).compact();
    const [{ deltas }] = await dataSource.query(
      `SELECT count(*)::int AS deltas FROM call_rollup_deltas WHERE organization_id = ANY($1)`,
      [organizations],
    );
    expect(deltas).toBe(0);
    expect(await keptFigures(dataSource, organizations)).toEqual(afterDeletion);

    // The dashboard and the billing summary read the roll-ups: the same figures as the calls.
    const [today] = await dataSource.query(
      `SELECT count(*)::int AS calls, count(answered_at)::int AS answered,
              coalesce(sum(cost_micros), 0)::text AS spend
         FROM calls WHERE organization_id = $1 AND created_at >= date_trunc('day', now(), 'UTC')`,
      [orgA.owner.organizationId],
    );
    const metrics = await stack.api.app.get(DashboardService).metrics(orgA.owner.organizationId);
    expect(metrics.today).toMatchObject({
      calls: today.calls,
      answered: today.answered,
      spendMicros: today.spend,
    });
    const from = new Date(Date.now() - 8 * 24 * 3600 * 1000 - 123_456); // not on an hour
    const to = new Date(Date.now() + 60_000);
    const [period] = await dataSource.query(
      `SELECT count(*)::int AS calls, count(answered_at)::int AS answered,
              coalesce(sum(billable_seconds), 0)::int AS seconds, coalesce(sum(cost_micros), 0)::text AS spend
         FROM calls WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3`,
      [orgA.owner.organizationId, from, to],
    );
    const summary = await stack.api.app
      .get(BillingService)
      .summary(
        { id: orgA.owner.id, organizationId: orgA.owner.organizationId, role: 'owner' } as never,
        { from: from.toISOString(), to: to.toISOString(), groupBy: 'agent' },
      );
    expect(summary.totals).toMatchObject({
      calls: period.calls,
      answered: period.answered,
      billableSeconds: period.seconds,
      spendMicros: period.spend,
    });
    expect(summary.groups.reduce((sum, group) => sum + group.calls, 0)).toBe(period.calls);
  }, 120_000);

  it('reads the calls themselves at the ends of a period that does not start or end on an hour', async () => {
    const org = await organizationWithUsRate(stack.api, 100_000_000n);
    const organizationId = org.owner.organizationId;
    const base = new Date();
    base.setUTCHours(base.getUTCHours() - 5, 0, 0, 0);
    const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
    // Calls at 10:10, 10:50, 11:30, 12:20 (hours relative to `base`), 30 s and 0.01 each.
    for (const minutes of [10, 50, 90, 140]) {
      await dataSource.query(
        `INSERT INTO calls (organization_id, agent_id, provider, provider_call_id, to_number, status,
                            created_at, answered_at, billable_seconds, cost_micros)
         VALUES ($1, $2, 'simulator', $3, '+14155550100', 'completed', $4, $4, 30, 10000)`,
        [organizationId, org.agent.id, `SIMedge${randomUUID().slice(0, 12)}`, at(minutes)],
      );
    }
    const billing = stack.api.app.get(BillingService);
    const owner = { id: org.owner.id, organizationId, role: 'owner' } as never;
    const calls = async (from: number, to: number) =>
      (
        await billing.summary(owner, {
          from: at(from).toISOString(),
          to: at(to).toISOString(),
          groupBy: 'day',
        })
      ).totals.calls;
    expect(await calls(20, 130)).toBe(2); // 10:50 and 11:30: part of the first hour, a whole one, part of the third
    expect(await calls(0, 180)).toBe(4); // whole hours only
    expect(await calls(11, 49)).toBe(0); // inside one hour, between two calls
    expect(await calls(10, 51)).toBe(2); // inside one hour
    expect(await calls(90, 90.001)).toBe(1);
  });
});
