import { Routes } from '@angular/router';

import { operatorGuard } from '../../core/auth/auth-guard';
import { pageTitle } from '../../core/page-title';
import { PlatformShell } from './platform-shell';

/**
 * The platform operator's part of the console (/platform): its own shell and pages, loaded lazily.
 * Operators only: an organization member is sent to its dashboard, and the organization pages send
 * an operator here (authGuard).
 */
export const PLATFORM_ROUTES: Routes = [
  {
    path: '',
    canActivate: [operatorGuard],
    component: PlatformShell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'organizations' },
      {
        path: 'organizations',
        title: pageTitle('Organizations'),
        loadComponent: () => import('./organizations-page').then((m) => m.OrganizationsPage),
      },
      {
        path: 'organizations/:id',
        title: pageTitle('Organization'),
        loadComponent: () =>
          import('./organization-detail-page').then((m) => m.OrganizationDetailPage),
      },
      {
        path: 'price-plans',
        title: pageTitle('Price plans'),
        loadComponent: () => import('./price-plans-page').then((m) => m.PricePlansPage),
      },
      {
        path: 'price-plans/:id',
        title: pageTitle('Price plan'),
        loadComponent: () => import('./plan-rates-page').then((m) => m.PlanRatesPage),
      },
      {
        // The organizations' Audit page, in its operator view (every organization, a filter by
        // organization): one page for admins and operators, so the two never drift apart.
        path: 'audit',
        title: pageTitle('Audit log'),
        data: { platform: true },
        loadComponent: () => import('../admin/audit-page').then((m) => m.AuditPage),
      },
      { path: '**', redirectTo: 'organizations' },
    ],
  },
];

export default PLATFORM_ROUTES;
