import { Role } from '../../core/auth/user';

/** What each role may do, shown where a role is picked. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  owner: 'Full control of the organization',
  admin: 'Manages users, rates and top-ups',
  agent: 'Places calls and sees call history',
};
