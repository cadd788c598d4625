import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { WalletStore } from '../../core/wallet/wallet-store';
import { Payment } from '../../core/wallet/wallet';
import { makeWallet } from '../../testing';
import { TopUpDialog } from './top-up-dialog';

const makePayment = (overrides: Partial<Payment> = {}): Payment => ({
  paymentId: '7d4e9a52-3f5b-4c1e-9a3b-2f1c5e8d7a60',
  status: 'pending',
  provider: 'simulator',
  amountMicros: '10000000',
  currency: 'USD',
  checkoutUrl:
    'http://localhost:3000/api/payments/simulator/checkout/7d4e9a52-3f5b-4c1e-9a3b-2f1c5e8d7a60',
  failureReason: null,
  transactionId: null,
  createdAt: '2026-12-02T08:00:00.000Z',
  completedAt: null,
  ...overrides,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('TopUpDialog', () => {
  let fixture: ComponentFixture<TopUpDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const dialogRef = { close: vi.fn(), disableClose: false };

  async function open(): Promise<void> {
    fixture = TestBed.createComponent(TopUpDialog);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  beforeEach(() => {
    dialogRef.close.mockReset();
    TestBed.configureTestingModule({
      imports: [TopUpDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialogRef, useValue: dialogRef },
        { provide: MAT_DIALOG_DATA, useValue: { currency: 'USD' } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  const byTestId = <T extends HTMLElement>(id: string) =>
    page.querySelector<T>(`[data-testid="${id}"]`);

  async function type(id: string, value: string): Promise<void> {
    const input = byTestId<HTMLInputElement>(id)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    byTestId<HTMLButtonElement>('topup-submit')!.click();
    await fixture.whenStable();
  }

  it('starts a payment of the exact micros with an Idempotency-Key, and closes with it', async () => {
    await open();
    await type('topup-amount', '25.50');
    expect(byTestId('topup-submit')!.textContent).toContain('Add $25.50');
    await submit();

    const req = backend.expectOne('/api/wallet/topups');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ amountMicros: '25500000' });
    expect(req.request.headers.get('Idempotency-Key')).toMatch(UUID);
    const payment = makePayment({ amountMicros: '25500000' });
    req.flush(payment, { status: 201, statusText: 'Created' });

    expect(dialogRef.close).toHaveBeenCalledWith(payment);
  });

  it('retries with the same key, so a lost answer never credits twice', async () => {
    await open();
    await byTestId<HTMLButtonElement>('topup-quick-10')!.click();
    await fixture.whenStable();
    await submit();
    // A double click while the request is out sends nothing more.
    await submit();
    const first = backend.expectOne('/api/wallet/topups');
    const key = first.request.headers.get('Idempotency-Key');
    expect(first.request.body).toEqual({ amountMicros: '10000000' });
    first.error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
    await fixture.whenStable();
    expect(byTestId('topup-error')!.textContent).toContain('Cannot reach the server');

    await submit();
    const retry = backend.expectOne('/api/wallet/topups');
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    retry.flush(makePayment(), { status: 201, statusText: 'Created' });
    expect(dialogRef.close).toHaveBeenCalledTimes(1);
  });

  it('uses a new key for every opening of the dialog', async () => {
    const keys: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      await open();
      await type('topup-amount', '10');
      await submit();
      const req = backend.expectOne('/api/wallet/topups');
      keys.push(req.request.headers.get('Idempotency-Key'));
      req.flush(makePayment(), { status: 201, statusText: 'Created' });
    }
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('shows what the server refused and stays open', async () => {
    await open();
    await type('topup-amount', '50');
    await submit();
    backend
      .expectOne('/api/wallet/topups')
      .flush(
        { statusCode: 403, error: 'Forbidden', message: 'Only owners and admins can top up' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();

    expect(byTestId('topup-error')!.textContent).toContain('Only owners and admins can top up');
    expect(dialogRef.close).not.toHaveBeenCalled();
    expect(byTestId<HTMLButtonElement>('topup-submit')!.disabled).toBe(false);
  });

  it('explains a key already used with another amount', async () => {
    await open();
    await type('topup-amount', '50');
    await submit();
    backend.expectOne('/api/wallet/topups').flush(
      {
        statusCode: 409,
        message: 'This Idempotency-Key was already used with a different request',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();

    expect(byTestId('topup-error')!.textContent).toContain('already started');
  });

  it('refuses bad amounts before calling the server', async () => {
    await open();
    for (const [text, message] of [
      ['', 'Enter an amount'],
      ['12.1234567', 'Use at most 6 decimals'],
      ['-5', 'Enter a positive amount'],
      ['0', 'Enter an amount greater than 0'],
    ]) {
      await type('topup-amount', text);
      await submit();
      expect(byTestId('topup-amount-error')?.textContent?.trim()).toBe(message);
    }
    backend.expectNone('/api/wallet/topups');
  });

  it('previews the new balance from the wallet, exactly', async () => {
    TestBed.inject(WalletStore).set(makeWallet({ balanceMicros: '9007199254740993' }));
    await open();
    await type('topup-amount', '0.000007');
    expect(byTestId('topup-new-balance')!.textContent).toContain('$9,007,199,254.741');
  });
});
