/** Socket rooms; the server joins sockets to them, a client never names one. */
const ORGANIZATION_ROOM = 'org:';
export const organizationRoom = (organizationId: string) => `${ORGANIZATION_ROOM}${organizationId}`;
/** The organization an `org:` room is of; null for any other room. */
export const organizationOfRoom = (room: string): string | null =>
  room.startsWith(ORGANIZATION_ROOM) ? room.slice(ORGANIZATION_ROOM.length) : null;
export const adminsRoom = (organizationId: string) => `admins:${organizationId}`;
export const userRoom = (userId: string) => `user:${userId}`;
