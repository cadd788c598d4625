import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router } from '@angular/router';
import { filter, finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { CallAgent, CallView, providerLabel } from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import { CallStatusChip } from '../../shared/call-status-chip/call-status-chip';
import { DurationPipe } from '../../shared/duration/duration-pipe';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { saveFile } from '../../shared/save-file/save-file';
import { UsersApi } from '../../core/users/users-api';
import { InitiateCallDialog } from '../../shared/initiate-call-dialog/initiate-call-dialog';
import { CallDetailPanel } from './call-detail-panel';
import {
  CallFilters,
  NO_FILTERS,
  PARAM,
  filtersFromParams,
  filtersToParams,
  filtersToQuery,
  hasFilters,
} from './call-filters';
import { CallHistoryFilters } from './call-history-filters';
import { CallHistoryStore } from './call-history-store';
import { IntlDatePipe } from '../../shared/format/intl-format';

/**
 * Call history: the filtered list (filters in the URL), keyset "Load more", CSV export, and the
 * detail panel of the call named by `?call=` (also reached as `/history/:id`).
 */
@Component({
  selector: 'sb-call-history',
  imports: [
    IntlDatePipe,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    CallStatusChip,
    CallHistoryFilters,
    DurationPipe,
    EmptyState,
    LoadState,
    LoadMore,
    MoneyPipe,
  ],
  providers: [CallHistoryStore],
  templateUrl: './call-history.html',
  styleUrl: './call-history.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallHistory {
  protected readonly store = inject(CallHistoryStore);
  private readonly api = inject(CallsApi);
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly providerLabel = providerLabel;
  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly organizationName = computed(() => this.auth.user()?.organization.name ?? '');
  protected readonly columns = computed(() => [
    'time',
    'status',
    'route',
    'number',
    'country',
    ...(this.isAdmin() ? ['agent'] : []),
    'duration',
    'cost',
    'actions',
  ]);
  protected readonly filtered = computed(() => hasFilters(this.store.filters()));
  /** The organization's people for the agent filter; null for agents (who see only their calls). */
  protected readonly agents = signal<readonly CallAgent[] | null>(null);
  protected readonly exporting = signal(false);

  private detailRef: MatDialogRef<CallDetailPanel> | null = null;
  private destroyed = false;

  constructor() {
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((params) => {
      this.store.setFilters(filtersFromParams(params));
      this.showCall(params.get(PARAM.call));
    });
    if (this.isAdmin()) {
      inject(UsersApi)
        .list()
        .subscribe({
          next: (users) =>
            this.agents.set(
              users
                .map((user) => ({ id: user.id, name: user.name || user.email }))
                .sort((a, b) => a.name.localeCompare(b.name)),
            ),
          error: () => this.agents.set([]), // the filter just has nobody to pick
        });
    }
    this.destroyRef.onDestroy(() => {
      this.destroyed = true;
      this.detailRef?.close();
    });
  }

  protected applyFilters(filters: CallFilters): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: filtersToParams(filters),
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected clearFilters(): void {
    this.applyFilters(NO_FILTERS);
  }

  protected openCall(call: CallView): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { [PARAM.call]: call.id },
      queryParamsHandling: 'merge',
    });
  }

  protected openInitiateCall(): void {
    this.dialog
      .open<InitiateCallDialog, void, CallView>(InitiateCallDialog, {
        autoFocus: 'first-tabbable',
        width: '520px',
      })
      .afterClosed()
      .pipe(filter((call): call is CallView => !!call))
      .subscribe((call) => {
        this.store.upsert(call);
        this.openCall(call);
      });
  }

  protected exportCsv(): void {
    if (this.exporting()) return;
    this.exporting.set(true);
    this.api
      .exportCsv(filtersToQuery(this.store.filters()))
      .pipe(finalize(() => this.exporting.set(false)))
      .subscribe({
        next: ({ blob, filename }) => saveFile(this.document, blob, filename),
        error: (err: unknown) =>
          this.snackBar.open(ApiError.message(err, 'The export failed.'), 'Dismiss', {
            duration: 8000,
            panelClass: 'sb-snack-error',
          }),
      });
  }

  /** Opens or closes the detail panel to match the URL. */
  private showCall(id: string | null): void {
    this.store.select(id);
    if (!id) {
      this.detailRef?.close();
      return;
    }
    if (this.detailRef) return;
    const ref = this.dialog.open(CallDetailPanel, {
      injector: this.injector, // the panel reads this page's CallHistoryStore
      panelClass: 'sb-side-sheet',
      position: { top: '0', right: '0' },
      width: '600px',
      maxWidth: '100vw',
      height: '100%',
      maxHeight: '100%',
      autoFocus: 'dialog',
      restoreFocus: true,
    });
    this.detailRef = ref;
    ref.afterClosed().subscribe(() => this.returnFocus(id));
    ref.beforeClosed().subscribe(() => {
      if (this.detailRef === ref) this.detailRef = null;
      // Closed from the panel (Escape, backdrop, close button): take the call out of the URL.
      if (!this.destroyed && this.route.snapshot.queryParamMap.has(PARAM.call)) {
        void this.router.navigate([], {
          relativeTo: this.route,
          queryParams: { [PARAM.call]: null },
          queryParamsHandling: 'merge',
        });
      }
    });
  }

  /**
   * After the panel closes, focus goes back to what opened it: the row's details button (a click
   * on the row itself leaves nothing focused, and the dialog would restore focus to <body>).
   */
  private returnFocus(id: string): void {
    setTimeout(() => {
      const active = this.document.activeElement;
      if (active && active !== this.document.body) return;
      const row = [...this.document.querySelectorAll('[data-testid="call-row"]')].find(
        (r) => r.getAttribute('data-call-id') === id,
      );
      row?.querySelector<HTMLElement>('[data-testid="call-open"]')?.focus();
    });
  }
}
