import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { Role, User } from '../../core/auth/user';

export interface NewUser {
  name: string;
  email: string;
  role: Role;
  password: string;
}

export type UserChanges = Partial<Pick<User, 'role' | 'active' | 'name'>>;

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

  update(id: string, changes: UserChanges): Observable<User> {
    return this.http.patch<User>(`/api/users/${encodeURIComponent(id)}`, changes);
  }
}
