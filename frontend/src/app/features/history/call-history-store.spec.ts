import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { convertToParamMap } from '@angular/router';

import { TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { FakeSocket, FakeSockets, makeCall } from '../../testing';
import {
  CallFilters,
  NO_FILTERS,
  filtersFromParams,
  filtersToQuery,
  matchesFilters,
} from './call-filters';
import { CallHistoryStore, DETAIL_REFRESH_DELAY_MS, PAGE_SIZE } from './call-history-store';

describe('CallHistoryStore', () => {
  let store: CallHistoryStore;
  let backend: HttpTestingController;
  let socket: FakeSocket;

  const a = makeCall({ id: 'call-a', to: '+14155550101' });
  const b = makeCall({ id: 'call-b', to: '+14155550102' });
  const c = makeCall({ id: 'call-c', to: '+14155550103' });

  beforeEach(() => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        CallHistoryStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    store = TestBed.inject(CallHistoryStore);
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(RealtimeService).start();
    socket = sockets.last;
    socket.accept();
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    vi.useRealTimers();
  });

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

  it('says a call that is not there, or a link with a malformed id, names no call it can show', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a, b], nextCursor: null });
    const cases = [
      { id: 'garbage', status: 400, statusText: 'Bad Request', message: 'id must be a UUID' },
      { id: 'call-gone', status: 404, statusText: 'Not Found', message: 'Call not found' },
    ];
    for (const { id, status, statusText, message } of cases) {
      store.select(id);
      backend
        .expectOne(`/api/calls/${id}`)
        .flush({ statusCode: status, error: statusText, message }, { status, statusText });
      expect(store.detailError()).toBe('This call does not exist, or it is not one you can see.');
    }
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

  it('shows a pushed new call at the top only when it matches the filters', () => {
    store.setFilters({ ...NO_FILTERS, provider: 'simulator' });
    listRequest().flush({ items: [a, b], nextCursor: null });

    socket.push('call:created', makeCall({ id: 'call-exotel', provider: 'exotel' }));
    const fresh = makeCall({
      id: 'call-new',
      status: 'initiated',
      createdAt: '2026-11-21T22:00:00.000Z',
    });
    socket.push('call:created', fresh);

    expect(store.calls().map((call) => call.id)).toEqual(['call-new', 'call-a', 'call-b']);
  });

  it('leaves a pushed call that belongs to a page not loaded yet to that page', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a], nextCursor: 'cursor-1' });

    socket.push('call:updated', makeCall({ id: 'old', createdAt: '2026-10-01T10:00:00.000Z' }));

    expect(store.calls().map((call) => call.id)).toEqual(['call-a']);
  });

  it('updates a pushed call in place and never takes it back to an older status', () => {
    const ringing = makeCall({ id: 'call-live', status: 'ringing', createdAt: a.createdAt });
    store.setFilters({ ...NO_FILTERS, status: ['ringing'] });
    listRequest().flush({ items: [ringing, b], nextCursor: null });

    socket.push('call:updated', { ...ringing, status: 'in_progress' });
    expect(store.calls().map((call) => [call.id, call.status])).toEqual([
      ['call-live', 'in_progress'], // stays where it is, even though the filter is "ringing"
      ['call-b', 'completed'],
    ]);

    socket.push('call:updated', { ...ringing, status: 'completed', costMicros: null });
    socket.push('call:updated', { ...ringing, status: 'ringing' }); // a late, older copy
    socket.push('call:updated', { ...ringing, status: 'completed', costMicros: '6500' });

    expect(store.calls()[0]).toMatchObject({ status: 'completed', costMicros: '6500' });
    expect(store.calls()).toHaveLength(2);
  });

  it('keeps a call pushed while the list was loading', () => {
    store.setFilters(NO_FILTERS);
    const req = listRequest();
    const pushed = makeCall({
      id: 'call-new',
      status: 'ringing',
      createdAt: '2026-11-22T08:00:00Z',
    });
    socket.push('call:created', pushed);
    socket.push('call:updated', { ...a, status: 'completed', costMicros: '9900' });
    expect(store.calls()).toEqual([]); // the first load shows nothing before it answers

    // The answer was read before both changes.
    req.flush({ items: [{ ...a, status: 'in_progress', costMicros: null }, b], nextCursor: null });

    expect(store.calls().map((call) => [call.id, call.status])).toEqual([
      ['call-new', 'ringing'],
      ['call-a', 'completed'],
      ['call-b', 'completed'],
    ]);
  });

  it('reloads the open call (and its timeline) shortly after it is updated', () => {
    vi.useFakeTimers();
    const live = makeCall({ id: 'call-live', status: 'ringing' });
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [live], nextCursor: null });
    store.select('call-live');
    backend.expectOne('/api/calls/call-live').flush({ ...live, timeline: [] });

    socket.push('call:updated', { ...live, status: 'in_progress' });
    socket.push('call:updated', { ...live, status: 'completed' });
    // The panel shows the new status at once; the timeline follows in one request.
    expect(store.detail()?.status).toBe('completed');
    expect(store.detailLoading()).toBe(false);
    backend.expectNone('/api/calls/call-live');

    vi.advanceTimersByTime(DETAIL_REFRESH_DELAY_MS);
    const timeline = [
      {
        id: 'e1',
        rawStatus: 'completed',
        status: 'completed' as const,
        applied: true,
        outcome: 'applied',
        sequence: null,
        facts: {},
        occurredAt: live.createdAt,
        receivedAt: live.createdAt,
      },
    ];
    backend.expectOne('/api/calls/call-live').flush({ ...live, status: 'completed', timeline });
    expect(store.detail()?.timeline).toEqual(timeline);

    // Updates of other calls leave the panel alone.
    socket.push('call:updated', { ...a });
    vi.advanceTimersByTime(DETAIL_REFRESH_DELAY_MS);
    backend.expectNone('/api/calls/call-live');
  });

  it('reloads what it shows when the connection comes back without the missed events', () => {
    store.setFilters(NO_FILTERS);
    listRequest().flush({ items: [a], nextCursor: null });

    socket.drop();
    socket.accept(true);
    backend.expectNone('/api/calls');

    socket.drop();
    socket.accept(false);
    listRequest().flush({ items: [c, a], nextCursor: null });
    expect(store.calls().map((call) => call.id)).toEqual(['call-c', 'call-a']);
  });
});

