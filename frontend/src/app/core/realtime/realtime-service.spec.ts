import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { BlankPage, FakeSockets, makeCall, makeUser } from '../../testing';
import { authInterceptor } from '../auth/auth-interceptor';
import { AuthService, TOKEN_STORAGE_KEY } from '../auth/auth-service';
import { CallView } from '../calls/call';
import { OFFLINE_AFTER_FAILURES, RealtimeService } from './realtime-service';

describe('RealtimeService', () => {
  let sockets: FakeSockets;
  let realtime: RealtimeService;

  function setUp(token: string | null = 'jwt-1'): void {
    localStorage.clear();
    if (token) localStorage.setItem(TOKEN_STORAGE_KEY, token);
    sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: BlankPage },
          { path: '**', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    realtime = TestBed.inject(RealtimeService);
  }

  afterEach(() => localStorage.clear());

  it('connects on start with the access token in auth, never in the URL', () => {
    setUp('jwt-1');
    expect(sockets.created).toHaveLength(0);

    realtime.start();

    expect(sockets.created).toHaveLength(1);
    const { options } = sockets.last;
    expect(options.auth).toEqual({ token: 'jwt-1' });
    expect(options.path).toBe('/socket.io');
    expect(options.transports).toEqual(['websocket']);
    expect(options.query).toBeUndefined();
    expect(realtime.status()).toBe('connecting');
  });

  it('stays offline without a token', () => {
    setUp(null);
    realtime.start();
    expect(sockets.created).toHaveLength(0);
    expect(realtime.status()).toBe('offline');
  });

  it('reports connecting, connected, reconnecting, offline and connected again', () => {
    setUp();
    realtime.start();
    const socket = sockets.last;
    expect(realtime.status()).toBe('connecting');

    socket.accept();
    expect(realtime.status()).toBe('connected');

    socket.drop();
    expect(realtime.status()).toBe('reconnecting');
    for (let i = 1; i < OFFLINE_AFTER_FAILURES; i++) socket.fail();
    expect(realtime.status()).toBe('reconnecting');
    socket.fail();
    expect(realtime.status()).toBe('offline');

    socket.accept(true);
    expect(realtime.status()).toBe('connected');
    // socket.io retried on the same socket: nothing new was opened.
    expect(sockets.created).toHaveLength(1);
  });

  it('reconnects by hand when the server closed the socket on purpose', () => {
    setUp();
    realtime.start();
    const socket = sockets.last;
    socket.accept();
    const connect = vi.spyOn(socket, 'connect');

    socket.drop('io server disconnect');

    expect(connect).toHaveBeenCalledOnce();
    expect(realtime.status()).toBe('reconnecting');
  });

  it('reads the user again after a server-side disconnect, and signs out when that answers 401', async () => {
    setUp();
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/history');
    realtime.start();
    sockets.last.accept();

    sockets.last.drop('io server disconnect'); // e.g. an admin deactivated this user

    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/me')
      .flush(
        { message: 'This account is no longer active' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await new Promise((resolve) => setTimeout(resolve));

    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(false);
    expect(sockets.last.disconnected).toBe(true);
    expect(router.url).toBe('/login?returnUrl=%2Fhistory');
  });

  it('delivers typed events to every listener until it unsubscribes', () => {
    setUp();
    realtime.start();
    sockets.last.accept();
    const first: CallView[] = [];
    const second: string[] = [];
    const off = realtime.on('call:created', (call) => first.push(call));
    realtime.on('call:created', (call) => second.push(call.id));

    sockets.last.push('call:created', makeCall({ id: 'call-1' }));
    off();
    sockets.last.push('call:created', makeCall({ id: 'call-2' }));

    expect(first.map((call) => call.id)).toEqual(['call-1']);
    expect(second).toEqual(['call-1', 'call-2']);
  });

  it('asks for a resync when a reconnection could not recover the missed events', () => {
    setUp();
    realtime.start();
    const resyncs = vi.fn();
    realtime.on('resync', resyncs);
    const socket = sockets.last;

    socket.accept(); // the first connection: nothing was missed yet
    expect(resyncs).not.toHaveBeenCalled();

    socket.drop();
    socket.accept(true); // recovered: the server replayed what was missed
    expect(resyncs).not.toHaveBeenCalled();

    socket.drop();
    socket.accept(false);
    expect(resyncs).toHaveBeenCalledOnce();
  });

  it('signs the user out when the server refuses the token', async () => {
    setUp();
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/history?status=busy');
    realtime.start();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    sockets.last.refuse('Invalid or expired access token');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Invalid or expired access token'));
    await new Promise((resolve) => setTimeout(resolve));

    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(false);
    expect(realtime.status()).toBe('offline');
    expect(sockets.last.disconnected).toBe(true);
    expect(router.url).toBe('/login?returnUrl=%2Fhistory%3Fstatus%3Dbusy');
    // It does not keep knocking with a token the server refused.
    expect(sockets.created).toHaveLength(1);
  });

  it('disconnects on sign-out and opens a new socket with the next token', () => {
    setUp();
    realtime.start();
    const first = sockets.last;
    first.accept();
    const events = vi.fn();
    realtime.on('call:updated', events);

    TestBed.inject(AuthService).logout();
    TestBed.tick();

    expect(first.disconnected).toBe(true);
    expect(realtime.status()).toBe('offline');
    first.push('call:updated', makeCall()); // a late event from the closed socket is ignored
    expect(events).not.toHaveBeenCalled();

    TestBed.inject(AuthService).login('agent@demo.test', 'secret').subscribe();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/login')
      .flush({ accessToken: 'jwt-2', user: makeUser() });
    TestBed.tick();

    expect(sockets.created).toHaveLength(2);
    expect(sockets.last.options.auth).toEqual({ token: 'jwt-2' });
  });

  it('disconnects when stopped (the shell is gone)', () => {
    setUp();
    realtime.start();
    sockets.last.accept();

    realtime.stop();

    expect(sockets.last.disconnected).toBe(true);
    expect(realtime.status()).toBe('offline');
  });
});
