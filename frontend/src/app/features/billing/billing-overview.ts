import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { provideDateAdapter } from '../../shared/format/date-adapter';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, ParamMap, Router } from '@angular/router';
import { Subscription, debounceTime, filter, finalize, merge } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { BillingSummary, SummaryGroup } from '../../core/billing/billing';
import { BillingApi } from '../../core/billing/billing-api';
import { isTerminalStatus } from '../../core/calls/call';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { ChartCanvas } from '../../shared/chart/chart-canvas';
import { fromDay, toDay } from '../../shared/days/days';
import { DurationPipe } from '../../shared/duration/duration-pipe';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { saveFile } from '../../shared/save-file/save-file';
import { BillingBreakdown } from './billing-breakdown';
import { spendChartConfig } from './billing-chart';
import {
  BillingPeriod,
  DEFAULT_PERIOD,
  PERIOD_LABELS,
  PERIOD_PRESETS,
  PeriodPreset,
  periodDays,
  periodFromParams,
  periodRange,
  periodToParams,
  samePeriod,
} from './billing-period';
import { IntlNumberPipe, IntlPercentPipe } from '../../shared/format/intl-format';

/** Breakdowns offered under the chart; `agent` to owners and admins only. */
export const BREAKDOWNS: readonly { group: SummaryGroup; label: string; adminOnly?: boolean }[] = [
  { group: 'provider', label: 'Provider' },
  { group: 'country', label: 'Country' },
  { group: 'agent', label: 'Agent', adminOnly: true },
  { group: 'day', label: 'Day' },
];
export const BREAKDOWN_PARAM = 'by';
const DEFAULT_BREAKDOWN: SummaryGroup = 'provider';
/** Pushed changes are gathered this long before the summary is read again. */
export const LIVE_RELOAD_DELAY_MS = 1000;

interface Loadable {
  summary: BillingSummary | null;
  loading: boolean;
  error: string | null;
}

const IDLE: Loadable = { summary: null, loading: false, error: null };

/**
 * Billing → Spend: the period in the URL, its totals, spend and minutes per day, and breakdowns.
 * Read again, quietly, a moment after a call ends or the wallet moves.
 */
