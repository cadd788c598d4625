import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { FakeSocket, FakeSockets, makeCall, makeMetrics } from '../../testing';
import { DashboardStore, EndedCall, liveSeconds, withCall } from './dashboard-store';

describe('DashboardStore', () => {
  let store: DashboardStore;
  let backend: HttpTestingController;
  let socket: FakeSocket;

  const live = (id: string, createdAt: string) =>
    makeCall({ id, status: 'ringing', createdAt, answeredAt: null, endedAt: null });

  beforeEach(() => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        DashboardStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    store = TestBed.inject(DashboardStore);
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(RealtimeService).start();
    socket = sockets.last;
    socket.accept();
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  const liveRequest = () =>
    backend.expectOne((req) => req.url === '/api/calls' && req.params.get('limit') === '200');
  const recentRequest = () =>
    backend.expectOne((req) => req.url === '/api/calls' && req.params.get('limit') === '6');

  it('keeps calls pushed while the live list was loading', () => {
    const a = live('a', '2026-11-21T09:00:00.000Z');
    const b = live('b', '2026-11-21T09:01:00.000Z');
    store.load();
    backend.expectOne('/api/dashboard/metrics').flush(makeMetrics());
    recentRequest().flush({ items: [], nextCursor: null });
    const request = liveRequest();

    socket.push('call:created', b);
    socket.push('call:updated', { ...a, status: 'completed' });
    request.flush({ items: [a], nextCursor: null }); // read before both pushes

    expect(store.liveCalls().map((call) => call.id)).toEqual(['b']);
    expect(store.activeCounts()).toEqual({ initiated: 0, ringing: 1, in_progress: 0, total: 1 });
  });

  it('never lets older metrics replace newer ones', () => {
    store.load();
    liveRequest().flush({ items: [], nextCursor: null });
    recentRequest().flush({ items: [], nextCursor: null });
    const request = backend.expectOne('/api/dashboard/metrics');

    const pushed = makeMetrics({ generatedAt: '2026-11-21T09:30:02.000Z' });
    socket.push('metrics:updated', { ...pushed, today: { ...pushed.today, calls: 14 } });
    request.flush(makeMetrics({ generatedAt: '2026-11-21T09:30:01.000Z' }));

    expect(store.metrics()?.today.calls).toBe(14);
  });

  it('reports a call leaving the live list once, and its later updates as such', () => {
    const a = live('a', new Date().toISOString());
    store.load();
    backend.expectOne('/api/dashboard/metrics').flush(makeMetrics());
    liveRequest().flush({ items: [a], nextCursor: null });
    recentRequest().flush({ items: [], nextCursor: null });
    const ended: EndedCall[] = [];
    store.ended.subscribe((event) => ended.push(event));

    socket.push('call:updated', { ...a, status: 'completed', costMicros: null });
    socket.push('call:updated', { ...a, status: 'completed', costMicros: '6500' });
    socket.push('call:updated', { ...a, status: 'ringing' }); // late and older: ignored

    expect(ended.map((event) => [event.first, event.call.costMicros])).toEqual([
      [true, null],
      [false, '6500'],
    ]);
    expect(store.liveCalls()).toEqual([]);
    expect(store.recentCalls().map((call) => [call.id, call.costMicros])).toEqual([['a', '6500']]);
  });
});

describe('withCall', () => {
  const a = makeCall({ id: 'a', status: 'ringing', createdAt: '2026-11-21T09:00:00.000Z' });
  const b = makeCall({ id: 'b', status: 'in_progress', createdAt: '2026-11-21T09:05:00.000Z' });

  it('adds a live call in date order, replaces a known one, and drops an ended one', () => {
    let calls = withCall([], a);
    calls = withCall(calls, b);
    expect(calls.map((call) => call.id)).toEqual(['b', 'a']);

    calls = withCall(calls, { ...a, status: 'in_progress' });
    expect(calls.map((call) => [call.id, call.status])).toEqual([
      ['b', 'in_progress'],
      ['a', 'in_progress'],
    ]);
    expect(withCall(calls, { ...b, status: 'ringing' })).toBe(calls); // an older copy

    expect(withCall(calls, { ...b, status: 'failed' }).map((call) => call.id)).toEqual(['a']);
  });
});

describe('liveSeconds', () => {
  const now = Date.parse('2026-11-21T09:10:00.000Z');

  it('counts talk time from the answer and waiting time from placing the call', () => {
    const placed = '2026-11-21T09:08:00.000Z';
    expect(liveSeconds(makeCall({ status: 'ringing', createdAt: placed }), now)).toBe(120);
    expect(
      liveSeconds(
        makeCall({ status: 'in_progress', createdAt: placed, answeredAt: '2026-11-21T09:09:18Z' }),
        now,
      ),
    ).toBe(42);
    // A clock slightly behind the server's never shows a negative time.
    expect(
      liveSeconds(makeCall({ status: 'initiated', createdAt: '2026-11-21T09:10:02Z' }), now),
    ).toBe(0);
  });
});
