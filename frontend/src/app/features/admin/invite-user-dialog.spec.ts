import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { makeUser } from '../../testing';
import { InviteUserDialog, InviteUserDialogData } from './invite-user-dialog';

const LINK = 'http://localhost:3000/setup/' + 'a'.repeat(43);

describe('InviteUserDialog', () => {
  let fixture: ComponentFixture<InviteUserDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const dialogRef = { close: vi.fn(), disableClose: false };
  const clipboard = { copy: vi.fn(() => true) };

  async function open(data: InviteUserDialogData | null = null): Promise<void> {
    dialogRef.close.mockReset();
    dialogRef.disableClose = false;
    clipboard.copy.mockClear();
    TestBed.configureTestingModule({
      imports: [InviteUserDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialogRef, useValue: dialogRef },
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: Clipboard, useValue: clipboard },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(InviteUserDialog);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  afterEach(() => backend.verify());

  function type(id: string, value: string): void {
    const input = page.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function click(id: string): void {
    page.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!.click();
  }

  async function submit(): Promise<void> {
    click('invite-user-submit');
    await fixture.whenStable();
  }

  const errors = () =>
    Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());

  it('validates every field next to it before calling the server; asks no password', async () => {
    await open();
    expect(page.querySelector('input[type="password"]')).toBeNull();
    type('invite-user-email', 'nope');
    await submit();

    expect(errors()).toEqual(["Enter the user's name", 'Enter a valid email']);
    backend.expectNone('/api/users/invitations');
  });

  it('invites the user (an agent by default), then shows the setup link once with a copy button', async () => {
    await open();
    type('invite-user-name', ' Grace Hopper ');
    type('invite-user-email', 'grace@demo.test');
    await submit();

    const req = backend.expectOne('/api/users/invitations');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      name: 'Grace Hopper',
      email: 'grace@demo.test',
      role: 'agent',
    });
    const invited = makeUser({
      id: 'u-new',
      name: 'Grace Hopper',
      email: 'grace@demo.test',
      role: 'agent',
      pending: true,
    });
    req.flush(
      { user: invited, setupUrl: LINK, expiresAt: '2026-12-09T12:00:00.000Z' },
      { status: 201, statusText: 'Created' },
    );
    await fixture.whenStable();

    // Not closed yet: the link is shown, and only an explicit Done closes.
    expect(dialogRef.close).not.toHaveBeenCalled();
    expect(dialogRef.disableClose).toBe(true);
    expect(page.querySelector('[data-testid="setup-link-url"]')!.textContent!.trim()).toBe(LINK);
    click('setup-link-copy');
    await fixture.whenStable();
    expect(clipboard.copy).toHaveBeenCalledWith(LINK);
    expect(page.querySelector('[data-testid="setup-link-copy"]')!.textContent).toContain('Copied');

    click('setup-link-done');
    expect(dialogRef.close).toHaveBeenCalledWith(invited);
  });

  it('shows a taken email on the field, once, and stays open', async () => {
    await open();
    type('invite-user-name', 'Ada');
    type('invite-user-email', 'admin@demo.test');
    await submit();

    backend
      .expectOne('/api/users/invitations')
      .flush(
        { statusCode: 409, error: 'Conflict', message: 'email admin@demo.test is already in use' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();

    expect(errors()).toContain('This email is already in use');
    expect(page.querySelector('[data-testid="invite-user-error"]')).toBeNull();
    expect(dialogRef.close).not.toHaveBeenCalled();
    expect(dialogRef.disableClose).toBe(false);
  });

  it('names what the server refused in the alert', async () => {
    await open();
    type('invite-user-name', 'Otto');
    type('invite-user-email', 'otto@demo.test');
    await submit();
    backend
      .expectOne('/api/users/invitations')
      .flush(
        { statusCode: 403, error: 'Forbidden', message: 'Only an owner can invite another owner' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="invite-user-error"]')!.textContent).toContain(
      'Only an owner can invite another owner',
    );
  });

  it('opened with a re-issued link, shows it at once', async () => {
    const user = makeUser({ id: 'u-p', name: 'Pat Pending', pending: true });
    await open({ user, link: { setupUrl: LINK, expiresAt: '2026-12-09T12:00:00.000Z' } });
    expect(page.querySelector('form')).toBeNull();
    expect(page.textContent).toContain('Pat Pending');
    expect(page.querySelector('[data-testid="setup-link-url"]')!.textContent!.trim()).toBe(LINK);
  });
});
