import { Routes } from '@angular/router';

/*
 * Everything below the bootstrap loads lazily, guards included: the sign-in page with its guest
 * guard, the shell with its auth guard and its pages. None of it is in the JavaScript loaded before
 * the first route (frontend/scripts/bundle-size.mjs holds that to its budget).
 */
export const routes: Routes = [
  {
    path: 'login',
    loadChildren: () => import('./features/login/login.routes').then((m) => m.LOGIN_ROUTES),
  },
  {
    path: 'setup/:token',
    loadChildren: () => import('./features/setup/setup.routes').then((m) => m.SETUP_ROUTES),
  },
  {
    path: '',
    loadChildren: () => import('./core/shell/shell.routes').then((m) => m.SHELL_ROUTES),
  },
  { path: '**', redirectTo: 'dashboard' },
];
