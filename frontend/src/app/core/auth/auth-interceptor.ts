import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { AuthService } from './auth-service';
import { loginUrlTree } from './login-redirect';

const LOGIN_URL = '/api/auth/login';

/**
 * Sends the access token with every request to our own API (never to other hosts), and ends the
 * session when the server answers 401: the token expired or the user was deactivated.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);

  const token = auth.token();
  const outgoing =
    token && isApiRequest(req)
      ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } })
      : req;

  return next(outgoing).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && !isLoginRequest(req)) {
        auth.logout();
        const target = router.currentNavigation()?.extractedUrl ?? router.url;
        const returnUrl = typeof target === 'string' ? target : router.serializeUrl(target);
        if (!returnUrl.startsWith('/login')) {
          void router.navigateByUrl(loginUrlTree(router, returnUrl));
        }
      }
      return throwError(() => error);
    }),
  );
};

function isApiRequest(req: HttpRequest<unknown>): boolean {
  return /^\/api(\/|\?|$)/.test(req.url);
}

function isLoginRequest(req: HttpRequest<unknown>): boolean {
  return req.url === LOGIN_URL || req.url.startsWith(`${LOGIN_URL}?`);
}
