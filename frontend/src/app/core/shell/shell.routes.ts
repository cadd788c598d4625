import { inject } from '@angular/core';
import { Router, Routes } from '@angular/router';

import { authGuard } from '../auth/auth-guard';
import { adminGuard, roleGuard } from '../auth/role-guard';
import { pageTitle } from '../page-title';
import { Shell } from './shell';

/** The signed-in part of the console: the shell and its pages (loaded lazily with the shell). */
export const SHELL_ROUTES: Routes = [
  {
    // The platform operator's part (its own shell, guard and pages: features/platform).
    path: 'platform',
    loadChildren: () => import('../../features/platform/platform.routes'),
  },
  {
    // The one-time setup link's page, outside the shell.
    path: 'setup/:token',
    loadChildren: () => import('../../features/setup/setup.routes'),
  },
  {
    path: '',
    canActivate: [authGuard],
    component: Shell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        title: pageTitle('Dashboard'),
        loadComponent: () =>
          import('../../features/dashboard/dashboard-page').then((m) => m.DashboardPage),
      },
      {
        path: 'dialer',
        title: pageTitle('Dialer'),
        loadComponent: () => import('../../features/dialer/dialer-page').then((m) => m.DialerPage),
      },
      {
        path: 'history',
        title: pageTitle('Call history'),
        loadComponent: () =>
          import('../../features/history/call-history').then((m) => m.CallHistory),
      },
      {
        // Deep link to one call: the history with its detail panel open.
        path: 'history/:id',
        redirectTo: ({ params }) =>
          inject(Router).createUrlTree(['/history'], { queryParams: { call: params['id'] } }),
      },
      {
        path: 'contacts',
        title: pageTitle('Contacts'),
        loadComponent: () =>
          import('../../features/contacts/contacts-page').then((m) => m.ContactsPage),
      },
      {
        path: 'campaigns',
        canActivate: [adminGuard],
        children: [
          {
            path: '',
            pathMatch: 'full',
            title: pageTitle('Campaigns'),
            loadComponent: () =>
              import('../../features/campaigns/campaigns-page').then((m) => m.CampaignsPage),
          },
          {
            path: 'new',
            title: pageTitle('New campaign'),
            loadComponent: () =>
              import('../../features/campaigns/campaign-create').then((m) => m.CampaignCreate),
          },
          {
            path: ':id',
            title: pageTitle('Campaign'),
            loadComponent: () =>
              import('../../features/campaigns/campaign-page').then((m) => m.CampaignPage),
          },
        ],
      },
      {
        path: 'billing',
        title: pageTitle('Billing'),
        loadComponent: () =>
          import('../../features/billing/billing-page').then((m) => m.BillingPage),
      },
      {
        path: 'wallet',
        title: pageTitle('Wallet'),
        loadComponent: () => import('../../features/wallet/wallet-page').then((m) => m.WalletPage),
      },
      {
        path: 'account/password',
        title: pageTitle('Change password'),
        loadComponent: () =>
          import('../../features/account/change-password-page').then((m) => m.ChangePasswordPage),
      },
      {
        path: 'admin',
        canActivate: [adminGuard],
        children: [
          { path: '', pathMatch: 'full', redirectTo: 'users' },
          {
            path: 'users',
            title: pageTitle('Users'),
            loadComponent: () => import('../../features/admin/users-page').then((m) => m.UsersPage),
          },
          {
            path: 'do-not-call',
            title: pageTitle('Do not call'),
            loadComponent: () => import('../../features/dnc/dnc-page').then((m) => m.DncPage),
          },
          {
            path: 'webhooks',
            title: pageTitle('Webhooks'),
            loadComponent: () =>
              import('../../features/webhooks/webhooks-page').then((m) => m.WebhooksPage),
          },
          {
            path: 'webhooks/:id/deliveries',
            title: pageTitle('Webhook deliveries'),
            loadComponent: () =>
              import('../../features/webhooks/deliveries-page').then((m) => m.DeliveriesPage),
          },
          {
            path: 'providers',
            title: pageTitle('Providers'),
            loadComponent: () =>
              import('../../features/providers/providers-page').then((m) => m.ProvidersPage),
          },
          {
            path: 'webhook-events',
            title: pageTitle('Webhook events'),
            loadComponent: () =>
              import('../../features/admin/webhook-events-page').then((m) => m.WebhookEventsPage),
          },
          {
            path: 'audit',
            title: pageTitle('Audit log'),
            loadComponent: () => import('../../features/admin/audit-page').then((m) => m.AuditPage),
          },
          {
            path: 'api-keys',
            title: pageTitle('API keys'),
            canActivate: [roleGuard('owner')],
            loadComponent: () =>
              import('../../features/admin/api-keys-page').then((m) => m.ApiKeysPage),
          },
        ],
      },
    ],
  },
];

export default SHELL_ROUTES;
