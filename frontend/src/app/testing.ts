import { ChangeDetectionStrategy, Component } from '@angular/core';

import { User } from './core/auth/user';

/** Helpers shared by the specs. */
@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
export class BlankPage {}

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 'u-admin',
    email: 'admin@demo.test',
    name: 'Ada Admin',
    role: 'admin',
    active: true,
    createdAt: '2026-01-15T10:00:00.000Z',
    organization: { id: 'org-1', name: 'Demo Org' },
    ...overrides,
  };
}
