import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DashboardService } from '../../src/modules/dashboard/dashboard.service';
import { createOrganization, RunningApi, startApi } from '../support/test-app';

/** The dashboard's numbers (REST and `metrics:updated`) from real calls in PostgreSQL. */
describe('dashboard metrics (real PostgreSQL)', () => {
  let api: RunningApi;
  let dataSource: DataSource;
  let dashboard: DashboardService;

  beforeAll(async () => {
    api = await startApi();
    dataSource = api.dataSource;
    dashboard = api.app.get(DashboardService);
  });
  afterAll(() => api.close());

  interface StoredCall {
    agentId: string;
    status: string;
    createdAt: string; // SQL expression
    answered?: boolean;
    billableSeconds?: number;
    costMicros?: bigint;
  }

  async function store(organizationId: string, calls: StoredCall[]): Promise<void> {
    for (const call of calls) {
      await dataSource.query(
        `INSERT INTO calls (organization_id, agent_id, provider, provider_call_id, to_number, status,
                            created_at, answered_at, billable_seconds, cost_micros)
         VALUES ($1, $2, 'simulator', $3, '+14155550100', $4, ${call.createdAt},
                 CASE WHEN $5 THEN now() END, $6, $7)`,
        [
          organizationId,
          call.agentId,
          `SIMdash${randomUUID().slice(0, 12)}`,
          call.status,
          call.answered ?? false,
          call.billableSeconds ?? null,
          call.costMicros?.toString() ?? null,
        ],
      );
    }
  }

  it("counts today's calls, answers, minutes, spend and active calls, for the organization and for one agent", async () => {
    const { organization, users } = await createOrganization(dataSource, [
      'admin',
      'agent',
      'owner',
    ]);
    const other = await createOrganization(dataSource, ['admin']);
    const today = 'now()';
    const yesterday = "now() - interval '1 day 1 hour'";
    await store(organization.id, [
      {
        agentId: users.agent.id,
        status: 'completed',
        createdAt: today,
        answered: true,
        billableSeconds: 90,
        costMicros: 15_000n,
      },
      {
        agentId: users.agent.id,
        status: 'completed',
        createdAt: today,
        answered: true,
        billableSeconds: 30,
        costMicros: 5_000n,
      },
      { agentId: users.agent.id, status: 'no_answer', createdAt: today },
      { agentId: users.agent.id, status: 'ringing', createdAt: today },
      { agentId: users.owner.id, status: 'in_progress', createdAt: today, answered: true },
      {
        agentId: users.owner.id,
        status: 'completed',
        createdAt: today,
        answered: true,
        billableSeconds: 60,
        costMicros: 10_000n,
      },
      // Yesterday's: not today's numbers, but a call still in progress is active.
      { agentId: users.agent.id, status: 'in_progress', createdAt: yesterday, answered: true },
      {
        agentId: users.agent.id,
        status: 'completed',
        createdAt: yesterday,
        answered: true,
        billableSeconds: 600,
        costMicros: 99_000n,
      },
    ]);
    // Another organization's calls count nowhere here.
    await store(other.organization.id, [
      {
        agentId: other.users.admin.id,
        status: 'completed',
        createdAt: today,
        answered: true,
        billableSeconds: 120,
        costMicros: 7_000n,
      },
      { agentId: other.users.admin.id, status: 'initiated', createdAt: today },
    ]);
    const hour = new Date().getUTCHours();

    const organizationWide = await dashboard.metrics(organization.id);
    expect(organizationWide.scope).toBe('organization');
    expect(organizationWide.activeCalls).toEqual({
      initiated: 0,
      ringing: 1,
      in_progress: 2,
      total: 3,
    });
    expect(organizationWide.today).toEqual({
      calls: 6,
      answered: 4,
      answerRate: 0.667,
      minutes: 3,
      spendMicros: '30000',
      spend: expect.any(String),
    });
    expect(organizationWide.callsPerHour).toHaveLength(24);
    expect(organizationWide.callsPerHour[hour]).toBe(6);
    expect(organizationWide.callsPerHour.reduce((sum, n) => sum + n, 0)).toBe(6);

    const agent = await dashboard.metrics(organization.id, users.agent.id);
    expect(agent.scope).toBe('agent');
    expect(agent.activeCalls).toEqual({ initiated: 0, ringing: 1, in_progress: 1, total: 2 });
    expect(agent.today).toEqual({
      calls: 4,
      answered: 2,
      answerRate: 0.5,
      minutes: 2,
      spendMicros: '20000',
      spend: expect.any(String),
    });
    expect(agent.callsPerHour[hour]).toBe(4);
  });

  it('has zeros, not nulls, for an organization without calls', async () => {
    const { organization } = await createOrganization(dataSource, ['admin']);
    const metrics = await dashboard.metrics(organization.id);
    expect(metrics.activeCalls.total).toBe(0);
    expect(metrics.today).toEqual({
      calls: 0,
      answered: 0,
      answerRate: 0,
      minutes: 0,
      spendMicros: '0',
      spend: expect.any(String),
    });
    expect(metrics.callsPerHour).toEqual(Array.from({ length: 24 }, () => 0));
  });
});
