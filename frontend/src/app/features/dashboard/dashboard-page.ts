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
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar, MatSnackBarRef, TextOnlySnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { filter, interval, map } from 'rxjs';

import { hourIn } from '../../shared/days/days';
import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { CallsApi } from '../../core/calls/calls-api';
import { CALL_STATUS_LABELS, CallView, providerLabel } from '../../core/calls/call';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { WalletStore } from '../../core/wallet/wallet-store';
import { CallStatusChip } from '../../shared/call-status-chip/call-status-chip';
import { ChartCanvas } from '../../shared/chart/chart-canvas';
import { DurationPipe, formatDuration } from '../../shared/duration/duration-pipe';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { formatMoney } from '../../shared/money/money';
import { InitiateCallDialog } from '../../shared/initiate-call-dialog/initiate-call-dialog';
import { callsPerHourChartConfig } from './dashboard-chart';
import { DashboardStore, EndedCall, liveSeconds } from './dashboard-store';
import { IntlNumberPipe, IntlPercentPipe } from '../../shared/format/intl-format';

/** How long the "call ended" toast stays. */
export const ENDED_TOAST_MS = 6000;

/**
 * The live overview: today's figures, calls per hour, the calls in progress with running
 * durations, and the calls that ended today. Loaded once, then moved by socket events only.
 */
@Component({
  selector: 'sb-dashboard-page',
  imports: [
    IntlNumberPipe,
    IntlPercentPipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    CallStatusChip,
    ChartCanvas,
    DurationPipe,
    EmptyState,
    MoneyPipe,
  ],
  providers: [DashboardStore],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  protected readonly store = inject(DashboardStore);
  private readonly auth = inject(AuthService);
  private readonly walletStore = inject(WalletStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);

  protected readonly providerLabel = providerLabel;
  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly organizationName = computed(() => this.auth.user()?.organization.name ?? '');
  protected readonly wallet = this.walletStore.wallet;
  protected readonly realtimeStatus = inject(RealtimeService).status;
  protected readonly paused = computed(() => this.realtimeStatus() === 'offline');

  /** One ticker for every running duration on the page. */
  protected readonly now = toSignal(interval(1000).pipe(map(() => Date.now())), {
    initialValue: Date.now(),
  });

  protected readonly metrics = this.store.metrics;
  protected readonly active = this.store.activeCounts;
  /**
   * The current hour of the organization's day: changes once an hour, although the ticker that
   * feeds it beats each second.
   */
  private readonly chartHour = computed(() =>
    hourIn(new Date(this.now() + this.store.serverClockOffsetMs())),
  );
  /** The organization's time zone, named beside "today". */
  protected readonly zoneName = computed(() => this.metrics()?.timeZone ?? 'UTC');
  protected readonly chartConfig = computed(() => {
    const metrics = this.metrics();
    return metrics ? callsPerHourChartConfig(metrics.callsPerHour, this.chartHour()) : null;
  });

  private readonly callsApi = inject(CallsApi);
  /** Live calls whose hang-up request is under way (their end comes by push). */
  protected readonly endingIds = signal<ReadonlySet<string>>(new Set());
  /** Why a call cannot be ended from here, as the server said (409), by call id. */
  protected readonly hangupBlocked = signal<Readonly<Record<string, string>>>({});

  private toast: { callId: string; message: string; ref: MatSnackBarRef<TextOnlySnackBar> } | null =
    null;

  constructor() {
    this.store.load();
    this.walletStore.ensureLoaded();
    this.store.ended.pipe(takeUntilDestroyed()).subscribe((ended) => this.showEnded(ended));
    inject(DestroyRef).onDestroy(() => this.toast?.ref.dismiss());
  }

  /** Running duration of a live call, as `m:ss`. */
  protected elapsed(call: CallView): string {
    return formatDuration(liveSeconds(call, this.now() + this.store.serverClockOffsetMs()));
  }

  /** Ends a live call (admins: any of the organization's; agents: their own). */
  protected hangUp(call: CallView): void {
    if (this.endingIds().has(call.id)) return;
    this.endingIds.update((ids) => new Set(ids).add(call.id));
    this.callsApi.hangUp(call.id).subscribe({
      next: (view) => {
        this.store.upsert(view);
        this.snackBar.open(`Ending the call to ${call.to}…`, undefined, { duration: 3000 });
      },
      error: (err: unknown) => {
        this.endingIds.update((ids) => {
          const next = new Set(ids);
          next.delete(call.id);
          return next;
        });
        const message = ApiError.message(err, 'Could not end the call.');
        if (ApiError.status(err) === 409) {
          this.hangupBlocked.update((blocked) => ({ ...blocked, [call.id]: message }));
        }
        this.snackBar.open(message, 'OK', { duration: ENDED_TOAST_MS });
      },
    });
  }

  protected reload(): void {
    this.store.load();
    this.walletStore.refresh();
  }

  protected openInitiateCall(): void {
    this.dialog
      .open<InitiateCallDialog, void, CallView>(InitiateCallDialog, {
        autoFocus: 'first-tabbable',
        width: '520px',
      })
      .afterClosed()
      .pipe(filter((call): call is CallView => !!call))
      // The socket brings it too; this shows it even while live updates are paused.
      .subscribe((call) => this.store.upsert(call));
  }

  /** Toasts a call that left the live list; a later update (its cost) refreshes that toast. */
  private showEnded({ call, first }: EndedCall): void {
    const message = endedCallMessage(call);
    if (!first) {
      if (this.toast?.callId !== call.id || this.toast.message === message) return;
    }
    const ref = this.snackBar.open(message, 'Details', { duration: ENDED_TOAST_MS });
    const toast = { callId: call.id, message, ref };
    this.toast = toast;
    ref.onAction().subscribe(() => void this.router.navigate(['/history', call.id]));
    ref.afterDismissed().subscribe(() => {
      if (this.toast === toast) this.toast = null;
    });
  }
}

/** `Call to +14155550100 ended: Completed · 0:42 · $0.0065`, with what is known so far. */
export function endedCallMessage(call: CallView): string {
  const parts: string[] = [CALL_STATUS_LABELS[call.status] ?? call.status];
  const seconds =
    call.durationSeconds ??
    (call.answeredAt && call.endedAt
      ? Math.round((Date.parse(call.endedAt) - Date.parse(call.answeredAt)) / 1000)
      : null);
  if (seconds !== null && (seconds > 0 || call.status === 'completed')) {
    parts.push(formatDuration(seconds));
  }
  if (call.costMicros !== null) parts.push(formatMoney(call.costMicros, 'exact'));
  return `Call to ${call.to} ended: ${parts.join(' · ')}`;
}
