import { HttpErrorResponse } from '@angular/common/http';
import { Observable, Subscription, of } from 'rxjs';

import { AuthService } from './auth-service';
import { showUnreachableScreen } from './unreachable-screen';
import { SessionUser } from './user';

/**
 * Whether an error means the api could not be reached (network down, proxy or gateway errors,
 * overload) rather than an answer about the session: those are retried, never signed out.
 */
export function isUnreachable(error: unknown): error is HttpErrorResponse {
  return error instanceof HttpErrorResponse && (error.status === 0 || error.status >= 500);
}

/**
 * What the route guards make of a failed `GET /api/auth/me` (see AuthService.ensureUser): while
 * the api cannot be reached, try again behind the retry screen; an answer about the session (401,
 * 403…) is no user, and the guard sends the user to sign in.
 */
export function retryWhileUnreachable(auth: AuthService) {
  return (error: unknown): Observable<SessionUser | null> =>
    isUnreachable(error) ? retryUntilReachable(auth, error.status) : of(null);
}

/** Waits between attempts to reach the api at start-up: 1 s, 2 s, 4 s, 8 s, then 15 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * After the first `GET /api/auth/me` could not reach the api (answered `firstStatus`): tries
 * again with backoff until the api answers, keeping `auth.unreachable` up to date for the retry
 * screen. Null for an answer about the session (401, 403…): the guard then signs the user in
 * again. It loads with the guards, not in the initial bundle.
 */
function retryUntilReachable(
  auth: AuthService,
  firstStatus: number,
): Observable<SessionUser | null> {
  return new Observable<SessionUser | null>((subscriber) => {
    let attempt = 0;
    let removeScreen: (() => void) | undefined;
    let wait: ReturnType<typeof setTimeout> | undefined;
    let request: Subscription | undefined;
    const done = (user: SessionUser | null) => {
      subscriber.next(user);
      subscriber.complete();
    };
    const attemptNow = () => {
      clearTimeout(wait);
      auth.wakeUp = null;
      request = auth.loadMe().subscribe({ next: done, error: failed });
    };
    const schedule = (status: number) => {
      attempt += 1;
      const delay = retryDelayMs(attempt);
      auth.unreachable.set({ attempt, retryAt: Date.now() + delay, status });
      wait = setTimeout(attemptNow, delay);
      auth.wakeUp = attemptNow;
      removeScreen ??= showUnreachableScreen(auth);
    };
    const failed = (error: unknown) => {
      if (!isUnreachable(error) || !auth.isAuthenticated()) return done(null);
      schedule(error.status);
    };
    schedule(firstStatus);
    return () => {
      request?.unsubscribe();
      clearTimeout(wait);
      auth.wakeUp = null;
      auth.unreachable.set(null);
      removeScreen?.();
    };
  });
}
