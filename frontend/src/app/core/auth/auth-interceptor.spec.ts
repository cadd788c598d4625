import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { BlankPage } from '../../testing';
import { authInterceptor } from './auth-interceptor';
import { AuthService, TOKEN_STORAGE_KEY } from './auth-service';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt-abc');
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: BlankPage },
          { path: 'history', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    await router.navigateByUrl('/history?status=failed');
  });

  afterEach(() => backend.verify());

  it('adds the bearer token to /api requests', () => {
    http.get('/api/users').subscribe();

    const req = backend.expectOne('/api/users');
    expect(req.request.headers.get('Authorization')).toBe('Bearer jwt-abc');
    req.flush({ items: [] });
  });

  it('sends no token to anything outside /api', () => {
    http.get('/health/live').subscribe();
    http.get('https://example.com/api/users').subscribe();
    http.get('/apix/users').subscribe();

    for (const url of ['/health/live', 'https://example.com/api/users', '/apix/users']) {
      const req = backend.expectOne(url);
      expect(req.request.headers.has('Authorization')).toBe(false);
      req.flush({});
    }
  });

  it('sends no header when signed out', () => {
    TestBed.inject(AuthService).logout();
    http.get('/api/auth/me').subscribe({ error: () => undefined });

    const req = backend.expectOne('/api/auth/me');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({});
  });

  it('a 401 ends the session and sends the user to the login page with the current URL', async () => {
    const auth = TestBed.inject(AuthService);
    let status: number | undefined;

    http.get('/api/users').subscribe({ error: (e: { status: number }) => (status = e.status) });
    backend
      .expectOne('/api/users')
      .flush(
        { statusCode: 401, message: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await new Promise((resolve) => setTimeout(resolve));

    expect(status).toBe(401);
    expect(auth.token()).toBeNull();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(router.url).toBe('/login?returnUrl=%2Fhistory%3Fstatus%3Dfailed');
  });

  it('a 401 from the login request itself is left to the login form', async () => {
    const auth = TestBed.inject(AuthService);
    let status: number | undefined;

    http
      .post('/api/auth/login', { email: 'a@b.co', password: 'x' })
      .subscribe({ error: (e: { status: number }) => (status = e.status) });
    backend
      .expectOne('/api/auth/login')
      .flush({ message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });
    await new Promise((resolve) => setTimeout(resolve));

    expect(status).toBe(401);
    expect(auth.token()).toBe('jwt-abc');
    expect(router.url).toBe('/history?status=failed');
  });

  it('other errors leave the session alone', async () => {
    const auth = TestBed.inject(AuthService);

    http.get('/api/users').subscribe({ error: () => undefined });
    backend
      .expectOne('/api/users')
      .flush({ message: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });
    await new Promise((resolve) => setTimeout(resolve));

    expect(auth.token()).toBe('jwt-abc');
    expect(router.url).toBe('/history?status=failed');
  });
});
