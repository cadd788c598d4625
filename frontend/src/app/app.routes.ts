import { Routes } from '@angular/router';

/*
 * Everything below the bootstrap loads lazily, guards included: the sign-in page with its guest
 * guard, the shell with its auth guard and its pages. None of it is in the JavaScript loaded before
 * the first route (frontend/scripts/bundle-size.mjs holds that to its budget). Each route file's
 * default export is its routes: `import('…')` alone is shorter in that JavaScript than
 * `.then((m) => m.ROUTES)`.
 */
export const routes: Routes = [
  {
    path: 'login',
    loadChildren: () => import('./features/login/login.routes'),
  },
  {
    // The shell's pages, and beside them the operator's part and the setup-link page (declared in
    // shell.routes to keep their routes out of the initial JavaScript).
    path: '',
    loadChildren: () => import('./core/shell/shell.routes'),
  },
  { path: '**', redirectTo: 'dashboard' },
];
