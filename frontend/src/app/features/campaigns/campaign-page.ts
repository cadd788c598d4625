import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { ChartConfiguration } from 'chart.js';
import { Subject, filter, map } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { ChartCanvas } from '../../shared/chart/chart-canvas';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import { saveFile } from '../../shared/save-file/save-file';
import {
  OUTCOME_SERIES,
  audienceText,
  contactStateLabel,
  skipReasonLabel,
  bucketLabel,
  pauseReasonText,
  percentText,
  progressPercent,
} from './campaign-format';
import { CampaignStatusChip } from './campaign-status-chip';
import {
  Campaign,
  CampaignAction,
  CampaignContact,
  CampaignStats,
  CampaignsApi,
} from './campaigns-api';
import { CALL_STATUS_LABELS, CallStatus } from '../../core/calls/call';

/** Live pushes refresh the stats and the contacts at most this often. */
export const LIVE_REFRESH_MS = 2000;
const CONTACTS_PAGE = 50;

/** One campaign: its controls, live progress, outcomes over time and each contact's result. */
@Component({
  selector: 'sb-campaign-page',
  imports: [
    IntlDatePipe,
    MoneyPipe,
    PhonePipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    ChartCanvas,
    EmptyState,
    LoadState,
    LoadMore,
    CampaignStatusChip,
  ],
  templateUrl: './campaign-page.html',
  styleUrl: './campaign-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignPage {
  private readonly api = inject(CampaignsApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly document = inject(DOCUMENT);

  /** The route's `:id`. */
  protected readonly id = toSignal(
    inject(ActivatedRoute).paramMap.pipe(map((params) => params.get('id') ?? '')),
    { initialValue: '' },
  );

  protected readonly campaign = signal<Campaign | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly stats = signal<CampaignStats | null>(null);
  protected readonly acting = signal<CampaignAction | null>(null);
  protected readonly exporting = signal(false);
  protected readonly stateFilter = signal('');

  protected readonly contacts = pagedList<CampaignContact>({
    fetch: (page) =>
      this.api.contacts(this.id(), { ...page, state: this.stateFilter() || undefined }),
    pageSize: CONTACTS_PAGE,
    errorMessage: 'Could not load the contacts of this campaign.',
    moreErrorMessage: 'Could not load more contacts.',
  });

  protected readonly columns = ['contact', 'result', 'attempts', 'lastCall'];
  protected readonly stateLabel = contactStateLabel;
  protected readonly skipLabel = skipReasonLabel;
  protected readonly audienceText = audienceText;
  protected readonly percentText = percentText;

  protected readonly percent = computed(() => {
    const c = this.campaign();
    return c ? progressPercent(c.progress) : 0;
  });
  protected readonly pauseText = computed(() => {
    const c = this.campaign();
    return c ? pauseReasonText(c) : null;
  });
  protected readonly canStart = computed(() => this.campaign()?.status === 'draft');
  protected readonly canPause = computed(() => this.campaign()?.status === 'running');
  protected readonly canResume = computed(() => this.campaign()?.status === 'paused');
  protected readonly canCancel = computed(() => {
    const status = this.campaign()?.status;
    return status === 'draft' || status === 'running' || status === 'paused';
  });
  protected readonly finished = computed(() => {
    const status = this.campaign()?.status;
    return status === 'completed' || status === 'cancelled';
  });

  protected readonly chartConfig = computed<ChartConfiguration | null>(() => {
    const stats = this.stats();
    if (!stats || stats.buckets.length === 0) return null;
    return {
      type: 'bar',
      data: {
        labels: stats.buckets.map((b) => bucketLabel(b.at, stats.bucketSeconds)),
        datasets: OUTCOME_SERIES.map((series) => ({
          label: series.label,
          data: stats.buckets.map((b) => b[series.key]),
          backgroundColor: series.color,
          stack: 'outcomes',
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    };
  });

  /** Pushes ask for a refresh; it happens at most every LIVE_REFRESH_MS (first and last kept). */
  private readonly refreshes = new Subject<void>();

  constructor() {
    const realtime = inject(RealtimeService);
    const offUpdated = realtime.on('campaign:updated', (campaign) => {
      if (campaign.id !== this.id()) return;
      this.campaign.set(campaign);
      this.refreshes.next();
    });
    const offResync = realtime.on('resync', () => this.load());
    inject(DestroyRef).onDestroy(() => {
      offUpdated();
      offResync();
    });
    // By hand rather than rxjs throttleTime (first and last kept): that operator would be pulled
    // into the console's initial JavaScript, which is at its budget.
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refreshNow = () => {
      timer = null;
      last = Date.now();
      this.refreshLive();
    };
    this.refreshes.pipe(takeUntilDestroyed()).subscribe(() => {
      if (timer) return;
      const wait = last + LIVE_REFRESH_MS - Date.now();
      if (wait <= 0) refreshNow();
      else timer = setTimeout(refreshNow, wait);
    });
    inject(DestroyRef).onDestroy(() => {
      if (timer) clearTimeout(timer);
    });
    toObservable(this.id)
      .pipe(
        filter((id) => !!id),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.load());
  }

  protected load(): void {
    this.loadError.set(null);
    this.api.get(this.id()).subscribe({
      next: (campaign) => this.campaign.set(campaign),
      error: (err: unknown) =>
        this.loadError.set(ApiError.message(err, 'The campaign could not be loaded.')),
    });
    this.loadStats();
    this.contacts.load();
  }

  protected filterBy(state: string): void {
    this.stateFilter.set(state);
    this.contacts.load();
  }

  protected act(action: CampaignAction): void {
    if (action === 'cancel') {
      const data: ConfirmDialogData = {
        title: 'Cancel this campaign?',
        message:
          'No new calls are placed and contacts not called yet are skipped. Calls already live ' +
          'end normally. A cancelled campaign cannot be restarted.',
        confirmLabel: 'Cancel campaign',
        cancelLabel: 'Keep it',
        icon: 'cancel',
        tone: 'danger',
      };
      this.dialog
        .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
        .afterClosed()
        .pipe(filter((confirmed) => confirmed === true))
        .subscribe(() => this.send(action));
      return;
    }
    this.send(action);
  }

  protected exportCsv(): void {
    if (this.exporting()) return;
    this.exporting.set(true);
    this.api.contactsCsv(this.id()).subscribe({
      next: (file) => {
        this.exporting.set(false);
        saveFile(this.document, file.blob, file.filename);
      },
      error: (err: unknown) => {
        this.exporting.set(false);
        this.notify(ApiError.message(err, 'The outcomes could not be exported.'), true);
      },
    });
  }

  protected outcomeLabel(outcome: string | null): string {
    return outcome ? (CALL_STATUS_LABELS[outcome as CallStatus] ?? outcome) : '';
  }

  private send(action: CampaignAction): void {
    this.acting.set(action);
    this.api.act(this.id(), action).subscribe({
      next: (campaign) => {
        this.acting.set(null);
        this.campaign.set(campaign);
        this.refreshes.next();
      },
      error: (err: unknown) => {
        this.acting.set(null);
        this.notify(ApiError.message(err, `The campaign could not be ${PAST[action]}.`), true);
      },
    });
  }

  private refreshLive(): void {
    this.loadStats();
    // The table follows live while it shows its first page (rows loaded further stay as they are).
    if (
      !this.contacts.loadingMore() &&
      !this.contacts.loading() &&
      this.contacts.items().length <= CONTACTS_PAGE
    ) {
      this.contacts.load({ keepItems: true });
    }
  }

  private loadStats(): void {
    this.api
      .stats(this.id())
      .subscribe({ next: (stats) => this.stats.set(stats), error: () => undefined });
  }

  private notify(message: string, isError = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'sb-snack-error' : undefined,
    });
  }
}

const PAST: Record<CampaignAction, string> = {
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
};
