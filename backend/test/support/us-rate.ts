import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { CallBillingService } from '../../src/modules/billing/call-billing.service';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { createOrganization, loginAs, request, TestUser } from './test-app';

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

/** A funded organization whose admin set US_PER_MINUTE as its rate deck through the API. */
export async function organizationWithUsRate(
  api: { baseUrl: string; dataSource: Parameters<typeof createOrganization>[0] },
  fundMicros: bigint,
): Promise<Record<UserRole, TestUser>> {
  const { users } = await createOrganization(api.dataSource, ['owner', 'admin', 'agent'], {
    fundMicros,
  });
  const token = await loginAs(api.baseUrl, users.admin);
  const put = await request(api.baseUrl, 'PUT', '/api/billing/rates', {
    token,
    body: { rates: [US_PER_MINUTE] },
  });
  if (put.status !== 200) throw new Error(`setting the US rate failed: ${put.status}`);
  return users;
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
