import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { ApiError } from '../../core/api/api-error';
import { Payment } from '../../core/wallet/wallet';
import { WalletApi } from '../../core/wallet/wallet-api';
import { WalletStore } from '../../core/wallet/wallet-store';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { MoneyPipe } from '../../shared/money/money-pipe';

const STATUS_LABELS: Readonly<Record<Payment['status'], string>> = {
  pending: 'In progress',
  succeeded: 'Paid',
  failed: 'Failed',
  expired: 'Expired',
};

/** Top-up payments: those in progress (with a link back to their checkout) and receipts. */
@Component({
  selector: 'sb-wallet-payments',
  imports: [MatButtonModule, MatIconModule, MoneyPipe, IntlDatePipe],
  template: `
    <section class="panel" aria-labelledby="payments-heading" data-testid="wallet-payments">
      <div class="heading">
        <h2 id="payments-heading">Payments</h2>
        <span class="muted">Top-ups: those in progress, and the receipts of those paid.</span>
      </div>
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      @if (payments().length === 0) {
        <p class="empty" data-testid="wallet-payments-empty">
          <mat-icon aria-hidden="true">receipt_long</mat-icon>
          No top-ups yet. Top up to pay through the payment provider; the wallet is credited once
          the payment is confirmed.
        </p>
      } @else {
        <ul>
          @for (payment of payments(); track payment.paymentId) {
            <li
              [class]="'payment ' + payment.status"
              [attr.data-testid]="'payment-' + payment.status"
              [attr.data-payment-id]="payment.paymentId"
            >
              <mat-icon aria-hidden="true">{{ icon(payment.status) }}</mat-icon>
              <span class="amount">{{ payment.amountMicros | money: payment.currency }}</span>
              <span class="status">{{ label(payment.status) }}</span>
              <span class="when">{{
                payment.completedAt ?? payment.createdAt | date: 'MMM d, h:mm a'
              }}</span>
              @if (payment.status === 'pending' && payment.checkoutUrl) {
                <a
                  mat-stroked-button
                  class="action"
                  [href]="payment.checkoutUrl"
                  data-testid="payment-continue"
                >
                  Continue to payment
                </a>
              } @else if (payment.failureReason) {
                <span class="reason">{{ payment.failureReason }}</span>
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
  styles: `
    :host {
      display: block;
      margin: 24px 0;
    }
    .panel {
      overflow: hidden;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 16px;
      background: var(--mat-sys-surface-container-lowest);
    }
    .heading {
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding: 16px 20px 12px;
    }
    h2 {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .muted,
    .when,
    .reason,
    .empty {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-medium);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .payment {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
      min-height: 40px;
      padding: 10px 20px;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .amount {
      min-width: 96px;
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .status {
      min-width: 88px;
    }
    .action,
    .reason {
      margin-left: auto;
    }
    .empty {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 0;
      padding: 16px 20px 20px;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .succeeded mat-icon {
      color: var(--mat-sys-primary);
    }
    .pending mat-icon {
      color: var(--mat-sys-tertiary);
    }
    .failed mat-icon,
    .expired mat-icon,
    .error {
      color: var(--mat-sys-error);
    }
    .error {
      margin: 0;
      padding: 0 20px 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WalletPayments {
  private readonly api = inject(WalletApi);
  private readonly store = inject(WalletStore);

  /** Owners and admins only (the API refuses agents). */
  readonly enabled = input(true);

  protected readonly payments = signal<Payment[]>([]);
  protected readonly error = signal<string | null>(null);

  constructor() {
    // Reload whenever the wallet changes (a payment confirmed pushes wallet:updated).
    effect(() => {
      this.store.wallet();
      if (this.enabled()) untracked(() => this.refresh());
    });
  }

  refresh(): void {
    this.api.payments().subscribe({
      next: (list) => {
        this.error.set(null);
        this.payments.set(list.items);
      },
      error: (err: unknown) =>
        this.error.set(ApiError.message(err, 'Could not load the payments.')),
    });
  }

  protected label(status: Payment['status']): string {
    return STATUS_LABELS[status];
  }

  protected icon(status: Payment['status']): string {
    return status === 'succeeded'
      ? 'receipt_long'
      : status === 'pending'
        ? 'hourglass_top'
        : 'error';
  }
}
