import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { convertToParamMap } from '@angular/router';

import { makeCall } from '../../testing';
import { CallFilters, NO_FILTERS, filtersFromParams, filtersToQuery } from './call-filters';
import { CallHistoryStore, PAGE_SIZE } from './call-history-store';

describe('CallHistoryStore', () => {
  let store: CallHistoryStore;
  let backend: HttpTestingController;

  const a = makeCall({ id: 'call-a', to: '+14155550101' });
  const b = makeCall({ id: 'call-b', to: '+14155550102' });
  const c = makeCall({ id: 'call-c', to: '+14155550103' });

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [CallHistoryStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(CallHistoryStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  const listRequest = () => backend.expectOne((req) => req.url === '/api/calls');

  it('turns filters into API query parameters and URL query parameters', () => {
    const filters: CallFilters = {
      ...NO_FILTERS,
      status: ['completed', 'busy'],
      provider: 'simulator',
      direction: 'outbound',
      country: 'US',
      from: '2026-11-01',
      to: '2026-11-21',
      q: '415',
    };
    store.setFilters(filters);

    const req = listRequest();
    const params = req.request.params;
    expect(params.get('status')).toBe('completed,busy');
    expect(params.get('provider')).toBe('simulator');
    expect(params.get('direction')).toBe('outbound');
    expect(params.get('country')).toBe('US');
    expect(params.get('q')).toBe('415');
    expect(params.get('limit')).toBe(String(PAGE_SIZE));
    expect(params.has('cursor')).toBe(false);
    // Calendar days of the user's time zone; `to` is exclusive, so the last day is included.
    expect(params.get('from')).toBe(new Date(2026, 10, 1).toISOString());
    expect(params.get('to')).toBe(new Date(2026, 10, 22).toISOString());
    req.flush({ items: [a], nextCursor: null });

    expect(store.queryParams()).toEqual({
      status: 'completed,busy',
      provider: 'simulator',
      direction: 'outbound',
      agent: null,
      country: 'US',
      from: '2026-11-01',
      to: '2026-11-21',
      q: '415',
    });
    expect(store.calls()).toEqual([a]);
    expect(store.loaded()).toBe(true);
  });

  it('reads filters back from the URL and drops what the API would refuse', () => {
    const filters = filtersFromParams(
      convertToParamMap({
        status: 'busy,nonsense,completed',
        provider: 'skype',
        direction: 'inbound',
        agent: 'not-a-uuid',
        country: 'in',
        from: '2026-11-01',
        to: 'yesterday',
        q: '+1 (415) 555',
      }),
    );

    expect(filters).toEqual({
      ...NO_FILTERS,
      status: ['completed', 'busy'],
      direction: 'inbound',
      country: 'IN',
      from: '2026-11-01',
      q: '1415555',
    });
    expect(filtersToQuery(NO_FILTERS)).toEqual({});
  });

  it('does not reload when the same filters are applied again', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a], nextCursor: null });

    store.setFilters({ ...NO_FILTERS });

    backend.expectNone('/api/calls');
  });

  it('appends the next page with the cursor, keeping the filters', () => {
    store.setFilters({ ...NO_FILTERS, provider: 'simulator' });
    listRequest().flush({ items: [a, b], nextCursor: 'cursor-1' });
    expect(store.hasMore()).toBe(true);

    store.loadMore();
    const req = listRequest();
    expect(req.request.params.get('cursor')).toBe('cursor-1');
    expect(req.request.params.get('provider')).toBe('simulator');
    expect(store.loadingMore()).toBe(true);
    // A call can move between pages while paging: it is shown once.
    req.flush({ items: [b, c], nextCursor: null });

    expect(store.calls().map((call) => call.id)).toEqual(['call-a', 'call-b', 'call-c']);
    expect(store.hasMore()).toBe(false);
    expect(store.loadingMore()).toBe(false);

    store.loadMore(); // nothing more to load
    backend.expectNone('/api/calls');
  });

  it('refresh goes back to the first page and keeps the rows on screen meanwhile', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a], nextCursor: 'cursor-1' });
    store.loadMore();
    listRequest().flush({ items: [b], nextCursor: 'cursor-2' });

    store.refresh();
    const req = listRequest();
    expect(req.request.params.has('cursor')).toBe(false);
    expect(store.loading()).toBe(true);
    expect(store.calls()).toHaveLength(2);
    const answered = makeCall({ id: 'call-new', status: 'ringing' });
    req.flush({ items: [answered, a], nextCursor: 'cursor-3' });

    expect(store.calls().map((call) => call.id)).toEqual(['call-new', 'call-a']);
    expect(store.nextCursor()).toBe('cursor-3');
    expect(store.loading()).toBe(false);
  });

  it('a new filter replaces the list and cancels a page still loading', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a], nextCursor: 'cursor-1' });
    store.loadMore();
    const stale = listRequest();

    store.setFilters({ ...NO_FILTERS, status: ['failed'] });

    expect(stale.cancelled).toBe(true);
    expect(store.calls()).toEqual([]);
    listRequest().flush({ items: [], nextCursor: null });
    expect(store.calls()).toEqual([]);
    expect(store.loaded()).toBe(true);
  });

  it('shows why the list could not be loaded', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'country must be an ISO 3166 two-letter code',
      },
      { status: 400, statusText: 'Bad Request' },
    );

    expect(store.error()).toBe('country must be an ISO 3166 two-letter code');
    expect(store.loading()).toBe(false);
  });

  it('loads the selected call, keeps its row in step, and reloads it on refresh', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a, b], nextCursor: null });

    store.select('call-b');
    expect(store.selectedSummary()).toEqual(b);
    const detail = { ...b, status: 'completed' as const, durationSeconds: 42, timeline: [] };
    backend.expectOne('/api/calls/call-b').flush(detail);

    expect(store.detail()).toEqual(detail);
    expect(store.calls()[1].durationSeconds).toBe(42);
    expect('timeline' in store.calls()[1]).toBe(false);

    store.refresh();
    listRequest().flush({ items: [a, b], nextCursor: null });
    backend.expectOne('/api/calls/call-b').flush(detail);

    store.select(null);
    expect(store.detail()).toBeNull();
  });

  it('upsert adds a new call at the top and replaces a known one in place', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a, b], nextCursor: null });

    store.upsert(c);
    store.upsert({ ...b, status: 'busy' });

    expect(store.calls().map((call) => [call.id, call.status])).toEqual([
      ['call-c', 'completed'],
      ['call-a', 'completed'],
      ['call-b', 'busy'],
    ]);
  });
});
