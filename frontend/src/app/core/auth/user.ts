/** The user and organization shapes returned by the backend's auth and users endpoints. */
export type Role = 'owner' | 'admin' | 'agent';

export const ROLES: readonly Role[] = ['owner', 'admin', 'agent'];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  agent: 'Agent',
};

export interface Organization {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
  organization: Organization;
}

export interface LoginResponse {
  accessToken: string;
  user: User;
}

/** Owners and admins manage the organization (users, rates, top-ups); agents only place calls. */
export function isAdminRole(role: Role | null | undefined): boolean {
  return role === 'owner' || role === 'admin';
}
