import { FindOneOptions } from 'typeorm';
import { User } from './entities/user.entity';

/**
 * How a signed-in user is read on every request and every socket connection: what they are now
 * (active, role, organization, its suspension), since a token only says who they were when it
 * was issued. One definition for the HTTP guard and the socket gate.
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
      organization: { id: true, suspendedAt: true },
    },
  };
}
