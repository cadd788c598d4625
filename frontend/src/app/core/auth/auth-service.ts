import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Observable, catchError, finalize, map, of, shareReplay, tap } from 'rxjs';

import { LoginResponse, User, isAdminRole } from './user';

export const TOKEN_STORAGE_KEY = 'switchboard.accessToken';

/** The session: the access token (kept in localStorage across reloads) and the signed-in user. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);

  private readonly tokenState = signal<string | null>(readStoredToken());
  private readonly userState = signal<User | null>(null);
  private pendingMe: Observable<User | null> | null = null;

  readonly token = this.tokenState.asReadonly();
  readonly user = this.userState.asReadonly();
  readonly isAuthenticated = computed(() => this.tokenState() !== null);
  readonly isAdmin = computed(() => isAdminRole(this.userState()?.role));

  login(email: string, password: string): Observable<User> {
    return this.http.post<LoginResponse>('/api/auth/login', { email, password }).pipe(
      tap(({ accessToken, user }) => {
        storeToken(accessToken);
        this.tokenState.set(accessToken);
        this.userState.set(user);
      }),
      map(({ user }) => user),
    );
  }

  logout(): void {
    storeToken(null);
    this.pendingMe = null;
    this.tokenState.set(null);
    this.userState.set(null);
  }

  /** Fetches the signed-in user from the server and keeps it. */
  loadMe(): Observable<User> {
    return this.http.get<User>('/api/auth/me').pipe(tap((user) => this.userState.set(user)));
  }

  /**
   * The signed-in user, fetched at most once at a time; null when there is no token or the
   * server would not return the user (a 401 also ends the session, see authInterceptor).
   */
  ensureUser(): Observable<User | null> {
    if (this.tokenState() === null) return of(null);
    const user = this.userState();
    if (user) return of(user);
    this.pendingMe ??= this.loadMe().pipe(
      catchError(() => of(null)),
      finalize(() => (this.pendingMe = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.pendingMe;
  }
}

function readStoredToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null; // storage disabled (privacy mode): the session lasts until reload
  }
}

function storeToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(TOKEN_STORAGE_KEY);
    else localStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // storage disabled: keep the in-memory session only
  }
}
