import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ApiSchema } from '../api/api-schema';
import { User } from '../auth/user';

export type NewUser = ApiSchema<'CreateUserDto'>;

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

  update(id: string, changes: UserChanges): Observable<User> {
    return this.http.patch<User>(`/api/users/${encodeURIComponent(id)}`, changes);
  }
}
