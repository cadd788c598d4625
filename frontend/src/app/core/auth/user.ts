import { ApiView } from '../api/api-schema';

/**
 * The user and organization shapes returned by the backend's auth and users endpoints, as the
 * console sees them. Most of the console is the organizations' console, so its `User` is a member
 * of one; the platform operator (`role: 'operator'`, no organization) has its own part under
 * /platform (features/platform, docs/platform.md).
 */
export type Role = Exclude<ApiView<'UserView'>['role'], 'operator'>;

export const ROLES: readonly Role[] = ['owner', 'admin', 'agent'];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  agent: 'Agent',
};

/** The signed-in user's organization: its currency and the time zone of its days. */
export type Organization = ApiView<'OrganizationSummary'>;

export type User = Omit<ApiView<'UserView'>, 'role' | 'organization'> & {
  role: Role;
  organization: Organization;
};

/** The platform operator: outside every organization, reaches /api/platform only. */
export type Operator = Omit<ApiView<'UserView'>, 'role' | 'organization'> & {
  role: 'operator';
  organization: null;
};

/** Whoever is signed in: an organization member or a platform operator. */
export type SessionUser = User | Operator;

export type LoginResponse = Omit<ApiView<'LoginResponse'>, 'user'> & { user: SessionUser };

/** Owners and admins manage the organization (users, rates, top-ups); agents only place calls. */
export function isAdminRole(role: Role | null | undefined): boolean {
  return role === 'owner' || role === 'admin';
}
