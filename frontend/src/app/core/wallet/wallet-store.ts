import { Injectable, computed, inject, signal } from '@angular/core';
import { Subscription } from 'rxjs';

import { microsToDecimal } from '../../shared/money/money';
import { ApiError } from '../api/api-error';
import { Wallet, WalletBalanceUpdate } from './wallet';
import { WalletApi } from './wallet-api';

interface WalletState {
  wallet: Wallet | null;
  loading: boolean;
  error: string | null;
}

/**
 * The organization's wallet as a signal, shared by the toolbar chip, the Wallet page, the
 * Dashboard and the Dialer. `refresh()` reads it from the server; `apply()` takes the balance
 * figures of a `wallet:updated` push.
 */
@Injectable({ providedIn: 'root' })
export class WalletStore {
  private readonly api = inject(WalletApi);

  private readonly state = signal<WalletState>({ wallet: null, loading: false, error: null });
  private request?: Subscription;
  /** Bumped by every push, to tell whether one arrived while a refresh was in flight. */
  private pushes = 0;
  private lastPush: WalletBalanceUpdate | null = null;

  readonly wallet = computed(() => this.state().wallet);
  readonly loading = computed(() => this.state().loading);
  readonly error = computed(() => this.state().error);
  readonly lowBalance = computed(() => this.state().wallet?.lowBalance ?? false);

  /** Loads the wallet unless it is loaded or loading already. */
  ensureLoaded(): void {
    const { wallet, loading } = this.state();
    if (!wallet && !loading) this.refresh();
  }

  refresh(): void {
    this.request?.unsubscribe();
    const pushesBefore = this.pushes;
    this.state.update((state) => ({ ...state, loading: true, error: null }));
    this.request = this.api.get().subscribe({
      next: (wallet) => {
        // Every committed change is pushed after its commit, so a push that arrived during the
        // request is at least as new as the response, or a later push will correct it.
        const pushed = this.pushes !== pushesBefore ? this.lastPush : null;
        this.state.set({
          wallet: pushed ? withBalance(wallet, pushed) : wallet,
          loading: false,
          error: null,
        });
      },
      error: (err: unknown) =>
        this.state.update((state) => ({
          ...state,
          loading: false,
          error: ApiError.message(err, 'Could not load the wallet.'),
        })),
    });
  }

  /** Takes the figures of a `wallet:updated` push. */
  apply(update: WalletBalanceUpdate): void {
    this.pushes++;
    this.lastPush = update;
    this.state.update((state) =>
      state.wallet ? { ...state, wallet: withBalance(state.wallet, update) } : state,
    );
  }

  /** Takes a wallet the server returned (e.g. after changing its settings). */
  set(wallet: Wallet): void {
    this.state.update((state) => ({ ...state, wallet, error: null }));
  }

  /** Forgets the wallet (sign-out). */
  clear(): void {
    this.request?.unsubscribe();
    this.lastPush = null;
    this.state.set({ wallet: null, loading: false, error: null });
  }
}

/** The wallet with new balance figures; the low-balance flag and the texts follow them. */
function withBalance(wallet: Wallet, update: WalletBalanceUpdate): Wallet {
  return {
    ...wallet,
    balanceMicros: update.balanceMicros,
    heldMicros: update.heldMicros,
    availableMicros: update.availableMicros,
    lowBalance: BigInt(update.availableMicros) < BigInt(wallet.lowBalanceThresholdMicros),
    formatted: {
      ...wallet.formatted,
      balance: microsToDecimal(update.balanceMicros),
      held: microsToDecimal(update.heldMicros),
      available: microsToDecimal(update.availableMicros),
    },
  };
}
