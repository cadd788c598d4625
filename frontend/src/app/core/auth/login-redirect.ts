import { Router, UrlTree } from '@angular/router';

import { SessionUser } from './user';

export const DEFAULT_AFTER_LOGIN = '/dashboard';
/** The platform operator's part of the console (features/platform). */
export const PLATFORM_HOME = '/platform';

/** Where a user lands after signing in: operators in /platform, members on the dashboard. */
export function homeOf(user: SessionUser | null | undefined): string {
  return user?.role === 'operator' ? PLATFORM_HOME : DEFAULT_AFTER_LOGIN;
}

/** `/login?returnUrl=…`, leaving out a return URL that would not help (root, login itself). */
export function loginUrlTree(router: Router, returnUrl: string): UrlTree {
  const keep = returnUrl && returnUrl !== '/' && !returnUrl.startsWith('/login');
  return router.createUrlTree(['/login'], keep ? { queryParams: { returnUrl } } : {});
}

/** Only follows app-internal paths, so a crafted link cannot send a user to another site. */
export function safeReturnUrl(
  value: string | null | undefined,
  fallback: string = DEFAULT_AFTER_LOGIN,
): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  if (value.startsWith('/login')) return fallback;
  return value;
}
