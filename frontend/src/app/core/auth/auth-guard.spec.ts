import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { BlankPage, makeUser } from '../../testing';
import { authGuard, guestGuard, operatorGuard } from './auth-guard';
import { authInterceptor } from './auth-interceptor';
import { AuthService, TOKEN_STORAGE_KEY } from './auth-service';
import { roleGuard } from './role-guard';

describe('route guards', () => {
  let backend: HttpTestingController;
  let harness: RouterTestingHarness;
  let router: Router;

  async function setUp(token: string | null): Promise<void> {
    localStorage.clear();
    if (token) localStorage.setItem(TOKEN_STORAGE_KEY, token);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', canActivate: [guestGuard], component: BlankPage },
          {
            path: 'platform',
            canActivate: [operatorGuard],
            children: [
              { path: '', component: BlankPage },
              { path: 'organizations', component: BlankPage },
            ],
          },
          {
            path: '',
            canActivate: [authGuard],
            children: [
              { path: 'dashboard', component: BlankPage },
              { path: 'history', component: BlankPage },
              {
                path: 'admin/users',
                canActivate: [roleGuard('owner', 'admin')],
                component: BlankPage,
              },
            ],
          },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    harness = await RouterTestingHarness.create();
  }

  /** Starts a navigation, answers /api/auth/me if asked, and waits for the result. */
  async function navigate(url: string, me?: { status: number; body: object }): Promise<void> {
    const done = harness.navigateByUrl(url);
    await new Promise((resolve) => setTimeout(resolve));
    if (me) {
      backend
        .expectOne('/api/auth/me')
        .flush(me.body, { status: me.status, statusText: me.status === 200 ? 'OK' : 'Error' });
    }
    await done;
  }

  afterEach(() => backend.verify());

  it('sends a signed-out visitor to /login with the page they asked for', async () => {
    await setUp(null);

    await navigate('/history?status=failed');

    expect(router.url).toBe('/login?returnUrl=%2Fhistory%3Fstatus%3Dfailed');
  });

  it('lets a signed-in user through, loading their profile once', async () => {
    await setUp('jwt-ok');

    await navigate('/history', { status: 200, body: makeUser() });

    expect(router.url).toBe('/history');
    expect(TestBed.inject(AuthService).user()?.email).toBe('admin@demo.test');

    await navigate('/dashboard'); // profile known: no second request
    expect(router.url).toBe('/dashboard');
  });

  it('a token the server rejects ends on the login page, signed out', async () => {
    await setUp('jwt-expired');

    await navigate('/dashboard', { status: 401, body: { message: 'Unauthorized' } });
    await new Promise((resolve) => setTimeout(resolve));

    expect(router.url).toBe('/login?returnUrl=%2Fdashboard');
    expect(TestBed.inject(AuthService).token()).toBeNull();
  });

  it('keeps agents out of admin pages', async () => {
    await setUp('jwt-agent');

    await navigate('/admin/users', { status: 200, body: makeUser({ role: 'agent' }) });

    expect(router.url).toBe('/dashboard');
  });

  it('lets owners and admins into admin pages', async () => {
    await setUp('jwt-owner');

    await navigate('/admin/users', { status: 200, body: makeUser({ role: 'owner' }) });

    expect(router.url).toBe('/admin/users');
  });

  it('sends a signed-in user away from the login page', async () => {
    await setUp('jwt-ok');

    await navigate('/login', { status: 200, body: makeUser() });

    expect(router.url).toBe('/dashboard');
  });

  describe('the platform operator', () => {
    const operator = {
      ...makeUser({ email: 'operator@demo.test', name: 'Olga Operator' }),
      role: 'operator',
      organization: null,
    };

    it('reaches /platform; an organization page sends it there', async () => {
      await setUp('jwt-operator');

      await navigate('/history', { status: 200, body: operator });
      expect(router.url).toBe('/platform');

      await navigate('/platform/organizations');
      expect(router.url).toBe('/platform/organizations');
      // Not an organization member: the member-only signal stays empty.
      expect(TestBed.inject(AuthService).user()).toBeNull();
      expect(TestBed.inject(AuthService).sessionUser()?.role).toBe('operator');
    });

    it('is sent from the login page to /platform, and kept out of admin pages', async () => {
      await setUp('jwt-operator');

      await navigate('/login', { status: 200, body: operator });
      expect(router.url).toBe('/platform');

      await navigate('/admin/users');
      expect(router.url).toBe('/platform');
    });

    it('keeps organization members out of /platform', async () => {
      await setUp('jwt-owner');

      await navigate('/platform/organizations', {
        status: 200,
        body: makeUser({ role: 'owner' }),
      });

      expect(router.url).toBe('/dashboard');
    });

    it('sends a signed-out visitor of /platform to the login page', async () => {
      await setUp(null);

      await navigate('/platform/organizations');

      expect(router.url).toBe('/login?returnUrl=%2Fplatform%2Forganizations');
    });
  });
});
