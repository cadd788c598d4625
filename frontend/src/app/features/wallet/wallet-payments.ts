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
    <section class="payments" data-testid="wallet-payments">
      <h2>Payments</h2>
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      @if (payments().length === 0) {
        <p class="empty">No top-ups yet. Top up to pay through the payment provider.</p>
      } @else {
        <ul>
          @for (payment of payments(); track payment.paymentId) {
            <li
              [class]="'payment ' + payment.status"
              [attr.data-testid]="'payment-' + payment.status"
              [attr.data-payment-id]="payment.paymentId"
            >
              <mat-icon>{{ icon(payment.status) }}</mat-icon>
              <span class="amount">{{ payment.amountMicros | money: payment.currency }}</span>
              <span class="status">{{ label(payment.status) }}</span>
              <span class="when">{{
                payment.completedAt ?? payment.createdAt | date: 'MMM d, h:mm a'
              }}</span>
              @if (payment.status === 'pending' && payment.checkoutUrl) {
                <a mat-stroked-button [href]="payment.checkoutUrl" data-testid="payment-continue">
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
    .payments {
      margin: 24px 0;
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0 0 8px;
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
      gap: 12px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .amount {
      font-weight: 600;
      min-width: 96px;
    }
    .status {
      min-width: 88px;
    }
    .when,
    .reason,
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
    .succeeded mat-icon {
      color: var(--mat-sys-primary);
    }
    .failed mat-icon,
    .expired mat-icon,
    .error {
      color: var(--mat-sys-error);
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
