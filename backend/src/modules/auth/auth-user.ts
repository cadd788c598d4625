import { UserRole } from './entities/user.entity';

/** Who is calling: the organization context every tenant-scoped service method takes. */
export interface AuthUser {
  id: string;
  /**
   * The caller's organization. Empty for a platform operator, who only ever reaches @Platform()
   * routes (the guard refuses operators everywhere else), so tenant services never see it empty.
   */
  organizationId: string;
  role: UserRole;
  email: string;
  /**
   * Set when the request carries an API key instead of a user's token: the key's id and name. `id`
   * is then the user who created the key (what `createdBy` columns record), `role` the key's role.
   */
  apiKeyId?: string;
  apiKeyName?: string;
}

export const isAdminRole = (role: UserRole) => role === 'owner' || role === 'admin';

export const isOperator = (role: UserRole) => role === 'operator';
