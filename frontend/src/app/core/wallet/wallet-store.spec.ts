import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { makeWallet } from '../../testing';
import { WalletStore } from './wallet-store';

describe('WalletStore', () => {
  let store: WalletStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(WalletStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('loads the wallet once for everyone who asks', () => {
    store.ensureLoaded();
    store.ensureLoaded();
    expect(store.loading()).toBe(true);
    backend.expectOne('/api/wallet').flush(makeWallet({ availableMicros: '25000000' }));

    expect(store.loading()).toBe(false);
    expect(store.wallet()?.availableMicros).toBe('25000000');
    store.ensureLoaded();
    backend.expectNone('/api/wallet');
  });

  it('applies a pushed balance and works out the low-balance flag with exact arithmetic', () => {
    store.refresh();
    backend
      .expectOne('/api/wallet')
      .flush(makeWallet({ lowBalanceThresholdMicros: '9007199254740993', lowBalance: false }));

    // One micro below a threshold past 2^53: a float comparison would call these equal.
    store.apply({
      balanceMicros: '9007199254740992',
      heldMicros: '0',
      availableMicros: '9007199254740992',
    });
    expect(store.lowBalance()).toBe(true);
    expect(store.wallet()).toMatchObject({
      balanceMicros: '9007199254740992',
      heldMicros: '0',
      availableMicros: '9007199254740992',
      formatted: { available: '9007199254.740992' },
    });

    store.apply({
      balanceMicros: '9007199254740993',
      heldMicros: '0',
      availableMicros: '9007199254740993',
    });
    expect(store.lowBalance()).toBe(false);
  });

  it('keeps a push that arrives while a refresh is in flight', () => {
    store.refresh();
    backend.expectOne('/api/wallet').flush(makeWallet({ availableMicros: '25000000' }));

    store.refresh();
    store.apply({ balanceMicros: '24990000', heldMicros: '1000000', availableMicros: '23990000' });
    // The response may have been read before the change that was pushed.
    backend
      .expectOne('/api/wallet')
      .flush(
        makeWallet({ balanceMicros: '25000000', heldMicros: '0', availableMicros: '25000000' }),
      );

    expect(store.wallet()).toMatchObject({
      balanceMicros: '24990000',
      heldMicros: '1000000',
      availableMicros: '23990000',
    });
  });

  it('keeps the last wallet and reports the error when a refresh fails', () => {
    store.refresh();
    backend.expectOne('/api/wallet').flush(makeWallet());
    store.refresh();
    backend
      .expectOne('/api/wallet')
      .flush(
        { statusCode: 503, message: 'Database unavailable' },
        { status: 503, statusText: 'x' },
      );

    expect(store.wallet()).not.toBeNull();
    expect(store.error()).toBe('Database unavailable');
  });

  it('forgets the wallet on sign-out', () => {
    store.refresh();
    backend.expectOne('/api/wallet').flush(makeWallet());
    store.clear();
    expect(store.wallet()).toBeNull();
    store.apply({ balanceMicros: '1', heldMicros: '0', availableMicros: '1' });
    expect(store.wallet()).toBeNull();
  });
});
