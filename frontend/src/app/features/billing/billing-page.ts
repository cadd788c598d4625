import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ComingSoon } from '../../shared/coming-soon/coming-soon';

/** What calls cost and how they are priced. For now a placeholder until the feature ships. */
@Component({
  selector: 'sb-billing-page',
  imports: [ComingSoon],
  template: `
    <sb-coming-soon
      icon="receipt_long"
      heading="Billing"
      description="See what your calls cost by day, provider and destination, and manage the rate deck used to price them."
      [highlights]="highlights"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BillingPage {
  protected readonly highlights = ['Spend analytics', 'Rate deck by prefix', 'Per-call quotes'];
}
