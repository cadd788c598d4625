import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { filter } from 'rxjs';

import { AuthService } from '../../core/auth/auth-service';
import { Payment } from '../../core/wallet/wallet';
import { WalletStore } from '../../core/wallet/wallet-store';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { formatMoney } from '../../shared/money/money';
import { LowBalanceSetting } from './low-balance-setting';
import { TopUpDialog, TopUpDialogData } from './top-up-dialog';
import { WalletPayments } from './wallet-payments';
import { WalletTransactions } from './wallet-transactions';

/** The organization's prepaid wallet: balance, holds, low-balance warning, top-ups and the ledger. */
@Component({
  selector: 'sb-wallet-page',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    EmptyState,
    MoneyPipe,
    LowBalanceSetting,
    WalletTransactions,
    WalletPayments,
  ],
  templateUrl: './wallet-page.html',
  styleUrl: './wallet-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WalletPage {
  protected readonly store = inject(WalletStore);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transactions = viewChild(WalletTransactions);
  private readonly payments = viewChild(WalletPayments);
  private readonly document = inject(DOCUMENT);

  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly wallet = this.store.wallet;
  protected readonly organizationName = computed(() => this.auth.user()?.organization.name ?? '');
  protected readonly currency = computed(() => this.wallet()?.currency ?? 'USD');

  constructor() {
    this.store.refresh();
  }

  protected refresh(): void {
    this.store.refresh();
    this.transactions()?.refresh();
    this.payments()?.refresh();
  }

  /** Starts a top-up payment, then sends the browser to the provider's checkout page. */
  protected openTopUp(): void {
    this.dialog
      .open<TopUpDialog, TopUpDialogData, Payment>(TopUpDialog, {
        data: { currency: this.currency() },
        autoFocus: 'first-tabbable',
        width: '480px',
      })
      .afterClosed()
      .pipe(filter((payment): payment is Payment => !!payment))
      .subscribe((payment) => {
        if (payment.checkoutUrl) {
          this.document.location.assign(payment.checkoutUrl);
          return;
        }
        this.snackBar.open(
          `Payment of ${formatMoney(payment.amountMicros, 'cents', { currency: this.currency() })} is ${payment.status}`,
          undefined,
          { duration: 4000 },
        );
        this.refresh();
      });
  }
}
