import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { AuthService } from '../../core/auth/auth-service';
import { useMaterialSymbols } from '../../core/material/material-symbols';

export interface PlatformNavItem {
  id: string;
  label: string;
  icon: string;
  path: string;
}

export const PLATFORM_NAV: readonly PlatformNavItem[] = [
  {
    id: 'organizations',
    label: 'Organizations',
    icon: 'apartment',
    path: '/platform/organizations',
  },
  { id: 'price-plans', label: 'Price plans', icon: 'sell', path: '/platform/price-plans' },
  { id: 'audit', label: 'Audit log', icon: 'policy', path: '/platform/audit' },
];

/**
 * The platform operator's layout: its own toolbar (no organization, wallet or live calls: an
 * operator has none) and navigation over the routed platform page.
 */
@Component({
  selector: 'sb-platform-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatIconModule,
    MatButtonModule,
    MatMenuModule,
    MatDividerModule,
    MatTooltipModule,
  ],
  templateUrl: './platform-shell.html',
  styleUrls: ['../../core/shell/shell.scss', './platform-shell.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlatformShell {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly sidenav = viewChild.required(MatSidenav);

  protected readonly user = this.auth.sessionUser;
  protected readonly nav = PLATFORM_NAV;
  protected readonly initials = computed(() =>
    initials(this.user()?.name || this.user()?.email || ''),
  );

  protected readonly isHandset = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  private readonly currentPath = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => this.router.url.split(/[?#]/, 1)[0]),
    ),
    { initialValue: this.router.url.split(/[?#]/, 1)[0] },
  );

  constructor() {
    useMaterialSymbols();
  }

  protected isActive(item: PlatformNavItem): boolean {
    const path = this.currentPath();
    return path === item.path || path.startsWith(`${item.path}/`);
  }

  protected skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main-content')?.focus();
  }

  protected closeDrawerOnHandset(): void {
    if (this.isHandset()) void this.sidenav().close();
  }

  protected logout(): void {
    this.auth.logout();
    void this.router.navigateByUrl('/login');
  }
}

/** "Olga Operator" → "OO" (as the organization shell shows its users). */
function initials(name: string): string {
  const words = name
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters =
    words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}
