import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { Role } from '../../core/auth/user';
import { makeCall, makeUser } from '../../testing';
import { phoneNumberValidator } from '../phone/phone-number-validator';
import { InitiateCallDialog } from './initiate-call-dialog';
import { FormControl } from '@angular/forms';

describe('InitiateCallDialog', () => {
  let fixture: ComponentFixture<InitiateCallDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const dialogRef = { close: vi.fn(), disableClose: false };

  const CALLER_IDS = [
    { id: 'c1', number: '+14155550142', label: 'Main line', createdAt: '2026-01-01T00:00:00Z' },
    { id: 'c2', number: '+14155550143', label: 'Support', createdAt: '2026-01-01T00:00:00Z' },
  ];

  async function open(
    providers: string[] = ['simulator'],
    callerIds: typeof CALLER_IDS = [],
    role: Role = 'admin',
  ): Promise<void> {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    TestBed.inject(AuthService).loadMe().subscribe();
    backend.expectOne('/api/auth/me').flush(makeUser({ role }));
    fixture = TestBed.createComponent(InitiateCallDialog);
    page = fixture.nativeElement as HTMLElement;
    backend.expectOne('/api/caller-ids').flush({ items: callerIds, nextCursor: null });
    backend
      .expectOne('/api/voice/config')
      .flush({ twilio: { enabled: true, identity: 'abc' }, providers });
    await fixture.whenStable();
  }

  beforeEach(() => {
    dialogRef.close.mockReset();
    TestBed.configureTestingModule({
      imports: [InitiateCallDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  const byTestId = <T extends HTMLElement>(id: string) =>
    page.querySelector<T>(`[data-testid="${id}"]`);

  function type(id: string, value: string): void {
    const input = byTestId<HTMLInputElement>(id)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit(): Promise<void> {
    byTestId<HTMLButtonElement>('initiate-call-submit')!.click();
    await fixture.whenStable();
  }

  const errors = () =>
    Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());

  it('asks for a number that looks like a phone number before calling the server', async () => {
    await open();

    await submit();
    expect(errors()).toEqual(['Enter the number to call']);

    type('initiate-call-to', '12ab');
    type('initiate-call-talk-seconds', '2.5');
    await submit();
    expect(errors()).toEqual([
      'Enter a phone number, e.g. +14155550100',
      '0 to 14400 whole seconds',
    ]);
    // Focus lands on the first field in error.
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.activeElement).toBe(byTestId('initiate-call-to'));
    backend.expectNone('/api/calls');
  });

  it('offers the dialer’s caller IDs with the dialer’s default (the first), and sends it', async () => {
    await open(['simulator'], CALLER_IDS);
    expect(byTestId('initiate-call-from')).toBeNull();
    expect(byTestId('initiate-call-caller-id')?.textContent).toContain('+1 415-555-0142');

    type('initiate-call-to', '+14155550100');
    await submit();
    const req = backend.expectOne('/api/calls');
    expect(req.request.body).toMatchObject({ to: '+14155550100', from: '+14155550142' });
    req.flush(makeCall(), { status: 201, statusText: 'Created' });
  });

  it('asks Exotel calls for the agent’s own phone, checked like a number', async () => {
    await open(['exotel'], CALLER_IDS);
    type('initiate-call-to', '+14155550100');
    type('initiate-call-from', 'reception');
    await submit();
    expect(errors()).toEqual(['Enter a phone number, or leave it empty']);
    backend.expectNone('/api/calls');
  });

  it('recognises phone numbers in international and national formats', () => {
    const valid = (value: string) =>
      phoneNumberValidator(new FormControl(value, { nonNullable: true })) === null;
    expect(valid('+14155550100')).toBe(true);
    expect(valid('+1 (415) 555-0100')).toBe(true);
    expect(valid('098765 43210')).toBe(true);
    expect(valid('')).toBe(true); // "required" speaks for empty values
    expect(valid('12345')).toBe(false);
    expect(valid('+1415abc0100')).toBe(false);
    expect(valid('+1234567890123456')).toBe(false);
  });

  it('offers the enabled server-side providers, never Twilio', async () => {
    await open(['twilio', 'exotel', 'simulator']);

    const component = fixture.componentInstance as unknown as {
      providers: () => readonly string[];
    };
    expect(component.providers()).toEqual(['exotel', 'simulator']);
    expect(byTestId('initiate-call-simulator')).not.toBeNull();
  });

  it('places a simulated call and closes with it', async () => {
    await open();
    type('initiate-call-to', ' +14155550100 ');
    type('initiate-call-talk-seconds', '20');
    await submit();

    const req = backend.expectOne('/api/calls');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      provider: 'simulator',
      to: '+14155550100',
      scenario: 'random',
      talkSeconds: 20,
    });
    const call = makeCall({ status: 'initiated' });
    req.flush(call, { status: 201, statusText: 'Created' });

    expect(dialogRef.close).toHaveBeenCalledWith(call);
  });

  it('keeps the dialog open and shows the server error', async () => {
    await open();
    type('initiate-call-to', '123456');
    await submit();

    backend.expectOne('/api/calls').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'to must be a valid phone number, e.g. +14155550100',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();

    expect(byTestId('initiate-call-error')?.textContent).toContain(
      'to must be a valid phone number',
    );
    expect(errors()).toEqual(['Check this number']);
    expect(dialogRef.close).not.toHaveBeenCalled();
    expect(byTestId<HTMLButtonElement>('initiate-call-submit')!.disabled).toBe(false);
  });

  it('shows why the server refused the call for want of money (402), with the way to the wallet', async () => {
    await open();
    type('initiate-call-to', '+14155550100');
    await submit();
    backend.expectOne('/api/calls').flush(
      {
        statusCode: 402,
        error: 'Payment Required',
        message:
          'Insufficient balance: a call to +14155550100 needs at least $0.0013 USD; available $0.00 USD',
      },
      { status: 402, statusText: 'Payment Required' },
    );
    await fixture.whenStable();

    expect(byTestId('initiate-call-error')?.textContent).toContain(
      'Insufficient balance: a call to +14155550100 needs at least $0.0013 USD',
    );
    expect(byTestId('initiate-call-wallet-link')?.getAttribute('href')).toBe('/wallet');
    expect(dialogRef.close).not.toHaveBeenCalled();

    await submit();
    backend.expectOne('/api/calls').flush(
      {
        statusCode: 402,
        message: 'No rate for +14155550100: calls to this destination are not enabled',
      },
      { status: 402, statusText: 'Payment Required' },
    );
    await fixture.whenStable();
    expect(byTestId('initiate-call-error')?.textContent).toContain('No rate for +14155550100');
    expect(byTestId('initiate-call-wallet-link')).toBeNull();
  });

  it('tells an agent refused for want of money to ask an admin, with no link to top up', async () => {
    await open(['simulator'], [], 'agent');
    type('initiate-call-to', '+14155550100');
    await submit();
    backend
      .expectOne('/api/calls')
      .flush(
        { statusCode: 402, message: 'Insufficient balance: a call to +14155550100 needs $0.01' },
        { status: 402, statusText: 'Payment Required' },
      );
    await fixture.whenStable();
    expect(byTestId('initiate-call-wallet-link')).toBeNull();
    expect(byTestId('initiate-call-ask-admin')?.textContent).toContain('Ask an admin');
  });
});
