import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ComingSoon } from '../../shared/coming-soon/coming-soon';

/** Every call the organization placed, searchable. For now a placeholder until the feature ships. */
@Component({
  selector: 'sb-call-history',
  imports: [ComingSoon],
  template: `
    <sb-coming-soon
      icon="history"
      heading="Call history"
      description="Search and filter every call your team placed, open a call's full timeline, and export the results as CSV."
      [highlights]="highlights"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallHistory {
  protected readonly highlights = [
    'Filters by status, provider and agent',
    'Call timelines',
    'CSV export',
  ];
}
