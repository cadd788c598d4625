import { inject } from '@angular/core';
import { Router, Routes } from '@angular/router';

import { authGuard, guestGuard } from './core/auth/auth-guard';
import { adminGuard } from './core/auth/role-guard';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/login/login-page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./core/shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        title: 'Dashboard',
        loadComponent: () =>
          import('./features/dashboard/dashboard-page').then((m) => m.DashboardPage),
      },
      {
        path: 'dialer',
        title: 'Dialer',
        loadComponent: () => import('./features/dialer/dialer-page').then((m) => m.DialerPage),
      },
      {
        path: 'history',
        title: 'Call history',
        loadComponent: () => import('./features/history/call-history').then((m) => m.CallHistory),
      },
      {
        // Deep link to one call: the history with its detail panel open.
        path: 'history/:id',
        redirectTo: ({ params }) =>
          inject(Router).createUrlTree(['/history'], { queryParams: { call: params['id'] } }),
      },
      {
        path: 'contacts',
        title: 'Contacts',
        loadComponent: () =>
          import('./features/contacts/contacts-page').then((m) => m.ContactsPage),
      },
      {
        path: 'billing',
        title: 'Billing',
        loadComponent: () => import('./features/billing/billing-page').then((m) => m.BillingPage),
      },
      {
        path: 'wallet',
        title: 'Wallet',
        loadComponent: () => import('./features/wallet/wallet-page').then((m) => m.WalletPage),
      },
      {
        path: 'admin',
        canActivate: [adminGuard],
        children: [
          { path: '', pathMatch: 'full', redirectTo: 'users' },
          {
            path: 'users',
            title: 'Users',
            loadComponent: () => import('./features/admin/users-page').then((m) => m.UsersPage),
          },
          {
            path: 'do-not-call',
            title: 'Do not call',
            loadComponent: () => import('./features/dnc/dnc-page').then((m) => m.DncPage),
          },
          {
            path: 'webhook-events',
            title: 'Webhook events',
            loadComponent: () =>
              import('./features/admin/webhook-events-page').then((m) => m.WebhookEventsPage),
          },
        ],
      },
    ],
  },
  { path: '**', redirectTo: 'dashboard' },
];
