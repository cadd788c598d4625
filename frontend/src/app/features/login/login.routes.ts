import { Routes } from '@angular/router';

import { guestGuard } from '../../core/auth/auth-guard';
import { pageTitle } from '../../core/page-title';
import { LoginPage } from './login-page';

/** The sign-in page, with its guard: loaded lazily, like everything after the bootstrap. */
export const LOGIN_ROUTES: Routes = [
  { path: '', title: pageTitle('Sign in'), canActivate: [guestGuard], component: LoginPage },
];

export default LOGIN_ROUTES;
