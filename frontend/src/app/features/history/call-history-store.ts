import { Injectable, computed, inject, signal } from '@angular/core';
import { Params } from '@angular/router';
import { Subscription } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { CallDetail, CallView } from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import {
  CallFilters,
  NO_FILTERS,
  filtersToParams,
  filtersToQuery,
  sameFilters,
} from './call-filters';

export const PAGE_SIZE = 50;

interface ListState {
  filters: CallFilters;
  calls: readonly CallView[];
  nextCursor: string | null;
  /** The first page is loading (first load, a filter change or a refresh). */
  loading: boolean;
  loadingMore: boolean;
  /** The first page could not be loaded. */
  error: string | null;
  /** A further page could not be loaded (the calls shown so far stay). */
  moreError: string | null;
  /** The first page has arrived at least once for the current filters. */
  loaded: boolean;
}

interface DetailState {
  id: string | null;
  call: CallDetail | null;
  loading: boolean;
  error: string | null;
}

/**
 * The call history's state, as signals: the filtered list with keyset pagination and the call
 * open in the detail panel. Everything that changes a call goes through `upsert`, so pushed
 * updates (socket `call:created`/`call:updated`) can feed the same state later.
 */
@Injectable()
export class CallHistoryStore {
  private readonly api = inject(CallsApi);

  private readonly list = signal<ListState>({
    filters: NO_FILTERS,
    calls: [],
    nextCursor: null,
    loading: false,
    loadingMore: false,
    error: null,
    moreError: null,
    loaded: false,
  });
  private readonly detailState = signal<DetailState>({
    id: null,
    call: null,
    loading: false,
    error: null,
  });
  private listRequest?: Subscription;
  private detailRequest?: Subscription;

  readonly filters = computed(() => this.list().filters);
  readonly calls = computed(() => this.list().calls);
  readonly nextCursor = computed(() => this.list().nextCursor);
  readonly hasMore = computed(() => this.list().nextCursor !== null);
  readonly loading = computed(() => this.list().loading);
  readonly loadingMore = computed(() => this.list().loadingMore);
  readonly error = computed(() => this.list().error);
  readonly moreError = computed(() => this.list().moreError);
  readonly loaded = computed(() => this.list().loaded);
  /** The filters as URL query parameters (unset ones null, to be removed by a merge). */
  readonly queryParams = computed<Params>(() => filtersToParams(this.list().filters));

  readonly selectedId = computed(() => this.detailState().id);
  readonly detail = computed(() => this.detailState().call);
  readonly detailLoading = computed(() => this.detailState().loading);
  readonly detailError = computed(() => this.detailState().error);
  /** The selected call's row, shown while its details load. */
  readonly selectedSummary = computed<CallView | null>(() => {
    const id = this.detailState().id;
    return id ? (this.list().calls.find((call) => call.id === id) ?? null) : null;
  });

  /** Applies filters (from the URL); loads the first page unless they are already shown. */
  setFilters(filters: CallFilters): void {
    const current = this.list();
    if (current.loaded && sameFilters(current.filters, filters)) return;
    this.list.update((state) => ({ ...state, filters }));
    this.loadFirstPage(true);
  }

  /** Reloads the first page with the current filters (dropping further pages) and the open call. */
  refresh(): void {
    this.loadFirstPage(false);
    const id = this.detailState().id;
    if (id) this.loadDetail(id);
  }

  /** Appends the next page. */
  loadMore(): void {
    const { nextCursor, loading, loadingMore, filters } = this.list();
    if (!nextCursor || loading || loadingMore) return;
    this.list.update((state) => ({ ...state, loadingMore: true, moreError: null }));
    this.listRequest = this.api
      .list(filtersToQuery(filters), { cursor: nextCursor, limit: PAGE_SIZE })
      .subscribe({
        next: (page) =>
          this.list.update((state) => {
            const seen = new Set(state.calls.map((call) => call.id));
            return {
              ...state,
              calls: [...state.calls, ...page.items.filter((call) => !seen.has(call.id))],
              nextCursor: page.nextCursor,
              loadingMore: false,
            };
          }),
        error: (err: unknown) =>
          this.list.update((state) => ({
            ...state,
            loadingMore: false,
            moreError: ApiError.message(err, 'Could not load more calls.'),
          })),
      });
  }

  /** Adds a call at the top, or replaces it where it is. */
  upsert(call: CallView): void {
    this.list.update((state) => {
      const index = state.calls.findIndex((c) => c.id === call.id);
      const calls =
        index === -1
          ? [call, ...state.calls]
          : state.calls.map((c, i) => (i === index ? { ...c, ...stripTimeline(call) } : c));
      return { ...state, calls };
    });
    this.detailState.update((state) =>
      state.call?.id === call.id
        ? { ...state, call: { ...state.call, ...stripTimeline(call) } }
        : state,
    );
  }

  /** Opens (id) or closes (null) a call in the detail panel. */
  select(id: string | null): void {
    if (id === this.detailState().id) return;
    this.detailRequest?.unsubscribe();
    this.detailState.set({ id, call: null, loading: false, error: null });
    if (id) this.loadDetail(id);
  }

  /** Reloads the open call and its timeline. */
  refreshDetail(): void {
    const id = this.detailState().id;
    if (id) this.loadDetail(id);
  }

  private loadFirstPage(clear: boolean): void {
    this.listRequest?.unsubscribe();
    const { filters } = this.list();
    this.list.update((state) => ({
      ...state,
      // A new filter shows a fresh list; a refresh keeps the rows on screen until the new ones arrive.
      calls: clear ? [] : state.calls,
      nextCursor: clear ? null : state.nextCursor,
      loading: true,
      loadingMore: false,
      error: null,
      moreError: null,
      loaded: clear ? false : state.loaded,
    }));
    this.listRequest = this.api.list(filtersToQuery(filters), { limit: PAGE_SIZE }).subscribe({
      next: (page) =>
        this.list.update((state) => ({
          ...state,
          calls: page.items,
          nextCursor: page.nextCursor,
          loading: false,
          loaded: true,
        })),
      error: (err: unknown) =>
        this.list.update((state) => ({
          ...state,
          calls: [],
          nextCursor: null,
          loading: false,
          loaded: true,
          error: ApiError.message(err, 'Could not load the calls.'),
        })),
    });
  }

  private loadDetail(id: string): void {
    this.detailRequest?.unsubscribe();
    this.detailState.update((state) => ({ ...state, loading: true, error: null }));
    this.detailRequest = this.api.get(id).subscribe({
      next: (call) => {
        this.detailState.set({ id, call, loading: false, error: null });
        // Keep the row in step with what the panel shows (never add a row the filters exclude).
        this.list.update((state) => ({
          ...state,
          calls: state.calls.map((c) => (c.id === id ? stripTimeline(call) : c)),
        }));
      },
      error: (err: unknown) =>
        this.detailState.update((state) => ({
          ...state,
          loading: false,
          error:
            ApiError.status(err) === 404
              ? 'This call does not exist, or it is not one you can see.'
              : ApiError.message(err, 'Could not load the call.'),
        })),
    });
  }
}

function stripTimeline(call: CallView | CallDetail): CallView {
  if (!('timeline' in call)) return call;
  const { timeline: _timeline, ...view } = call;
  return view;
}
