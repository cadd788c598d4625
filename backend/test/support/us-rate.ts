import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { CallBillingService } from '../../src/modules/billing/call-billing.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { createOperator, createOrganization, loginAs, request, TestUser } from './test-app';

/** 0.06 per minute billed per minute: 600 s cost 0.60. */
export const US_PER_MINUTE = {
  prefix: '1',
  description: 'US test rate',
  ratePerMinuteMicros: '60000',
  initialIncrement: 60,
  subsequentIncrement: 60,
  minimumSeconds: 0,
};
/** The hold of one call at US_PER_MINUTE when MAX_CALL_SECONDS = 600. */
export const HOLD_PER_CALL = 600_000n;

/**
 * A funded organization on a price plan of its own holding US_PER_MINUTE, which the platform
 * operator set through the API (rates are the operator's, not the organization's).
 */
export async function organizationWithUsRate(
  api: { baseUrl: string; dataSource: Parameters<typeof createOrganization>[0] },
  fundMicros: bigint,
): Promise<Record<UserRole, TestUser>> {
  const { users, organization } = await createOrganization(
    api.dataSource,
    ['owner', 'admin', 'agent'],
    { fundMicros },
  );
  await assignPlanWithRates(api, organization.id, [US_PER_MINUTE]);
  return users;
}

/** The operator creates a price plan with these rates and assigns it to the organization. */
export async function assignPlanWithRates(
  api: { baseUrl: string; dataSource: Parameters<typeof createOrganization>[0] },
  organizationId: string,
  rates: (typeof US_PER_MINUTE)[],
): Promise<string> {
  const operator = await loginAs(api.baseUrl, await createOperator(api.dataSource));
  const plan = await request(api.baseUrl, 'POST', '/api/platform/price-plans', {
    token: operator,
    body: { name: `Plan ${randomUUID().slice(0, 8)}` },
  });
  if (plan.status !== 201) throw new Error(`creating a plan failed: ${plan.status}`);
  const put = await request(api.baseUrl, 'PUT', `/api/platform/price-plans/${plan.body.id}/rates`, {
    token: operator,
    body: { rates },
  });
  if (put.status !== 200) throw new Error(`setting the plan's rates failed: ${put.status}`);
  const assign = await request(
    api.baseUrl,
    'PATCH',
    `/api/platform/organizations/${organizationId}`,
    {
      token: operator,
      body: { pricePlanId: plan.body.id },
    },
  );
  if (assign.status !== 200) throw new Error(`assigning the plan failed: ${assign.status}`);
  return plan.body.id as string;
}

/**
 * A simulator call with its hold reserved through the real billing service, as POST /api/calls
 * leaves it (without the simulator's deliveries).
 */
export async function placeHeldCall(
  api: { dataSource: DataSource; app: { get<T>(type: new (...args: never[]) => T): T } },
  agent: TestUser,
  overrides: Partial<Call> = {},
): Promise<Call> {
  const billing = api.app.get(CallBillingService);
  return api.dataSource.transaction(async (manager) => {
    const call = await manager.save(
      manager.create(Call, {
        organizationId: agent.organizationId,
        agentId: agent.id,
        provider: 'simulator',
        providerCallId: `SIMheld${randomUUID().slice(0, 8)}`,
        direction: 'outbound',
        toNumber: '+14155550100',
        country: 'US',
        status: 'initiated',
        metadata: {},
        ...overrides,
      }),
    );
    await billing.reserve(manager, call);
    return call;
  });
}
