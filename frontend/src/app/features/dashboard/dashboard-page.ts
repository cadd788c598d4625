import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ComingSoon } from '../../shared/coming-soon/coming-soon';

/** Live overview of the organization's calls, spend and balance. For now a placeholder until the feature ships. */
@Component({
  selector: 'sb-dashboard-page',
  imports: [ComingSoon],
  template: `
    <sb-coming-soon
      icon="space_dashboard"
      heading="Dashboard"
      description="Watch live calls, today's spend and your wallet balance at a glance, updated in real time as calls happen."
      [highlights]="highlights"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  protected readonly highlights = [
    'Live call board',
    'Spend today and this month',
    'Answer rate and average duration',
  ];
}