describe('matchesFilters', () => {
  const call = makeCall({
    status: 'ringing',
    provider: 'simulator',
    direction: 'outbound',
    agent: { id: '0b7e4c1e-3a55-4c4f-9b59-2f8f2f6f1a10', name: 'Ann' },
    country: 'US',
    to: '+14155550100',
    from: '+15005550006',
    createdAt: new Date(2026, 10, 21, 12, 0).toISOString(),
  });

  it.each<[string, Partial<CallFilters>, boolean]>([
    ['no filters', {}, true],
    ['its status', { status: ['initiated', 'ringing'] }, true],
    ['another status', { status: ['completed'] }, false],
    ['another provider', { provider: 'exotel' }, false],
    ['another direction', { direction: 'inbound' }, false],
    ['its agent', { agentId: '0b7e4c1e-3a55-4c4f-9b59-2f8f2f6f1a10' }, true],
    ['another agent', { agentId: '5708fb09-f909-4626-a386-61c7792ab14a' }, false],
    ['another country', { country: 'IN' }, false],
    ['its day', { from: '2026-11-21', to: '2026-11-21' }, true],
    ['a later range', { from: '2026-11-22' }, false],
    ['an earlier range', { to: '2026-11-20' }, false],
    ['digits of the dialed number', { q: '555010' }, true],
    ['digits of the calling number', { q: '5005' }, true],
    ['other digits', { q: '999' }, false],
  ])('%s', (_name, filters, expected) => {
    expect(matchesFilters(call, { ...NO_FILTERS, ...filters })).toBe(expected);
  });
});
