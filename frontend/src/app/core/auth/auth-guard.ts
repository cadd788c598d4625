import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { map } from 'rxjs';

import { AuthService } from './auth-service';
import { PLATFORM_HOME, homeOf } from './home';
import { DEFAULT_AFTER_LOGIN, loginUrlTree } from './login-redirect';
import { retryWhileUnreachable } from './start-up-retry';

/**
 * Lets signed-in organization members through (loading the user once); sends others to the login
 * page, and a platform operator, who has no organization, to its own pages (/platform).
 */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth.ensureUser(retryWhileUnreachable(auth)).pipe(
    map((user) => {
      if (!user) return loginUrlTree(router, state.url);
      return user.role === 'operator' ? router.parseUrl(PLATFORM_HOME) : true;
    }),
  );
};

/** The platform's pages: operators only; organization members land on their dashboard. */
export const operatorGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth.ensureUser(retryWhileUnreachable(auth)).pipe(
    map((user) => {
      if (!user) return loginUrlTree(router, state.url);
      return user.role === 'operator' ? true : router.parseUrl(DEFAULT_AFTER_LOGIN);
    }),
  );
};

/** Keeps a signed-in user away from the login page. */
export const guestGuard: CanActivateFn = () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth
    .ensureUser(retryWhileUnreachable(auth))
    .pipe(map((user) => (user ? router.parseUrl(homeOf(user)) : true)));
};
