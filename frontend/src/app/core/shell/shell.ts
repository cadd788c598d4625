import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  viewChild,
} from '@angular/core';
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

import { MoneyPipe } from '../../shared/money/money-pipe';
import { AuthService } from '../auth/auth-service';
import { ROLE_LABELS, isAdminRole } from '../auth/user';
import { useMaterialSymbols } from '../material/material-symbols';
import { OrganizationSettings } from '../organization/organization-settings';
import { RealtimeIndicator } from '../realtime/realtime-indicator';
import { RealtimeService } from '../realtime/realtime-service';
import { CallBar } from '../voice/call-bar';
import { VoiceSession } from '../voice/voice-session';
import { WalletStore } from '../wallet/wallet-store';
import { NAV_ITEMS, NavItem } from './nav-items';

interface NavSection {
  id: string;
  label: string | null;
  items: readonly NavItem[];
}

/**
 * The signed-in layout: toolbar with the live-updates indicator, balance and account menu, side
 * navigation, routed page. The realtime connection lives as long as the shell does.
 */
@Component({
  selector: 'sb-shell',
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
    MoneyPipe,
    RealtimeIndicator,
    CallBar,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly sidenav = viewChild.required(MatSidenav);
  private readonly walletStore = inject(WalletStore);
  private readonly voice = inject(VoiceSession);

  protected readonly user = this.auth.user;
  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly wallet = this.walletStore.wallet;

  /** Below 960px the navigation becomes a drawer over the content. */
  protected readonly isHandset = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  /**
   * The path of the current page, without query or fragment. Active links are marked from it rather
   * than with RouterLinkActive: that directive lives in a router file the bootstrap needs, so using
   * it here put it in the initial JavaScript.
   */
  private readonly currentPath = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => pathOf(this.router.url)),
    ),
    { initialValue: pathOf(this.router.url) },
  );

  /** Navigation groups; the administration group only for owners and admins. */
  protected readonly sections = computed<readonly NavSection[]>(() => {
    const sections: NavSection[] = [
      { id: 'main', label: null, items: NAV_ITEMS.filter((item) => !item.adminOnly) },
    ];
    if (isAdminRole(this.user()?.role)) {
      sections.push({
        id: 'admin',
        label: 'Administration',
        items: NAV_ITEMS.filter(
          (item) => item.adminOnly && (!item.ownerOnly || this.user()?.role === 'owner'),
        ),
      });
    }
    return sections;
  });

  protected readonly roleLabel = computed(() => {
    const role = this.user()?.role;
    return role ? ROLE_LABELS[role] : '';
  });

  protected readonly initials = computed(() =>
    initialsOf(this.user()?.name || this.user()?.email || ''),
  );

  constructor() {
    useMaterialSymbols();
    // Money and times in the organization's currency and zone, before any page renders.
    inject(OrganizationSettings).start();
    // One shell per session: load this organization's wallet, keep it live, forget it on the way
    // out; the socket opens and closes with the shell.
    const realtime = inject(RealtimeService);
    const destroyRef = inject(DestroyRef);
    this.walletStore.refresh();
    realtime.start();
    // The agent's call belongs to the app: after a reload, find a live call on the server again.
    this.voice.restore();
    destroyRef.onDestroy(realtime.on('wallet:updated', (update) => this.walletStore.apply(update)));
    destroyRef.onDestroy(realtime.on('resync', () => this.walletStore.refresh()));
    destroyRef.onDestroy(() => {
      this.voice.clear();
      realtime.stop();
      this.walletStore.clear();
    });
  }

  /** The skip link moves focus to the page itself (past the toolbar, call bar and navigation). */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main-content')?.focus();
  }

  /** The page of `item` or one below it is shown (`/admin/users` keeps "Users" marked). */
  protected isActive(item: NavItem): boolean {
    const path = this.currentPath();
    return path === item.path || path.startsWith(`${item.path}/`);
  }

  protected closeDrawerOnHandset(): void {
    if (this.isHandset()) void this.sidenav().close();
  }

  protected logout(): void {
    this.auth.logout();
    this.walletStore.clear();
    void this.router.navigateByUrl('/login');
  }
}

function pathOf(url: string): string {
  return url.split(/[?#]/, 1)[0];
}

export function initialsOf(name: string): string {
  const words = name
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters =
    words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}
