import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, Router, convertToParamMap, provideRouter } from '@angular/router';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { makeUser } from '../../testing';
import { SetupPage } from './setup-page';

const TOKEN = 'a'.repeat(43);

describe('SetupPage', () => {
  let fixture: ComponentFixture<SetupPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [SetupPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: { snapshot: { paramMap: convertToParamMap({ token: TOKEN }) } },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SetupPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  function type(id: string, value: string): void {
    const input = page.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit(): Promise<void> {
    page.querySelector<HTMLButtonElement>('[data-testid="setup-submit"]')!.click();
    await fixture.whenStable();
  }

  const errors = () =>
    Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());

  async function linkWorks(): Promise<void> {
    backend.expectOne(`/api/auth/setup/${TOKEN}`).flush({
      email: 'ivy@demo.test',
      name: 'Ivy',
      role: 'agent',
      organizationName: 'Demo Org',
      expiresAt: '2026-12-09T12:00:00.000Z',
    });
    await fixture.whenStable();
  }

  it('says who the link is for, validates next to the fields, sets the password and lands signed in', async () => {
    await linkWorks();
    expect(page.querySelector('[data-testid="setup-who"]')!.textContent).toContain('Demo Org');
    expect(page.querySelector<HTMLInputElement>('[data-testid="setup-email"]')!.value).toBe(
      'ivy@demo.test',
    );

    type('setup-password', 'short');
    type('setup-confirm', 'other');
    await submit();
    expect(errors()).toEqual(['Use at least 8 characters', 'The passwords do not match']);
    backend.expectNone({ method: 'POST' });

    type('setup-password', 'ivy-password-1');
    type('setup-confirm', 'ivy-password-1');
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await submit();
    const req = backend.expectOne({ method: 'POST', url: `/api/auth/setup/${TOKEN}` });
    expect(req.request.body).toEqual({ password: 'ivy-password-1' });
    const user = makeUser({ email: 'ivy@demo.test', role: 'agent' });
    req.flush({ accessToken: 'jwt-new', user });
    await fixture.whenStable();

    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-new');
    expect(TestBed.inject(AuthService).user()).toEqual(user);
    expect(navigate).toHaveBeenCalledWith('/dashboard');
  });

  it('shows why a used or expired link cannot be used, with the way to sign in', async () => {
    backend.expectOne(`/api/auth/setup/${TOKEN}`).flush(
      {
        statusCode: 410,
        message: 'This setup link was already used: sign in with the password chosen then',
      },
      { status: 410, statusText: 'Gone' },
    );
    await fixture.whenStable();
    const problem = page.querySelector('[data-testid="setup-unusable"]')!;
    expect(problem.textContent).toContain('already used');
    expect(problem.querySelector('a[href="/login"]')).not.toBeNull();
    expect(page.querySelector('form')).toBeNull();
  });

  it('a link used meanwhile (410 on submit) switches to the explanation', async () => {
    await linkWorks();
    type('setup-password', 'ivy-password-1');
    type('setup-confirm', 'ivy-password-1');
    await submit();
    backend
      .expectOne({ method: 'POST', url: `/api/auth/setup/${TOKEN}` })
      .flush(
        { statusCode: 410, message: 'This setup link was already used' },
        { status: 410, statusText: 'Gone' },
      );
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="setup-unusable"]')!.textContent).toContain(
      'already used',
    );
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });
});
