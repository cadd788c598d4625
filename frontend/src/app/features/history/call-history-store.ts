import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Params } from '@angular/router';
import { Subscription } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { pagedList } from '../../shared/paged-list/paged-list';
import { CallDetail, CallView, isOlderCall } from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import { RealtimeService } from '../../core/realtime/realtime-service';
import {
  CallFilters,
  NO_FILTERS,
  filtersToParams,
  filtersToQuery,
  matchesFilters,
  sameFilters,
} from './call-filters';

export const PAGE_SIZE = 50;
/** Pushed updates of the open call are gathered this long before its timeline is reloaded. */
export const DETAIL_REFRESH_DELAY_MS = 250;

interface DetailState {
  id: string | null;
  call: CallDetail | null;
  loading: boolean;
  error: string | null;
}

/**
 * The call history's state, as signals: the filtered list with keyset pagination and the call
 * open in the detail panel. Everything that changes a call goes through `upsert`, pushed
 * `call:created`/`call:updated` events included; a reconnection that missed events reloads.
 */
@Injectable()
export class CallHistoryStore {
  private readonly api = inject(CallsApi);

  private readonly filterState = signal<CallFilters>(NO_FILTERS);
  private readonly list = pagedList<CallView>({
    fetch: (page) => this.api.list(filtersToQuery(this.filterState()), page),
    pageSize: PAGE_SIZE,
    errorMessage: 'Could not load the calls.',
    moreErrorMessage: 'Could not load more calls.',
    firstPage: (page) => {
      let calls: readonly CallView[] = page.items;
      for (const pushed of this.pushedWhileLoading.values()) {
        calls = placeCall(calls, pushed, this.filterState(), !page.nextCursor);
      }
      this.pushedWhileLoading.clear();
      return calls;
    },
  });
  private readonly detailState = signal<DetailState>({
    id: null,
    call: null,
    loading: false,
    error: null,
  });
  private detailRequest?: Subscription;
  /** Calls pushed while the first page was loading: the response may predate them. */
  private readonly pushedWhileLoading = new Map<string, CallView>();
  private detailRefreshTimer?: ReturnType<typeof setTimeout>;

  constructor() {
    const realtime = inject(RealtimeService);
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(realtime.on('call:created', (call) => this.upsert(call)));
    destroyRef.onDestroy(realtime.on('call:updated', (call) => this.upsert(call)));
    destroyRef.onDestroy(realtime.on('resync', () => this.list.loaded() && this.refresh()));
    destroyRef.onDestroy(() => clearTimeout(this.detailRefreshTimer));
  }

  readonly filters = this.filterState.asReadonly();
  /** The list itself, for the shared list controls (`sb-load-more`). */
  readonly paged = this.list;
  readonly calls = this.list.items;
  readonly nextCursor = this.list.nextCursor;
  readonly hasMore = this.list.hasMore;
  readonly loading = this.list.loading;
  readonly loadingMore = this.list.loadingMore;
  readonly error = this.list.error;
  readonly moreError = this.list.moreError;
  readonly loaded = this.list.loaded;
  /** The filters as URL query parameters (unset ones null, to be removed by a merge). */
  readonly queryParams = computed<Params>(() => filtersToParams(this.filterState()));

  readonly selectedId = computed(() => this.detailState().id);
  readonly detail = computed(() => this.detailState().call);
  readonly detailLoading = computed(() => this.detailState().loading);
  readonly detailError = computed(() => this.detailState().error);
  /** The selected call's row, shown while its details load. */
  readonly selectedSummary = computed<CallView | null>(() => {
    const id = this.detailState().id;
    return id ? (this.list.items().find((call) => call.id === id) ?? null) : null;
  });

  /** Applies filters (from the URL); loads the first page unless they are already shown. */
  setFilters(filters: CallFilters): void {
    if (this.list.loaded() && sameFilters(this.filterState(), filters)) return;
    this.filterState.set(filters);
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
    this.list.loadMore();
  }

  /**
   * Takes a new or changed call (pushed, or returned by the API): replaces it where it is unless
   * it is an older copy; shows a new one, in date order, only if it matches the filters. The open
   * call's timeline is reloaded, since a push carries the call without it.
   */
  upsert(call: CallView | CallDetail): void {
    const view = stripTimeline(call);
    if (this.list.loading()) this.pushedWhileLoading.set(view.id, view);
    if (this.list.loaded()) {
      this.list.update((calls) => placeCall(calls, view, this.filterState(), !this.list.hasMore()));
    }
    const detail = this.detailState();
    if (detail.id !== view.id) return;
    if (detail.call && !isOlderCall(view, detail.call)) {
      this.detailState.set({ ...detail, call: { ...detail.call, ...view } });
    }
    clearTimeout(this.detailRefreshTimer);
    this.detailRefreshTimer = setTimeout(() => {
      if (this.detailState().id === view.id) this.loadDetail(view.id, true);
    }, DETAIL_REFRESH_DELAY_MS);
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
    this.pushedWhileLoading.clear();
    // A new filter shows a fresh list; a refresh keeps the rows on screen until the new ones arrive.
    this.list.load({ keepItems: !clear });
  }

  /** `quiet`: a background reload after a push, without the loading indicator. */
  private loadDetail(id: string, quiet = false): void {
    this.detailRequest?.unsubscribe();
    if (!quiet) this.detailState.update((state) => ({ ...state, loading: true, error: null }));
    this.detailRequest = this.api.get(id).subscribe({
      next: (fetched) => {
        // A push may have brought a newer status while this was on its way: keep that one.
        const shown = this.detailState().call;
        const call =
          shown && isOlderCall(fetched, shown) ? { ...fetched, ...stripTimeline(shown) } : fetched;
        this.detailState.set({ id, call, loading: false, error: null });
        // Keep the row in step with what the panel shows (never add a row the filters exclude).
        this.list.update((calls) =>
          calls.map((c) => (c.id === id && !isOlderCall(call, c) ? stripTimeline(call) : c)),
        );
      },
      error: (err: unknown) => {
        if (quiet) return; // the panel keeps what it shows; the next push or a refresh tries again
        this.detailState.update((state) => ({
          ...state,
          loading: false,
          // 400: the link's id is not even an id (a mangled URL).
          error: [400, 404].includes(ApiError.status(err) ?? 0)
            ? 'This call does not exist, or it is not one you can see.'
            : ApiError.message(err, 'Could not load the call.'),
        }));
      },
    });
  }
}

/**
 * `calls` (newest first) with `call` replaced where it is, unless it is an older copy, or else
 * inserted by date if it matches the filters; a call older than every row shown is added at the
 * end only when the list is `complete` (it would otherwise belong to a page not loaded yet).
 */
function placeCall(
  calls: readonly CallView[],
  call: CallView,
  filters: CallFilters,
  complete: boolean,
): readonly CallView[] {
  const index = calls.findIndex((c) => c.id === call.id);
  if (index !== -1) {
    if (isOlderCall(call, calls[index])) return calls;
    return calls.map((c, i) => (i === index ? { ...c, ...call } : c));
  }
  if (!matchesFilters(call, filters)) return calls;
  const created = Date.parse(call.createdAt);
  const at = calls.findIndex((c) => Date.parse(c.createdAt) <= created);
  if (at === -1) return complete ? [...calls, call] : calls;
  return [...calls.slice(0, at), call, ...calls.slice(at)];
}

function stripTimeline(call: CallView | CallDetail): CallView {
  if (!('timeline' in call)) return call;
  const { timeline: _timeline, ...view } = call;
  return view;
}
