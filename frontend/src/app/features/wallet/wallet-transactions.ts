import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { provideDateAdapter } from '../../shared/format/date-adapter';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { debounceTime, filter, finalize, merge } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import {
  TRANSACTION_KINDS,
  TRANSACTION_KIND_LABELS,
  Transaction,
  TransactionKind,
  TransactionQuery,
} from '../../core/wallet/wallet';
import { CallsApi } from '../../core/calls/calls-api';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { WalletApi } from '../../core/wallet/wallet-api';
import { startOfDay, toDay } from '../../shared/days/days';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { saveFile } from '../../shared/save-file/save-file';
import { describeTransaction, kindTone } from './transaction-description';
import { IntlDatePipe } from '../../shared/format/intl-format';

export const TRANSACTIONS_PAGE_SIZE = 50;
/** Pushed balance changes are gathered this long before the ledger is read again. */
export const LIVE_RELOAD_DELAY_MS = 1000;
/** How long before its last transaction a call may have started (longest call plus ringing). */
const CALL_LOOKBACK_MS = 5 * 3600 * 1000;

/**
 * The wallet's ledger: every movement, newest first, filtered by kind and days, with CSV export.
 * Read again a moment after the balance moves, unless further pages are open (a reload would
 * close them under the reader's eyes).
 */
@Component({
  selector: 'sb-wallet-transactions',
  imports: [
    IntlDatePipe,
    RouterLink,
    ReactiveFormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatDatepickerModule,
    MatTooltipModule,
    EmptyState,
    LoadState,
    LoadMore,
    MoneyPipe,
  ],
  providers: [provideDateAdapter()],
  templateUrl: './wallet-transactions.html',
  styleUrl: './wallet-transactions.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WalletTransactions {
  private readonly api = inject(WalletApi);
  private readonly callsApi = inject(CallsApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly document = inject(DOCUMENT);

  readonly currency = input('USD');
  /** Agents see the money of their own calls only: no top-ups, no wallet-wide running balance. */
  readonly ownCallsOnly = input(false);

  protected readonly kinds = TRANSACTION_KINDS;
  protected readonly kindLabels = TRANSACTION_KIND_LABELS;
  protected readonly kindTone = kindTone;
  protected readonly describe = describeTransaction;
  protected readonly columns = computed(() => [
    'time',
    'kind',
    'description',
    'availableChange',
    'balanceChange',
    // The wallet's balance after each movement would jump between rows with the others hidden.
    ...(this.ownCallsOnly() ? [] : ['balanceAfter']),
  ]);

  protected readonly form = inject(NonNullableFormBuilder).group({
    kinds: [[] as TransactionKind[]],
    from: [null as Date | null],
    to: [null as Date | null],
  });

  protected readonly list = pagedList<Transaction>({
    fetch: (page) => this.api.transactions(this.query(), page),
    pageSize: TRANSACTIONS_PAGE_SIZE,
    errorMessage: 'Could not load the transactions.',
    moreErrorMessage: 'Could not load more transactions.',
    onPage: (items) => this.lookUpCalls(items),
  });
  protected readonly transactions = this.list.items;
  protected readonly exporting = signal(false);
  /** Dialed numbers of the calls the transactions belong to, as far as they are known. */
  protected readonly callNumbers = signal<ReadonlyMap<string, string>>(new Map());
  private readonly query = signal<TransactionQuery>({});
  protected readonly filtered = computed(() => {
    const query = this.query();
    return !!(query.kind?.length || query.from || query.to);
  });

  constructor() {
    const c = this.form.controls;
    // A date range applies once complete (or cleared), not after its first day.
    merge(c.kinds.valueChanges, c.to.valueChanges)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => this.applyFilters());
    const realtime = inject(RealtimeService);
    merge(realtime.observe('wallet:updated'), realtime.observe('resync'))
      .pipe(
        debounceTime(LIVE_RELOAD_DELAY_MS),
        filter(
          () => this.transactions().length <= TRANSACTIONS_PAGE_SIZE && !this.list.loadingMore(),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.refresh());
    this.refresh();
  }

  /** Reloads the first page with the current filters. */
  refresh(): void {
    this.list.load();
  }

  protected clearFilters(): void {
    this.form.setValue({ kinds: [], from: null, to: null }, { emitEvent: false });
    this.applyFilters();
  }

  protected clearRange(): void {
    this.form.patchValue({ from: null, to: null }, { emitEvent: false });
    this.applyFilters();
  }

  protected exportCsv(): void {
    if (this.exporting()) return;
    this.exporting.set(true);
    this.api
      .exportCsv(this.query())
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

  /** The kind's name; a kind a newer backend added is shown as it is. */
  protected kindLabel(kind: TransactionKind): string {
    return TRANSACTION_KIND_LABELS[kind] ?? kind;
  }

  protected isZero(micros: string): boolean {
    return /^-?0+$/.test(micros);
  }

  protected isNegative(micros: string): boolean {
    return micros.startsWith('-');
  }

  /**
   * Finds the numbers of the calls named by `items` with one history request over their time
   * span (transactions carry only the call id). Best effort: a call not found (more than a page of
   * calls in the span, or an agent's view) keeps a generic link.
   */
  private lookUpCalls(items: readonly Transaction[]): void {
    const known = this.callNumbers();
    const times = items
      .filter((t) => t.callId && !known.has(t.callId))
      .map((t) => Date.parse(t.createdAt));
    if (!times.length) return;
    const from = new Date(Math.min(...times) - CALL_LOOKBACK_MS).toISOString();
    const to = new Date(Math.max(...times) + 1000).toISOString();
    this.callsApi.list({ from, to }, { limit: 200 }).subscribe({
      next: (page) =>
        this.callNumbers.update((numbers) => {
          const next = new Map(numbers);
          for (const call of page.items) next.set(call.id, call.to);
          return next;
        }),
      error: () => undefined, // the rows keep their generic call links
    });
  }

  private applyFilters(): void {
    const { kinds, from, to } = this.form.getRawValue();
    const query: TransactionQuery = {};
    if (kinds.length) query.kind = TRANSACTION_KINDS.filter((k) => kinds.includes(k));
    // Calendar days of the user's time zone; the API's `to` is exclusive.
    if (from) query.from = startOfDay(toDay(from)).toISOString();
    if (to) query.to = startOfDay(toDay(to), 1).toISOString();
    this.query.set(query);
    this.refresh();
  }
}
