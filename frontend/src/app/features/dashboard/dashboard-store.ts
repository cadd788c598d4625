import { dayOf, startOfDay } from '../../shared/days/days';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Observable, Subject, Subscription } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import {
  CALL_STATUSES,
  CallStatus,
  CallView,
  isOlderCall,
  isTerminalStatus,
} from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import { DashboardMetrics } from '../../core/dashboard/dashboard';
import { DashboardApi } from '../../core/dashboard/dashboard-api';
import { RealtimeService } from '../../core/realtime/realtime-service';

export const LIVE_STATUSES = [
  'initiated',
  'ringing',
  'in_progress',
] as const satisfies CallStatus[];
export const ENDED_STATUSES = CALL_STATUSES.filter(isTerminalStatus);
/** The live list asks for this many calls; past it the list says it shows only part of them. */
export const LIVE_LIMIT = 200;
export const RECENT_LIMIT = 6;
/** A server clock this far from ours is corrected for in running durations. */
const CLOCK_SKEW_THRESHOLD_MS = 2000;

export interface ActiveCounts {
  initiated: number;
  ringing: number;
  in_progress: number;
  total: number;
}

/** A call that left the live list (`first`), or a later update of it (its cost, usually). */
export interface EndedCall {
  call: CallView;
  first: boolean;
}

interface Part<T> {
  value: T;
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

function part<T>(value: T): Part<T> {
  return { value, loaded: false, loading: false, error: null };
}

/**
 * The dashboard's data: the metrics, the calls in progress and the calls ended today. Loaded from
 * the API once, then kept current by socket events only (no polling); a reconnection that missed
 * events loads everything again.
 */
@Injectable()
export class DashboardStore {
  private readonly dashboardApi = inject(DashboardApi);
  private readonly callsApi = inject(CallsApi);

  private readonly metricsState = signal(part<DashboardMetrics | null>(null));
  private readonly liveState = signal(part<readonly CallView[]>([]));
  private readonly recentState = signal(part<readonly CallView[]>([]));
  /** Server time minus ours, when they differ enough to show in a running duration. */
  private readonly clockOffset = signal(0);
  private readonly endedSubject = new Subject<EndedCall>();
  /** Calls pushed while the live list was loading: its answer may predate them. */
  private readonly pushedWhileLoading = new Map<string, CallView>();
  /** Calls seen ending, so that a late copy from before the end cannot bring one back. */
  private readonly endedIds = new Set<string>();
  private requests: Partial<Record<'metrics' | 'live' | 'recent', Subscription>> = {};

  readonly metrics = computed(() => this.metricsState().value);
  readonly metricsLoaded = computed(() => this.metricsState().loaded);
  readonly metricsError = computed(() => this.metricsState().error);
  readonly liveCalls = computed(() => this.liveState().value);
  readonly liveLoaded = computed(() => this.liveState().loaded);
  readonly liveError = computed(() => this.liveState().error);
  /** More calls are in progress than the list holds. */
  readonly liveTruncated = computed(() => this.liveState().value.length >= LIVE_LIMIT);
  readonly recentCalls = computed(() => this.recentState().value);
  readonly recentLoaded = computed(() => this.recentState().loaded);
  readonly serverClockOffsetMs = this.clockOffset.asReadonly();
  /** Calls as they end, for the "call ended" toast. */
  readonly ended: Observable<EndedCall> = this.endedSubject.asObservable();

  /**
   * Calls in progress by status: counted from the live list, which changes the moment an event
   * arrives, unless it is partial; the coalesced metrics otherwise.
   */
  readonly activeCounts = computed<ActiveCounts | null>(() => {
    const live = this.liveState();
    if (live.loaded && !this.liveTruncated()) {
      const counts: ActiveCounts = { initiated: 0, ringing: 0, in_progress: 0, total: 0 };
      for (const call of live.value) {
        if (
          call.status === 'initiated' ||
          call.status === 'ringing' ||
          call.status === 'in_progress'
        )
          counts[call.status]++;
        counts.total++;
      }
      return counts;
    }
    return this.metricsState().value?.activeCalls ?? null;
  });

  constructor() {
    const realtime = inject(RealtimeService);
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(realtime.on('call:created', (call) => this.upsert(call)));
    destroyRef.onDestroy(realtime.on('call:updated', (call) => this.upsert(call)));
    destroyRef.onDestroy(realtime.on('metrics:updated', (metrics) => this.applyMetrics(metrics)));
    destroyRef.onDestroy(realtime.on('resync', () => this.load()));
    destroyRef.onDestroy(() => {
      for (const request of Object.values(this.requests)) request?.unsubscribe();
      this.endedSubject.complete();
    });
  }

  /** Loads (or reloads, keeping what is shown meanwhile) the metrics and both lists. */
  load(): void {
    this.loadMetrics();
    this.loadLive();
    this.loadRecent();
  }

  private loadMetrics(): void {
    this.requests.metrics?.unsubscribe();
    this.metricsState.update((state) => ({ ...state, loading: true, error: null }));
    this.requests.metrics = this.dashboardApi.metrics().subscribe({
      next: (metrics) => {
        this.applyMetrics(metrics);
        this.metricsState.update((state) => ({ ...state, loading: false }));
      },
      error: (err: unknown) =>
        this.metricsState.update((state) => ({
          ...state,
          loading: false,
          loaded: true,
          error: ApiError.message(err, 'Could not load the dashboard figures.'),
        })),
    });
  }

