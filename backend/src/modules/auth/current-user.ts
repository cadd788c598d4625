import { FindOneOptions } from 'typeorm';
import { User } from './entities/user.entity';

/** Why a token older than the user's last password change is refused (HTTP 401, sockets). */
export const SESSION_ENDED = 'This session ended when the password was changed: sign in again';

/**
 * How a signed-in user is read on every request and every socket connection: what they are now
 * (active, role, organization, its suspension, session version), since a token only says who
 * they were when it was issued. One definition for the HTTP guard and the socket gate.
 */
export function currentUserQuery(id: string, organizationId?: string): FindOneOptions<User> {
  return {
    where: organizationId === undefined ? { id } : { id, organizationId },
    relations: { organization: true },
    select: {
      id: true,
      organizationId: true,
      role: true,
      email: true,
      active: true,
      sessionVersion: true,
      organization: { id: true, suspendedAt: true },
    },
  };
}
