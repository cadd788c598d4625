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
}

export const isAdminRole = (role: UserRole) => role === 'owner' || role === 'admin';

export const isOperator = (role: UserRole) => role === 'operator';
