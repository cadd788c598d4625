import { AuthUser, isAdminRole } from '../auth/auth-user';

/** Socket rooms; the server joins sockets to them, a client never names one. */
export const organizationRoom = (organizationId: string) => `org:${organizationId}`;
export const adminsRoom = (organizationId: string) => `admins:${organizationId}`;
export const userRoom = (userId: string) => `user:${userId}`;

/** The rooms a user's sockets belong in, for the role the user has now. */
export function roomsFor(user: Pick<AuthUser, 'id' | 'organizationId' | 'role'>): string[] {
  const rooms = [organizationRoom(user.organizationId), userRoom(user.id)];
  if (isAdminRole(user.role)) rooms.push(adminsRoom(user.organizationId));
  return rooms;
}
