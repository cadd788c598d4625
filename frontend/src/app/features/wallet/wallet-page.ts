import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ComingSoon } from '../../shared/coming-soon/coming-soon';

/** The organization's prepaid balance. For now a placeholder until the feature ships. */
@Component({
  selector: 'sb-wallet-page',
  imports: [ComingSoon],
  template: `
    <sb-coming-soon
      icon="account_balance_wallet"
      heading="Wallet"
      description="Track your prepaid balance, the holds placed by calls in progress and every ledger transaction, and top up when needed."
      [highlights]="highlights"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WalletPage {
  protected readonly highlights = [
    'Live balance',
    'Holds for active calls',
    'Top-ups and transactions',
  ];
}
