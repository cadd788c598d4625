import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { map } from 'rxjs';

import { AuthService } from './auth-service';
import { DEFAULT_AFTER_LOGIN, loginUrlTree } from './login-redirect';
import { retryWhileUnreachable } from './start-up-retry';

/** Lets signed-in users through (loading the user once); sends others to the login page. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth
    .ensureUser(retryWhileUnreachable(auth))
    .pipe(map((user) => (user ? true : loginUrlTree(router, state.url))));
};

/** Keeps a signed-in user away from the login page. */
export const guestGuard: CanActivateFn = () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return auth
    .ensureUser(retryWhileUnreachable(auth))
    .pipe(map((user) => (user ? router.parseUrl(DEFAULT_AFTER_LOGIN) : true)));
};