@Component({
  selector: 'sb-billing-overview',
  imports: [
    IntlNumberPipe,
    IntlPercentPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatInputModule,
    MatIconModule,
    MatProgressBarModule,
    ChartCanvas,
    DurationPipe,
    EmptyState,
    MoneyPipe,
    BillingBreakdown,
  ],
  providers: [provideDateAdapter()],
  templateUrl: './billing-overview.html',
  styleUrl: './billing-overview.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BillingOverview {
  private readonly api = inject(BillingApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly document = inject(DOCUMENT);

  protected readonly isAdmin = inject(AuthService).isAdmin;
  protected readonly presets = PERIOD_PRESETS;
  protected readonly periodLabels = PERIOD_LABELS;
  protected readonly breakdowns = computed(() =>
    BREAKDOWNS.filter((b) => !b.adminOnly || this.isAdmin()),
  );

  protected readonly period = signal<BillingPeriod>(DEFAULT_PERIOD);
  protected readonly groupBy = signal<SummaryGroup>(DEFAULT_BREAKDOWN);
  /** The instants asked for, fixed when loading (so "Today" moves on with a refresh). */
  private readonly range = signal(periodRange(DEFAULT_PERIOD, new Date()));

  protected readonly daily = signal<Loadable>(IDLE);
  private readonly grouped = signal<Loadable>(IDLE);
  protected readonly breakdown = computed(() =>
    this.groupBy() === 'day' ? this.daily() : this.grouped(),
  );
  protected readonly totals = computed(() => this.daily().summary?.totals ?? null);
  protected readonly currency = computed(() => this.daily().summary?.currency ?? 'USD');
  /** The organization's zone, whose days the chart's bars are. */
  protected readonly timeZone = computed(() => this.daily().summary?.timeZone ?? 'UTC');
  protected readonly chartConfig = computed(() => {
    const summary = this.daily().summary;
    return summary ? spendChartConfig(summary) : null;
  });
  protected readonly exporting = signal(false);

  protected readonly rangeForm = inject(NonNullableFormBuilder).group({
    from: [null as Date | null],
    to: [null as Date | null],
  });

  private dailyRequest?: Subscription;
  private groupedRequest?: Subscription;

  constructor() {
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((params) => {
      const period = periodFromParams(params);
      const groupBy = this.groupFromParams(params);
      const periodChanged = !samePeriod(period, this.period()) || !this.daily().summary;
      const groupChanged = groupBy !== this.groupBy();
      this.period.set(period);
      this.groupBy.set(groupBy);
      if (periodChanged) this.load();
      else if (groupChanged) this.loadGrouped();
    });
    const realtime = inject(RealtimeService);
    merge(
      realtime.observe('call:updated').pipe(filter((call) => isTerminalStatus(call.status))),
      realtime.observe('wallet:updated'),
      realtime.observe('resync'),
    )
      .pipe(debounceTime(LIVE_RELOAD_DELAY_MS), takeUntilDestroyed())
      .subscribe(() => this.load(true));
    this.rangeForm.controls.to.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => {
      const { from, to } = this.rangeForm.getRawValue();
      if (from && to) this.choose({ preset: 'custom', from: toDay(from), to: toDay(to) });
    });
  }

  protected choosePreset(preset: PeriodPreset): void {
    this.choose({ preset });
  }

  protected chooseBreakdown(group: SummaryGroup): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { [BREAKDOWN_PARAM]: group === DEFAULT_BREAKDOWN ? null : group },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  /**
   * Reloads everything, moving a relative period ("Today") to the current day; `quiet` (after a
   * push) keeps the figures on screen without a loading indicator until the new ones arrive.
   */
  protected load(quiet = false): void {
    this.range.set(periodRange(this.period(), new Date()));
    this.showRange();
    this.loadDaily(quiet);
    this.loadGrouped(quiet);
  }

  protected exportCsv(): void {
    if (this.exporting()) return;
    this.exporting.set(true);
    this.api
      .summaryCsv({ ...this.range(), groupBy: this.groupBy() })
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

  private choose(period: BillingPeriod): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: periodToParams(period),
      queryParamsHandling: 'merge',
    });
  }

  private groupFromParams(params: ParamMap): SummaryGroup {
    const group = params.get(BREAKDOWN_PARAM);
    return this.breakdowns().find((b) => b.group === group)?.group ?? DEFAULT_BREAKDOWN;
  }

  /** The date field shows the period's days, whichever way it was chosen. */
  private showRange(): void {
    const days = periodDays(this.period(), new Date());
    this.rangeForm.setValue(
      { from: fromDay(days.from), to: fromDay(days.to) },
      { emitEvent: false },
    );
  }

  private loadDaily(quiet = false): void {
    this.dailyRequest?.unsubscribe();
    if (!quiet) this.daily.update((state) => ({ ...state, loading: true, error: null }));
    this.dailyRequest = this.api.summary({ ...this.range(), groupBy: 'day' }).subscribe({
      next: (summary) => this.daily.set({ summary, loading: false, error: null }),
      error: (err: unknown) => {
        if (quiet && this.daily().summary) return; // keep the figures; the next change retries
        this.daily.set({
          summary: null,
          loading: false,
          error: ApiError.message(err, 'Could not load the billing summary.'),
        });
      },
    });
  }

  private loadGrouped(quiet = false): void {
    this.groupedRequest?.unsubscribe();
    const groupBy = this.groupBy();
    if (groupBy === 'day') {
      this.grouped.set(IDLE);
      return;
    }
    this.grouped.update((state) => ({
      summary: state.summary?.groupBy === groupBy ? state.summary : null,
      loading: !quiet || state.summary?.groupBy !== groupBy,
      error: null,
    }));
    this.groupedRequest = this.api.summary({ ...this.range(), groupBy }).subscribe({
      next: (summary) => this.grouped.set({ summary, loading: false, error: null }),
      error: (err: unknown) => {
        if (quiet && this.grouped().summary) return;
        this.grouped.set({
          summary: null,
          loading: false,
          error: ApiError.message(err, 'Could not load the breakdown.'),
        });
      },
    });
  }
}
