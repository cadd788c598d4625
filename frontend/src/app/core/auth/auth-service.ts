import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Observable, catchError, finalize, map, of, shareReplay, tap } from 'rxjs';

import { LoginResponse, SessionUser, User, isAdminRole } from './user';

export const TOKEN_STORAGE_KEY = 'switchboard.accessToken';

/** The api could not be reached while starting: what the retry screen shows. */
export interface Unreachable {
  /** Failed attempts so far. */
  attempt: number;
  /** When the next attempt starts (epoch ms). */
  retryAt: number;
  /** The last answer's HTTP status (0: no answer at all). */
  status: number;
}

/** The session: the access token (kept in localStorage across reloads) and the signed-in user. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);

  private readonly tokenState = signal<string | null>(readStoredToken());
  private readonly userState = signal<SessionUser | null>(null);
  private pendingMe: Observable<SessionUser | null> | null = null;
  /** Starts the next attempt at once (set by start-up-retry while it waits). */
  wakeUp: (() => void) | null = null;
  /** Set while the start-up request for the user keeps failing to reach the api (start-up-retry). */
  readonly unreachable = signal<Unreachable | null>(null);

  readonly token = this.tokenState.asReadonly();
  /** Whoever is signed in, operator included. */
  readonly sessionUser = this.userState.asReadonly();
  /** The signed-in organization member (null for a platform operator, whose pages use sessionUser). */
  readonly user = computed<User | null>(() => {
    const user = this.userState();
    return user?.role === 'operator' ? null : user;
  });
  readonly isAuthenticated = computed(() => this.tokenState() !== null);
  readonly isAdmin = computed(() => isAdminRole(this.user()?.role));

  login(email: string, password: string): Observable<SessionUser> {
    return this.http.post<LoginResponse>('/api/auth/login', { email, password }).pipe(
      tap((response) => this.startSession(response)),
      map(({ user }) => user),
    );
  }

  /** Keeps a session the api just opened (sign-in, setup link, password change: a fresh token). */
  startSession({ accessToken, user }: LoginResponse): void {
    storeToken(accessToken);
    this.tokenState.set(accessToken);
    this.userState.set(user);
  }

  logout(): void {
    storeToken(null);
    this.pendingMe = null;
    this.tokenState.set(null);
    this.userState.set(null);
  }

  /** Fetches the signed-in user from the server and keeps it. */
  loadMe(): Observable<SessionUser> {
    return this.http.get<SessionUser>('/api/auth/me').pipe(tap((user) => this.userState.set(user)));
  }

  /**
   * The signed-in user, fetched at most once at a time; null when there is no token or the
   * server refused the session (a 401 also ends it, see authInterceptor). `whenFailed` decides
   * what a failed request becomes: the route guards keep trying while the api cannot be reached
   * (core/auth/start-up-retry, which loads with them rather than in the initial bundle).
   */
  ensureUser(
    whenFailed: (error: unknown) => Observable<SessionUser | null> = () => of(null),
  ): Observable<SessionUser | null> {
    if (this.tokenState() === null) return of(null);
    const user = this.userState();
    if (user) return of(user);
    this.pendingMe ??= this.loadMe().pipe(
      catchError(whenFailed),
      finalize(() => (this.pendingMe = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.pendingMe;
  }

  /** Skips the wait before the next attempt to reach the api. */
  retryNow(): void {
    this.wakeUp?.();
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
