import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { Role } from '../../core/auth/user';
import { makeCall, makeTransaction, makeUser, makeWallet } from '../../testing';
import { WalletPage } from './wallet-page';

const CALL_ID = '5708fb09-f909-4626-a386-61c7792ab14a';

describe('WalletPage', () => {
  let fixture: ComponentFixture<WalletPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  async function render(role: Role, wallet = makeWallet()): Promise<void> {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    TestBed.configureTestingModule({
      imports: [WalletPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadMe().subscribe();
    backend.expectOne('/api/auth/me').flush(makeUser({ role }));

    fixture = TestBed.createComponent(WalletPage);
    page = fixture.nativeElement as HTMLElement;
    backend.expectOne('/api/wallet').flush(wallet);
    await fixture.whenStable();
    backend
      .expectOne((req) => req.url === '/api/wallet/transactions')
      .flush({
        items: [
          makeTransaction({
            id: 't-release',
            kind: 'release',
            callId: CALL_ID,
            balanceChangeMicros: '0',
            heldChangeMicros: '-3113500',
            availableChangeMicros: '3113500',
          }),
          makeTransaction({
            id: 't-capture',
            kind: 'capture',
            callId: CALL_ID,
            balanceChangeMicros: '-6500',
            heldChangeMicros: '-6500',
            availableChangeMicros: '0',
          }),
          makeTransaction({ id: 't-topup', reason: 'Invoice 1042' }),
        ],
        nextCursor: 'next',
      });
    await fixture.whenStable();
    // The numbers of the calls named by the transactions: one history request.
    backend
      .expectOne((req) => req.url === '/api/calls' && req.params.get('limit') === '200')
      .flush({ items: [makeCall({ id: CALL_ID, to: '+14155550100' })], nextCursor: null });
    await fixture.whenStable();
    // Owners and admins also see the top-up payments (reloaded whenever the wallet changes).
    for (const req of backend.match('/api/wallet/payments')) req.flush({ items: [] });
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  const byTestId = (id: string) => page.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim();

  it('shows the balance, what is held and what is available, to the cent', async () => {
    await render(
      'admin',
      makeWallet({ balanceMicros: '34993500', heldMicros: '3120000', availableMicros: '31873500' }),
    );

    expect(text('wallet-balance')).toBe('$34.99');
    expect(text('wallet-held')).toBe('$3.12');
    expect(text('wallet-available')).toBe('$31.87');
    expect(byTestId('wallet-low-banner')).toBeNull();
    expect(byTestId('wallet-topup-button')).not.toBeNull();
  });

  it('lists the transactions with their changes and links to their call', async () => {
    await render('admin');

    const rows = Array.from(page.querySelectorAll<HTMLElement>('[data-testid="transaction-row"]'));
    const cell = (row: HTMLElement, id: string) =>
      row.querySelector(`[data-testid="${id}"]`)!.textContent!.replace(/\s+/g, ' ').trim();
    expect(rows.map((row) => cell(row, 'transaction-kind'))).toEqual([
      'Release',
      'Capture',
      'Top-up',
    ]);
    expect(cell(rows[0], 'transaction-available-change')).toBe('+$3.1135');
    expect(cell(rows[0], 'transaction-balance-change')).toBe('—');
    expect(cell(rows[1], 'transaction-balance-change')).toBe('-$0.0065');
    expect(cell(rows[2], 'transaction-description')).toBe('Invoice 1042');
    const link = rows[1].querySelector<HTMLAnchorElement>('[data-testid="transaction-call-link"]')!;
    expect(link.textContent).toContain('Call to +14155550100');
    expect(link.getAttribute('href')).toBe(`/history?call=${CALL_ID}`);
    expect(byTestId('wallet-transactions-load-more')).not.toBeNull();
    expect(text('wallet-transactions-scope')).toBe(
      "Every movement of the wallet's money, newest first.",
    );
    expect(page.querySelector('th.mat-column-balanceAfter')).not.toBeNull();
  });

  it('warns when the balance is low, and shows agents no top-up', async () => {
    await render(
      'agent',
      makeWallet({
        availableMicros: '1200000',
        lowBalanceThresholdMicros: '5000000',
        lowBalance: true,
      }),
    );

    expect(text('wallet-low-banner')).toContain(
      '$1.20 available, below the warning threshold of $5.00',
    );
    expect(byTestId('wallet-topup-button')).toBeNull();
    expect(byTestId('wallet-threshold-input')).toBeNull();
    expect(text('wallet-threshold')).toBe('$5.00');
    // Agents see the money of their own calls only: said so, and no wallet-wide running balance.
    expect(text('wallet-transactions-scope')).toBe(
      'The money of your own calls, newest first. Admins see every movement of the wallet.',
    );
    expect(page.querySelector('th.mat-column-balanceAfter')).toBeNull();
    expect(page.querySelector('th.mat-column-balanceChange')).not.toBeNull();
  });

  it('says next to the field, as it is typed, why a negative threshold cannot be saved', async () => {
    await render('admin');
    const input = byTestId('wallet-threshold-input') as HTMLInputElement;
    input.value = '-5';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();

    expect(text('wallet-threshold-field-error')).toBe('Enter a positive amount');
    const save = byTestId('wallet-threshold-save') as HTMLButtonElement;
    expect(save.disabled).toBe(false);
    save.click();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.activeElement).toBe(input);
    backend.expectNone((req) => req.method === 'PATCH');
  });
});
