import { Router, UrlTree } from '@angular/router';

export const DEFAULT_AFTER_LOGIN = '/dashboard';

/** `/login?returnUrl=…`, leaving out a return URL that would not help (root, login itself). */
export function loginUrlTree(router: Router, returnUrl: string): UrlTree {
  const keep = returnUrl && returnUrl !== '/' && !returnUrl.startsWith('/login');
  return router.createUrlTree(['/login'], keep ? { queryParams: { returnUrl } } : {});
}

/** Only follows app-internal paths, so a crafted link cannot send a user to another site. */
export function safeReturnUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return DEFAULT_AFTER_LOGIN;
  }
  if (value.startsWith('/login')) return DEFAULT_AFTER_LOGIN;
  return value;
}
