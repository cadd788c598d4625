import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import {
  Observable,
  Subject,
  catchError,
  finalize,
  map,
  of,
  race,
  retry,
  shareReplay,
  tap,
  throwError,
  timer,
} from 'rxjs';

import { LoginResponse, User, isAdminRole } from './user';

export const TOKEN_STORAGE_KEY = 'switchboard.accessToken';

/** Waits between attempts to reach the api at start-up: 1 s, 2 s, 4 s, 8 s, then 15 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Whether an error means the api could not be reached (network down, proxy or gateway errors,
 * overload) rather than an answer about the session: those are retried, never signed out.
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof HttpErrorResponse)) return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** The api could not be reached while starting: what the retry screen shows. */
export interface Unreachable {
  /** Failed attempts so far. */
  attempt: number;
  /** When the next attempt starts (epoch ms). */
  retryAt: number;
  /** What went wrong, in words. */
  reason: string;
}

/** The session: the access token (kept in localStorage across reloads) and the signed-in user. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);

  private readonly tokenState = signal<string | null>(readStoredToken());
  private readonly userState = signal<User | null>(null);
  private pendingMe: Observable<User | null> | null = null;
  private readonly retryNow$ = new Subject<void>();
  private readonly unreachableState = signal<Unreachable | null>(null);
  /** Set while the start-up request for the user keeps failing to reach the api. */
  readonly unreachable = this.unreachableState.asReadonly();

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
   * server refused the session (a 401 also ends it, see authInterceptor). When the api cannot be
   * reached (network error, 502/503/504…) it keeps trying with backoff, and `unreachable` says so:
   * the route waits, and the user stays signed in.
   */
  ensureUser(): Observable<User | null> {
    if (this.tokenState() === null) return of(null);
    const user = this.userState();
    if (user) return of(user);
    this.pendingMe ??= this.loadMe().pipe(
      retry({
        delay: (error: unknown, attempt: number) => {
          if (!isUnreachable(error) || this.tokenState() === null) {
            return throwError(() => error);
          }
          const wait = retryDelayMs(attempt);
          this.unreachableState.set({
            attempt,
            retryAt: Date.now() + wait,
            reason: describeUnreachable(error as HttpErrorResponse),
          });
          return race(timer(wait), this.retryNow$);
        },
      }),
      catchError(() => of(null)),
      finalize(() => {
        this.pendingMe = null;
        this.unreachableState.set(null);
      }),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.pendingMe;
  }

  /** Skips the wait before the next attempt to reach the api. */
  retryNow(): void {
    this.retryNow$.next();
  }
}

function describeUnreachable(error: HttpErrorResponse): string {
  if (error.status === 0) return 'No answer from the server (network error)';
  return `The server answered ${error.status}${error.statusText ? ` ${error.statusText}` : ''}`;
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
