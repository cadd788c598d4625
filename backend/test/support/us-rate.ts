import { UserRole } from '../../src/modules/auth/entities/user.entity';
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
