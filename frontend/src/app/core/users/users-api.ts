import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ApiSchema, ApiView } from '../api/api-schema';
import { User } from '../auth/user';

export type NewUser = ApiSchema<'CreateUserDto'>;

export type NewInvitation = ApiSchema<'InviteUserDto'>;

/** A one-time setup link, shown once: the admin sends it to the user. */
export type SetupLink = ApiView<'SetupLink'>;

export type Invitation = SetupLink & { user: User };

export type UserChanges = ApiSchema<'UpdateUserDto'>;

/** The organization's users (`/api/users`, owners and admins only). */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  list(): Observable<User[]> {
    return this.http.get<{ items: User[] }>('/api/users').pipe(map((page) => page.items));
  }

  create(user: NewUser): Observable<User> {
    return this.http.post<User>('/api/users', user);
  }

  /** Creates the user without a password, with their one-time setup link. */
  invite(invitation: NewInvitation): Observable<Invitation> {
    return this.http.post<Invitation>('/api/users/invitations', invitation);
  }

  /** A new setup link for a user who has not chosen a password yet (the earlier one stops working). */
  reissueSetupLink(id: string): Observable<SetupLink> {
    return this.http.post<SetupLink>(`/api/users/${encodeURIComponent(id)}/setup-link`, {});
  }

  update(id: string, changes: UserChanges): Observable<User> {
    return this.http.patch<User>(`/api/users/${encodeURIComponent(id)}`, changes);
  }
}
