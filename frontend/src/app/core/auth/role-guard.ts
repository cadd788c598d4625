import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { map } from 'rxjs';

import { AuthService } from './auth-service';
import { homeOf } from './home';
import { loginUrlTree } from './login-redirect';
import { retryWhileUnreachable } from './start-up-retry';
import { Role } from './user';

/** Allows the route only to users with one of `roles`; others land on the dashboard. */
export function roleGuard(...roles: Role[]): CanActivateFn {
  return (_route, state) => {
    const auth = inject(AuthService);
    const router = inject(Router);
    return auth.ensureUser(retryWhileUnreachable(auth)).pipe(
      map((user) => {
        if (!user) return loginUrlTree(router, state.url);
        return user.role !== 'operator' && roles.includes(user.role)
          ? true
          : router.parseUrl(homeOf(user));
      }),
    );
  };
}

/** Organization management pages: owners and admins. */
export const adminGuard: CanActivateFn = roleGuard('owner', 'admin');
