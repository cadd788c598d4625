import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { makeUser } from '../../testing';
import { ChangePasswordPage } from './change-password-page';

describe('ChangePasswordPage', () => {
  let fixture: ComponentFixture<ChangePasswordPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const me = makeUser();

  beforeEach(async () => {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt-old');
    TestBed.configureTestingModule({
      imports: [ChangePasswordPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadMe().subscribe();
    backend.expectOne('/api/auth/me').flush(me);
    fixture = TestBed.createComponent(ChangePasswordPage);
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
    page.querySelector<HTMLButtonElement>('[data-testid="change-password-submit"]')!.click();
    await fixture.whenStable();
  }

  const errors = () =>
    Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());

  it('validates next to the fields before calling the server', async () => {
    type('new-password', 'short');
    type('confirm-password', 'different');
    await submit();
    expect(errors()).toEqual([
      'Enter your current password',
      'Use at least 8 characters',
      'The passwords do not match',
    ]);
    type('current-password', 'same-password');
    type('new-password', 'same-password');
    type('confirm-password', 'same-password');
    await submit();
    expect(errors()).toEqual(['Choose a password other than your current one']);
    backend.expectNone('/api/auth/password');
  });

  it('shows a wrong current password on its field', async () => {
    type('current-password', 'not-it');
    type('new-password', 'a-new-password');
    type('confirm-password', 'a-new-password');
    await submit();
    backend
      .expectOne('/api/auth/password')
      .flush(
        { statusCode: 400, message: 'currentPassword is not your current password' },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(errors()).toEqual(['This is not your current password']);
    expect(page.querySelector('[data-testid="password-error"]')).toBeNull();
  });

  it('changes the password and keeps this session with the fresh token', async () => {
    type('current-password', 'old-password');
    type('new-password', 'a-new-password');
    type('confirm-password', 'a-new-password');
    await submit();
    const req = backend.expectOne('/api/auth/password');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      currentPassword: 'old-password',
      newPassword: 'a-new-password',
    });
    req.flush({ accessToken: 'jwt-fresh', user: me });
    await fixture.whenStable();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-fresh');
    expect(TestBed.inject(AuthService).token()).toBe('jwt-fresh');
    expect(page.querySelector('[data-testid="password-changed"]')).not.toBeNull();
    expect(errors()).toEqual([]);
  });
});
