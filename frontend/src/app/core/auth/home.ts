import { Operator, SessionUser } from './user';

/** The platform operator's part of the console (features/platform). */
export const PLATFORM_HOME = '/platform';

/**
 * Where a user lands after signing in: operators in /platform, members on the dashboard. (Not in
 * login-redirect.ts, which the initial JavaScript carries for the interceptor.)
 */
export function homeOf(user: SessionUser | null | undefined): string {
  return user?.role === 'operator' ? PLATFORM_HOME : '/dashboard';
}

/** (Here rather than in user.ts, which the initial JavaScript carries.) */
export function isOperator(user: SessionUser | null | undefined): user is Operator {
  return user?.role === 'operator';
}
