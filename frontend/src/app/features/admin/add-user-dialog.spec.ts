import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';

import { makeUser } from '../../testing';
import { AddUserDialog } from './add-user-dialog';

describe('AddUserDialog', () => {
  let fixture: ComponentFixture<AddUserDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const dialogRef = { close: vi.fn(), disableClose: false };

  beforeEach(async () => {
    dialogRef.close.mockReset();
    TestBed.configureTestingModule({
      imports: [AddUserDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AddUserDialog);
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
    page.querySelector<HTMLButtonElement>('[data-testid="add-user-submit"]')!.click();
    await fixture.whenStable();
  }

  const errors = () =>
    Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());

  it('validates every field before calling the server', async () => {
    type('add-user-email', 'nope');
    type('add-user-password', 'short');
    await submit();

    expect(errors()).toEqual([
      "Enter the user's name",
      'Enter a valid email',
      'Use at least 8 characters',
    ]);
    backend.expectNone('/api/users');
  });

  it('creates the user (as an agent by default) and closes with it', async () => {
    type('add-user-name', ' Grace Hopper ');
    type('add-user-email', 'grace@demo.test');
    type('add-user-password', 'long-enough');
    await submit();

    const req = backend.expectOne('/api/users');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      name: 'Grace Hopper',
      email: 'grace@demo.test',
      role: 'agent',
      password: 'long-enough',
    });
    const created = makeUser({
      id: 'u-new',
      name: 'Grace Hopper',
      email: 'grace@demo.test',
      role: 'agent',
    });
    req.flush(created, { status: 201, statusText: 'Created' });

    expect(dialogRef.close).toHaveBeenCalledWith(created);
  });

  it('keeps the dialog open and shows a conflict from the server', async () => {
    type('add-user-name', 'Ada');
    type('add-user-email', 'admin@demo.test');
    type('add-user-password', 'long-enough');
    await submit();

    backend
      .expectOne('/api/users')
      .flush(
        { statusCode: 409, error: 'Conflict', message: 'Email already in use' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();

    expect(errors()).toContain('This email is already in use');
    // Said once: on the field, not again in the dialog's alert.
    expect(page.querySelector('[data-testid="add-user-error"]')).toBeNull();
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