  private loadLive(): void {
    this.requests.live?.unsubscribe();
    this.pushedWhileLoading.clear();
    this.liveState.update((state) => ({ ...state, loading: true, error: null }));
    this.requests.live = this.callsApi
      .list({ status: LIVE_STATUSES }, { limit: LIVE_LIMIT })
      .subscribe({
        next: (page) => {
          let calls: readonly CallView[] = page.items;
          for (const pushed of this.pushedWhileLoading.values()) calls = withCall(calls, pushed);
          this.pushedWhileLoading.clear();
          this.liveState.set({ value: calls, loaded: true, loading: false, error: null });
        },
        error: (err: unknown) =>
          this.liveState.update((state) => ({
            ...state,
            loaded: true,
            loading: false,
            error: ApiError.message(err, 'Could not load the calls in progress.'),
          })),
      });
  }

  private loadRecent(): void {
    this.requests.recent?.unsubscribe();
    this.recentState.update((state) => ({ ...state, loading: true, error: null }));
    this.requests.recent = this.callsApi
      .list(
        { status: ENDED_STATUSES, from: startOfOrganizationDay(new Date()).toISOString() },
        {
          limit: RECENT_LIMIT,
        },
      )
      .subscribe({
        next: (page) =>
          this.recentState.set({ value: page.items, loaded: true, loading: false, error: null }),
        error: (err: unknown) =>
          this.recentState.update((state) => ({
            ...state,
            loaded: true,
            loading: false,
            error: ApiError.message(err, 'Could not load the calls ended today.'),
          })),
      });
  }

  /** A newer set of figures replaces the shown one (a push can overtake the first answer). */
  private applyMetrics(metrics: DashboardMetrics): void {
    const generated = Date.parse(metrics.generatedAt);
    const shown = this.metricsState().value;
    if (shown && Date.parse(shown.generatedAt) > generated) return;
    const offset = generated - Date.now();
    this.clockOffset.set(Math.abs(offset) >= CLOCK_SKEW_THRESHOLD_MS ? offset : 0);
    this.metricsState.update((state) => ({ ...state, value: metrics, loaded: true, error: null }));
  }

  /** Takes a new or changed call (pushed, or returned by the API). */
  upsert(call: CallView): void {
    const terminal = isTerminalStatus(call.status);
    if (terminal) rememberEnded(this.endedIds, call.id);
    else if (this.endedIds.has(call.id)) return;
    const live = this.liveState();
    if (live.loading) this.pushedWhileLoading.set(call.id, call);
    const wasLive = live.value.some((c) => c.id === call.id);
    if (live.loaded) this.liveState.set({ ...live, value: withCall(live.value, call) });
    if (!terminal) return;

    const recent = this.recentState().value;
    const known = recent.find((c) => c.id === call.id);
    if (known && isOlderCall(call, known)) return;
    if (
      !known &&
      !wasLive &&
      Date.parse(call.createdAt) < startOfOrganizationDay(new Date()).getTime()
    ) {
      return; // an old call settled late (reconciliation): not one of today's
    }
    const others = recent.filter((c) => c.id !== call.id);
    const value = [call, ...others]
      .sort((x, y) => Date.parse(y.endedAt ?? y.createdAt) - Date.parse(x.endedAt ?? x.createdAt))
      .slice(0, RECENT_LIMIT);
    this.recentState.update((state) => ({ ...state, value }));
    if (wasLive || known) this.endedSubject.next({ call, first: wasLive });
  }
}

/**
 * The calls in progress (newest first) after `call` changed: an ended call leaves, a live one is
 * replaced where it is (unless this is an older copy) or added in date order.
 */
export function withCall(calls: readonly CallView[], call: CallView): readonly CallView[] {
  const index = calls.findIndex((c) => c.id === call.id);
  if (isTerminalStatus(call.status)) {
    return index === -1 ? calls : calls.filter((c) => c.id !== call.id);
  }
  if (index !== -1) {
    return isOlderCall(call, calls[index]) ? calls : calls.map((c, i) => (i === index ? call : c));
  }
  const created = Date.parse(call.createdAt);
  const at = calls.findIndex((c) => Date.parse(c.createdAt) <= created);
  return at === -1 ? [...calls, call] : [...calls.slice(0, at), call, ...calls.slice(at)];
}

const ENDED_IDS_KEPT = 1000;

function rememberEnded(ids: Set<string>, id: string): void {
  ids.delete(id);
  ids.add(id);
  // A Set iterates in insertion order: the first is the oldest.
  if (ids.size > ENDED_IDS_KEPT) ids.delete(ids.values().next().value as string);
}

/**
 * Seconds a live call has lasted at `nowMs`: talk time since it was answered, or the time since it
 * was placed while it is still connecting.
 */
export function liveSeconds(call: CallView, nowMs: number): number {
  const since = call.status === 'in_progress' && call.answeredAt ? call.answeredAt : call.createdAt;
  return Math.max(0, Math.floor((nowMs - Date.parse(since)) / 1000));
}

/** Midnight of the organization's day that `date` falls on: "today" as the metrics count it. */
export function startOfOrganizationDay(date: Date): Date {
  return startOfDay(dayOf(date));
}
