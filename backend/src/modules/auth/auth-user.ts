import { UserRole } from './entities/user.entity';

/** Who is calling: the organization context every tenant-scoped service method takes. */
export interface AuthUser {
  id: string;
  organizationId: string;
  role: UserRole;
  email: string;
}

export const isAdminRole = (role: UserRole) => role === 'owner' || role === 'admin';
