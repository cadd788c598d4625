import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { authInterceptor } from '../../core/auth/auth-interceptor';
import { AuthService } from '../../core/auth/auth-service';
import { BlankPage, makeUser } from '../../testing';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [
        provideRouter([
          { path: 'dashboard', component: BlankPage },
          { path: 'history', component: BlankPage },
          { path: 'platform', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LoginPage);
    page = fixture.nativeElement as HTMLElement;
    backend.expectOne('/api/auth/demo-accounts').flush({
      items: [
        { email: 'admin@demo.test', password: 'switchboard-admin', role: 'owner' },
        { email: 'agent@demo.test', password: 'switchboard-agent', role: 'agent' },
      ],
    });
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const byTestId = (id: string) => page.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  function type(id: string, value: string): void {
    const input = byTestId(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  }

  async function submit(): Promise<void> {
    byTestId('login-submit')!.click();
    await fixture.whenStable();
  }

  function errorTexts(): string[] {
    return Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());
  }

  it('asks for the email and the password when submitted empty, without calling the server', async () => {
    await submit();

    expect(errorTexts()).toEqual(['Enter your email', 'Enter your password']);
    backend.expectNone('/api/auth/login');
    // Focus goes to the first field in error.
    await vi.waitFor(() => expect(document.activeElement).toBe(byTestId('login-email')));
  });

  it('rejects a malformed email', async () => {
    type('login-email', 'not-an-email');
    type('login-password', 'whatever');
    await submit();

    expect(errorTexts()).toEqual(['Enter a valid email']);
    backend.expectNone('/api/auth/login');
  });

  it("shows the server's message when the credentials are wrong", async () => {
    type('login-email', 'admin@demo.test');
    type('login-password', 'wrong-password');
    await submit();

    const submitButton = byTestId('login-submit') as HTMLButtonElement;
    expect(submitButton.disabled).toBe(true);
    expect(submitButton.textContent).toContain('Signing in');
    expect(page.querySelector('mat-progress-spinner')).not.toBeNull();

    const req = backend.expectOne('/api/auth/login');
    expect(req.request.body).toEqual({ email: 'admin@demo.test', password: 'wrong-password' });
    req.flush(
      { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await fixture.whenStable();

    expect(byTestId('login-error')?.textContent).toContain('Invalid email or password');
    expect(submitButton.disabled).toBe(false);
    // Focus on the password, to type it again (not left on <body>).
    await vi.waitFor(() => expect(document.activeElement).toBe(byTestId('login-password')));
    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(false);
  });

  it('explains a rate limit', async () => {
    type('login-email', 'admin@demo.test');
    type('login-password', 'wrong-password');
    await submit();

    backend
      .expectOne('/api/auth/login')
      .flush('', { status: 429, statusText: 'Too Many Requests' });
    await fixture.whenStable();

    expect(byTestId('login-error')?.textContent).toContain('Too many attempts');
  });

  it('signs in and goes to the return URL', async () => {
    fixture.componentRef.setInput('returnUrl', '/history?status=failed');
    type('login-email', 'admin@demo.test');
    type('login-password', 'switchboard-admin');
    await submit();

    backend.expectOne('/api/auth/login').flush({ accessToken: 'jwt-1', user: makeUser() });
    await fixture.whenStable();

    expect(TestBed.inject(AuthService).token()).toBe('jwt-1');
    expect(TestBed.inject(Router).url).toBe('/history?status=failed');
  });

  it('goes to the dashboard when there is no (safe) return URL', async () => {
    fixture.componentRef.setInput('returnUrl', 'https://evil.example/');
    type('login-email', 'admin@demo.test');
    type('login-password', 'switchboard-admin');
    await submit();

    backend.expectOne('/api/auth/login').flush({ accessToken: 'jwt-1', user: makeUser() });
    await fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/dashboard');
  });

  it('sends the platform operator to /platform', async () => {
    type('login-email', 'operator@demo.test');
    type('login-password', 'switchboard-operator');
    await submit();

    backend.expectOne('/api/auth/login').flush({
      accessToken: 'jwt-1',
      user: { ...makeUser({ email: 'operator@demo.test' }), role: 'operator', organization: null },
    });
    await fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/platform');
  });

  it('lists the demo accounts the server offers and fills the form from them', async () => {
    const hint = byTestId('login-demo-hint');
    expect(hint?.textContent).toContain('admin@demo.test');
    expect(hint?.textContent).toContain('switchboard-agent');

    hint!.querySelectorAll('button')[1].click();
    await fixture.whenStable();

    expect((byTestId('login-email') as HTMLInputElement).value).toBe('agent@demo.test');
    expect((byTestId('login-password') as HTMLInputElement).value).toBe('switchboard-agent');
  });
});
