import { DestroyRef, computed, inject, signal } from '@angular/core';
import { Observable, Subscription } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { Page } from '../../core/api/api-schema';

/** What `fetch` is asked for: the first page (no cursor) or the one after `cursor`. */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

export interface PagedListOptions<T> {
  /** Reads one page; the list's filters are whatever this closure reads when it is called. */
  fetch: (page: PageRequest) => Observable<Page<T>>;
  pageSize?: number;
  /** What the user reads when the first page fails: "Could not load the contacts." */
  errorMessage: string;
  /** When a further page fails (the rows shown so far stay): "Could not load more contacts." */
  moreErrorMessage: string;
  /** Identity of a row, to drop a row that moved to the next page between requests. */
  idOf?: (item: T) => string;
  /** Adjusts a freshly loaded first page before it is shown (merging rows pushed meanwhile). */
  firstPage?: (page: Page<T>) => readonly T[];
  /** Called with every page that arrives, first or further. */
  onPage?: (items: readonly T[]) => void;
}

interface State<T> {
  items: readonly T[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  loaded: boolean;
  error: string | null;
  moreError: string | null;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * A keyset-paged list as the console's pages show it: the first page (with its loading and error
 * state and a retry), "Load more" (with its own error, keeping the rows shown), and local edits of
 * the rows. One request at a time: a new first load cancels whatever was in flight.
 */
export class PagedList<T> {
  private readonly state = signal<State<T>>({
    items: [],
    nextCursor: null,
    loading: false,
    loadingMore: false,
    loaded: false,
    error: null,
    moreError: null,
  });
  private request?: Subscription;
  private readonly pageSize: number;
  private readonly idOf: (item: T) => string;

  readonly items = computed(() => this.state().items);
  readonly nextCursor = computed(() => this.state().nextCursor);
  readonly hasMore = computed(() => this.state().nextCursor !== null);
  /** The first page is on its way (first load, a filter change or a reload). */
  readonly loading = computed(() => this.state().loading);
  readonly loadingMore = computed(() => this.state().loadingMore);
  /** The first page has arrived (or failed) at least once since the last `reset`. */
  readonly loaded = computed(() => this.state().loaded);
  readonly error = computed(() => this.state().error);
  readonly moreError = computed(() => this.state().moreError);
  /** Loaded, no error, and nothing to show. */
  readonly empty = computed(() => {
    const s = this.state();
    return s.loaded && !s.loading && !s.error && s.items.length === 0;
  });

  constructor(private readonly options: PagedListOptions<T>) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.idOf = options.idOf ?? ((item) => (item as { id: string }).id);
  }

  /**
   * Loads the first page. `keepItems`: a refresh that leaves the rows on screen until the new
   * ones arrive; otherwise (new filters) the list empties at once.
   */
  load({ keepItems = false }: { keepItems?: boolean } = {}): void {
    this.request?.unsubscribe();
    this.state.update((s) => ({
      ...s,
      items: keepItems ? s.items : [],
      nextCursor: keepItems ? s.nextCursor : null,
      loading: true,
      loadingMore: false,
      loaded: keepItems ? s.loaded : false,
      error: null,
      moreError: null,
    }));
    this.request = this.options.fetch({ limit: this.pageSize }).subscribe({
      next: (page) => {
        const items = this.options.firstPage ? this.options.firstPage(page) : page.items;
        this.state.update((s) => ({
          ...s,
          items,
          nextCursor: page.nextCursor,
          loading: false,
          loaded: true,
        }));
        this.options.onPage?.(page.items);
      },
      error: (err: unknown) =>
        this.state.update((s) => ({
          ...s,
          items: [],
          nextCursor: null,
          loading: false,
          loaded: true,
          error: ApiError.message(err, this.options.errorMessage),
        })),
    });
  }

  /** Appends the next page, if there is one and nothing else is loading. */
  loadMore(): void {
    const { nextCursor, loading, loadingMore } = this.state();
    if (!nextCursor || loading || loadingMore) return;
    this.state.update((s) => ({ ...s, loadingMore: true, moreError: null }));
    this.request = this.options.fetch({ cursor: nextCursor, limit: this.pageSize }).subscribe({
      next: (page) => {
        this.state.update((s) => {
          const seen = new Set(s.items.map(this.idOf));
          return {
            ...s,
            items: [...s.items, ...page.items.filter((item) => !seen.has(this.idOf(item)))],
            nextCursor: page.nextCursor,
            loadingMore: false,
          };
        });
        this.options.onPage?.(page.items);
      },
      error: (err: unknown) =>
        this.state.update((s) => ({
          ...s,
          loadingMore: false,
          moreError: ApiError.message(err, this.options.moreErrorMessage),
        })),
    });
  }

  /** Changes the rows shown (an edit, a deletion, a pushed update); paging state is kept. */
  update(change: (items: readonly T[]) => readonly T[]): void {
    this.state.update((s) => ({ ...s, items: change(s.items) }));
  }

  /** Cancels the request in flight. */
  cancel(): void {
    this.request?.unsubscribe();
  }
}

/** A `PagedList` whose request in flight is cancelled with the component or service creating it. */
export function pagedList<T>(options: PagedListOptions<T>): PagedList<T> {
  const list = new PagedList(options);
  inject(DestroyRef).onDestroy(() => list.cancel());
  return list;
}
