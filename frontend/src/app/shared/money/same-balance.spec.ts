import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { Shell } from '../../core/shell/shell';
import { DashboardPage } from '../../features/dashboard/dashboard-page';
import { WalletPage } from '../../features/wallet/wallet-page';
import { FakeSockets, makeMetrics, makeUser, makeWallet } from '../../testing';
import { configureDisplay } from '../format/display-settings';

/** Issue 15: the same balance read $1,086.5066 in the header and $1,086.506578 on the wallet page. */
describe('one balance, one reading', () => {
  const wallet = makeWallet({
    balanceMicros: '1086506578',
    heldMicros: '19500',
    availableMicros: '1086487078',
  });

  afterEach(() => configureDisplay({ locale: 'en-US', timeZone: undefined, currency: 'USD' }));

  /** Answers every pending request the pages made, by URL, until none is left. */
  async function answerAll(): Promise<void> {
    const backend = TestBed.inject(HttpTestingController);
    for (let round = 0; round < 10; round++) {
      const pending = backend.match(() => true);
      if (!pending.length) return;
      for (const request of pending) {
        if (request.cancelled) continue;
        const url = request.request.url;
        if (url === '/api/wallet') request.flush(wallet);
        else if (url === '/api/dashboard/metrics')
          request.flush(makeMetrics({ balance: { ...wallet } }));
        else if (url === '/api/calls/caller-ids' || url === '/api/users')
          request.flush({ items: [] });
        else request.flush({ items: [], nextCursor: null });
      }
      await new Promise((resolve) => setTimeout(resolve));
    }
  }

  async function readings(locale: string): Promise<string[]> {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    configureDisplay({ locale });
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          {
            path: '',
            component: Shell,
            children: [
              { path: 'wallet', component: WalletPage },
              { path: 'dashboard', component: DashboardPage },
            ],
          },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    TestBed.inject(AuthService).loadMe().subscribe();
    TestBed.inject(HttpTestingController).expectOne('/api/auth/me').flush(makeUser());
    const harness = await RouterTestingHarness.create();
    const text = (id: string) =>
      document.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim();

    await harness.navigateByUrl('/wallet');
    await answerAll();
    harness.detectChanges();
    const header = text('shell-balance')!;
    const walletPage = text('wallet-available')!;
    await harness.navigateByUrl('/dashboard');
    await answerAll();
    harness.detectChanges();
    const tile = text('dashboard-tile-balance')!;
    return [header, walletPage, tile];
  }

  it('reads the same to the cent in the header chip, on the wallet page and on the dashboard tile', async () => {
    const [header, walletPage, tile] = await readings('en-US');
    expect(header).toContain('$1,086.49');
    expect(walletPage).toContain('$1,086.49');
    expect(tile).toContain('$1,086.49');
    for (const text of [header, walletPage, tile]) expect(text).not.toMatch(/1,086\.4\d\d/);
  });

  it("follows the browser's locale everywhere alike", async () => {
    const readingsDe = await readings('de-DE');
    for (const text of readingsDe) expect(text).toContain('1.086,49');
  });
});
