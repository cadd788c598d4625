import { ApiView } from '../api/api-schema';

/** The user and organization shapes returned by the backend's auth and users endpoints. */
export type Role = ApiView<'UserView'>['role'];

export const ROLES: readonly Role[] = ['owner', 'admin', 'agent'];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  agent: 'Agent',
};

/** The signed-in user's organization: its currency and the time zone of its days. */
export type Organization = ApiView<'OrganizationSummary'>;

export type User = ApiView<'UserView'>;

export type LoginResponse = ApiView<'LoginResponse'>;

/** Owners and admins manage the organization (users, rates, top-ups); agents only place calls. */
export function isAdminRole(role: Role | null | undefined): boolean {
  return role === 'owner' || role === 'admin';
}
