/** Socket rooms; the server joins sockets to them, a client never names one. */
export const organizationRoom = (organizationId: string) => `org:${organizationId}`;
export const adminsRoom = (organizationId: string) => `admins:${organizationId}`;
export const userRoom = (userId: string) => `user:${userId}`;
