import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { makeUser } from '../../testing';
import { AuthService, TOKEN_STORAGE_KEY } from './auth-service';
import { retryDelayMs, retryWhileUnreachable } from './start-up-retry';
import { SessionUser } from './user';

describe('AuthService', () => {
  let http: HttpTestingController;

  function create(): AuthService {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(AuthService);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => http.verify());

  it('login posts the credentials, then stores the token and the user', () => {
    const auth = create();
    const user = makeUser();
    let result: SessionUser | undefined;

    auth.login('admin@demo.test', 'secret-pass').subscribe((u) => (result = u));
    const req = http.expectOne('/api/auth/login');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'admin@demo.test', password: 'secret-pass' });
    req.flush({ accessToken: 'jwt-123', user });

    expect(result).toEqual(user);
    expect(auth.token()).toBe('jwt-123');
    expect(auth.user()).toEqual(user);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.isAdmin()).toBe(true);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-123');
  });

  it('a rejected login leaves no session behind', () => {
    const auth = create();
    let failed = false;

    auth.login('admin@demo.test', 'wrong').subscribe({ error: () => (failed = true) });
    http
      .expectOne('/api/auth/login')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' },
        { status: 401, statusText: 'Unauthorized' },
      );

    expect(failed).toBe(true);
    expect(auth.token()).toBeNull();
    expect(auth.user()).toBeNull();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('logout clears the token, the user and the stored token', () => {
    const auth = create();
    auth.login('admin@demo.test', 'secret-pass').subscribe();
    http.expectOne('/api/auth/login').flush({ accessToken: 'jwt-123', user: makeUser() });

    auth.logout();

    expect(auth.token()).toBeNull();
    expect(auth.user()).toBeNull();
    expect(auth.isAuthenticated()).toBe(false);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('picks up a token stored by an earlier visit', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const auth = create();

    expect(auth.token()).toBe('stored-jwt');
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.user()).toBeNull();
  });

  it('loadMe fetches and keeps the signed-in user', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const auth = create();
    const agent = makeUser({ role: 'agent' });

    auth.loadMe().subscribe();
    http.expectOne('/api/auth/me').flush(agent);

    expect(auth.user()).toEqual(agent);
    expect(auth.isAdmin()).toBe(false);
  });

  it('ensureUser asks the server once for concurrent callers', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const auth = create();
    const seen: (SessionUser | null)[] = [];

    auth.ensureUser().subscribe((u) => seen.push(u));
    auth.ensureUser().subscribe((u) => seen.push(u));
    http.expectOne('/api/auth/me').flush(makeUser());

    expect(seen).toHaveLength(2);
    expect(seen.every((u) => u?.id === 'u-admin')).toBe(true);

    // Now known: no further request.
    auth.ensureUser().subscribe((u) => seen.push(u));
    http.expectNone('/api/auth/me');
    expect(seen).toHaveLength(3);
  });

  it('ensureUser answers null without asking the server when signed out', () => {
    const auth = create();
    let result: SessionUser | null | undefined;

    auth.ensureUser().subscribe((u) => (result = u));

    http.expectNone('/api/auth/me');
    expect(result).toBeNull();
  });

  it('ensureUser keeps trying with backoff while the api cannot be reached, and stays signed in', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'Date'] });
    try {
      localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
      const auth = create();
      let result: SessionUser | null | undefined;
      auth.ensureUser(retryWhileUnreachable(auth)).subscribe((u) => (result = u));

      http.expectOne('/api/auth/me').flush('', { status: 502, statusText: 'Bad Gateway' });
      expect(auth.unreachable()).toMatchObject({ attempt: 1, status: 502 });
      vi.advanceTimersByTime(999);
      http.expectNone('/api/auth/me');
      vi.advanceTimersByTime(1);
      http.expectOne('/api/auth/me').error(new ProgressEvent('error'), { status: 0 });
      expect(auth.unreachable()).toMatchObject({ attempt: 2, status: 0 });
      expect(retryDelayMs(2)).toBe(2000);
      expect(retryDelayMs(9)).toBe(15_000);

      auth.retryNow(); // no need to wait the 2 s
      http.expectOne('/api/auth/me').flush(makeUser());
      expect(result?.id).toBe('u-admin');
      expect(auth.unreachable()).toBeNull();
      expect(auth.isAuthenticated()).toBe(true);
      expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('stored-jwt');
    } finally {
      vi.useRealTimers();
    }
  });

  it('ensureUser gives up at once on an answer about the session (401)', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const auth = create();
    let result: SessionUser | null | undefined;
    auth.ensureUser(retryWhileUnreachable(auth)).subscribe((u) => (result = u));
    http.expectOne('/api/auth/me').flush('', { status: 401, statusText: 'Unauthorized' });
    expect(result).toBeNull();
    expect(auth.unreachable()).toBeNull();
  });
});
