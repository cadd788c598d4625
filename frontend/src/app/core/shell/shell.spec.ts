import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { AuthService, TOKEN_STORAGE_KEY } from '../auth/auth-service';
import { Role } from '../auth/user';
import { WalletStore } from '../wallet/wallet-store';
import { CallView } from '../calls/call';
import { BlankPage, FakeSockets, makeCall, makeUser, makeWallet } from '../../testing';
import { Shell, initialsOf } from './shell';

describe('Shell', () => {
  let sockets: FakeSockets;

  async function render(role: Role): Promise<HTMLElement> {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: BlankPage },
          { path: '', component: Shell, children: [{ path: '**', component: BlankPage }] },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    TestBed.inject(AuthService).loadMe().subscribe();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/me')
      .flush(makeUser({ role, name: 'Grace Hopper', email: 'grace@demo.test' }));
    const harness = await RouterTestingHarness.create('/dashboard');
    return harness.routeNativeElement!.ownerDocument.body;
  }

  const navIds = (root: HTMLElement) =>
    Array.from(root.querySelectorAll('[data-testid^="nav-"]:not([data-testid="nav-toggle"])')).map(
      (el) => el.getAttribute('data-testid'),
    );

  it('shows the user, the organization and every section to an admin', async () => {
    const root = await render('admin');

    expect(root.querySelector('[data-testid="shell-user"]')?.textContent).toContain('Grace Hopper');
    expect(root.querySelector('[data-testid="shell-user"]')?.textContent).toContain(
      'grace@demo.test',
    );
    expect(root.querySelector('[data-testid="shell-user-role"]')?.textContent).toContain('Admin');
    expect(root.querySelector('[data-testid="shell-org"]')?.textContent).toContain('Demo Org');
    expect(navIds(root)).toEqual([
      'nav-dashboard',
      'nav-dialer',
      'nav-history',
      'nav-contacts',
      'nav-billing',
      'nav-wallet',
      'nav-campaigns',
      'nav-admin',
      'nav-do-not-call',
      'nav-webhook-events',
      'nav-audit',
      'nav-webhooks',
      'nav-providers',
    ]);
    expect(root.querySelector('[data-testid="nav-dashboard"]')?.getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('shows API keys to owners only', async () => {
    const root = await render('owner');
    expect(navIds(root)).toEqual(expect.arrayContaining(['nav-audit', 'nav-api-keys']));
  });

  it('starts with a skip link that moves focus to the page', async () => {
    const root = await render('agent');
    const focusable = root.querySelector<HTMLElement>('a[href], button');
    expect(focusable?.getAttribute('data-testid')).toBe('skip-link');
    expect(focusable?.textContent).toContain('Skip to content');
    focusable!.click();
    expect(root.ownerDocument.activeElement?.id).toBe('main-content');
  });

  it('shows the call bar for the agent’s live call found after a reload', async () => {
    const root = await render('agent');
    const backend = TestBed.inject(HttpTestingController);
    const live = backend.expectOne((r) => r.url === '/api/calls');
    expect(live.request.params.get('status')).toBe('initiated,ringing,in_progress');
    live.flush({
      items: [
        makeCall({
          status: 'in_progress',
          answeredAt: new Date(Date.now() - 5000).toISOString(),
          endedAt: null,
          costMicros: null,
          contact: { id: 'c1', name: 'Asha Rao' } as CallView['contact'],
        }),
      ],
      nextCursor: null,
    });
    backend.match((r) => r.url === '/api/billing/quote');
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="call-bar"]')?.getAttribute('data-status')).toBe(
        'in_progress',
      ),
    );
    expect(root.querySelector('[data-testid="call-bar-who"]')?.textContent).toContain('Asha Rao');
    expect(root.querySelector('[data-testid="call-bar-timer"]')?.textContent).toMatch(/0:0[4-6]/);
    expect(root.querySelector('[data-testid="call-bar-hangup"]')).not.toBeNull();
  });

  it('hides Admin from agents', async () => {
    const root = await render('agent');

    expect(navIds(root)).not.toContain('nav-admin');
    expect(navIds(root)).not.toContain('nav-webhook-events');
    expect(navIds(root)).not.toContain('nav-do-not-call');
    expect(navIds(root)).toHaveLength(6);
  });

  it('shows the available balance, warning-coloured when low, linking to the wallet', async () => {
    const root = await render('agent');
    const backend = TestBed.inject(HttpTestingController);
    backend.expectOne('/api/wallet').flush(makeWallet({ availableMicros: '34993500' }));
    await new Promise((resolve) => setTimeout(resolve));

    const chip = () => root.querySelector<HTMLAnchorElement>('[data-testid="shell-balance"]')!;
    expect(chip().textContent).toContain('$34.99');
    expect(chip().getAttribute('href')).toBe('/wallet');
    expect(chip().classList).not.toContain('low');

    TestBed.inject(WalletStore).apply({
      balanceMicros: '4000000',
      heldMicros: '0',
      availableMicros: '4000000',
    });
    await new Promise((resolve) => setTimeout(resolve));
    expect(chip().textContent).toContain('$4.00');
    expect(chip().classList).toContain('low');
  });

  it('connects for live updates, shows the connection state and applies pushed balances', async () => {
    const root = await render('agent');
    TestBed.inject(HttpTestingController)
      .expectOne('/api/wallet')
      .flush(makeWallet({ availableMicros: '25000000' }));
    const indicator = () => root.querySelector<HTMLElement>('[data-testid="realtime-status"]')!;
    const settle = () => new Promise((resolve) => setTimeout(resolve));

    expect(sockets.last.options.auth).toEqual({ token: 'jwt' });
    await settle();
    expect(indicator().getAttribute('data-status')).toBe('connecting');

    sockets.last.accept();
    await settle();
    expect(indicator().getAttribute('data-status')).toBe('connected');
    expect(indicator().textContent).toContain('Live');

    sockets.last.push('wallet:updated', {
      balanceMicros: '24993500',
      heldMicros: '1000000',
      availableMicros: '23993500',
    });
    await settle();
    expect(root.querySelector('[data-testid="shell-balance"]')?.textContent).toContain('$23.99');

    sockets.last.drop();
    await settle();
    expect(indicator().getAttribute('data-status')).toBe('reconnecting');
    expect(indicator().textContent).toContain('Reconnecting…');

    // Back without the missed events: the wallet is read again.
    sockets.last.accept(false);
    TestBed.inject(HttpTestingController).expectOne('/api/wallet').flush(makeWallet());
  });

  it('signs out from the account menu', async () => {
    const root = await render('owner');

    root.querySelector<HTMLElement>('[data-testid="shell-user"]')!.click();
    document.querySelector<HTMLElement>('[data-testid="logout"]')!.click();
    await new Promise((resolve) => setTimeout(resolve));

    expect(TestBed.inject(AuthService).isAuthenticated()).toBe(false);
    expect(TestBed.inject(WalletStore).wallet()).toBeNull();
    expect(sockets.last.disconnected).toBe(true);
    expect(TestBed.inject(Router).url).toBe('/login');
  });
});

describe('initialsOf', () => {
  it.each([
    ['Grace Hopper', 'GH'],
    ['Ada King Lovelace', 'AL'],
    ['cher', 'CH'],
    ['agent@demo.test', 'AG'],
    ['', '?'],
  ])('%s → %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});
