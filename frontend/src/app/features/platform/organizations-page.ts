import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { map } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { CreateOrganizationDialog, CreateOrganizationResult } from './create-organization-dialog';
import { OrganizationState, PlatformApi, PlatformOrganization } from './platform-api';

export const STATE_LABELS: Readonly<Record<OrganizationState, string>> = {
  active: 'Active',
  suspended: 'Suspended',
};

function parseState(value: string | null): OrganizationState | null {
  return value === 'active' || value === 'suspended' ? value : null;
}

/**
 * Platform → Organizations: every organization with its state, plan, users and wallet (balance,
 * held, available, operator credits, paid top-ups, last top-up); creates one with its first owner.
 * The state filter lives in the URL (`?state=suspended`).
 */
@Component({
  selector: 'sb-organizations-page',
  imports: [
    RouterLink,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTooltipModule,
    EmptyState,
    LoadState,
    MoneyPipe,
    IntlDatePipe,
  ],
  templateUrl: './organizations-page.html',
  styleUrl: './organizations-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationsPage {
  private readonly api = inject(PlatformApi);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly columns = [
    'name',
    'plan',
    'users',
    'balance',
    'held',
    'available',
    'credits',
    'topUps',
    'lastTopUp',
  ];
  protected readonly stateLabels = STATE_LABELS;

  /** Phones get cards instead of the wide table. */
  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 759.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  protected readonly state = signal<OrganizationState | null>(
    parseState(this.route.snapshot.queryParamMap.get('state')),
  );
  protected readonly search = signal('');
  protected readonly organizations = signal<PlatformOrganization[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  /** The list narrowed by the name typed (the api lists every organization at once). */
  protected readonly shown = computed(() => {
    const q = this.search().trim().toLowerCase();
    const all = this.organizations();
    return q ? all.filter((org) => org.name.toLowerCase().includes(q)) : all;
  });
  protected readonly suspendedCount = computed(
    () => this.organizations().filter((org) => org.suspendedAt !== null).length,
  );

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .organizations(this.state())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ items }) => {
          this.organizations.set(items);
          this.loading.set(false);
        },
        error: (err: unknown) => {
          this.error.set(ApiError.message(err, 'Could not load the organizations.'));
          this.loading.set(false);
        },
      });
  }

  protected setState(state: OrganizationState | null): void {
    this.state.set(state);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { state },
      replaceUrl: true,
    });
    this.load();
  }

  protected create(): void {
    this.dialog
      .open<CreateOrganizationDialog, void, CreateOrganizationResult>(CreateOrganizationDialog, {
        width: '560px',
        maxWidth: 'calc(100vw - 32px)',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((result) => {
        if (!result) return;
        if (result.open)
          void this.router.navigate(['/platform/organizations', result.organization.id]);
        else this.load();
      });
  }
}
