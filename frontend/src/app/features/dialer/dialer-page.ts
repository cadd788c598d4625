import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ComingSoon } from '../../shared/coming-soon/coming-soon';

/** Places calls from the browser. For now a placeholder until the feature ships. */
@Component({
  selector: 'sb-dialer-page',
  imports: [ComingSoon],
  template: `
    <sb-coming-soon
      icon="dialpad"
      heading="Dialer"
      description="Call any number from your browser through Twilio or the built-in simulator, and follow each call's status live."
      [highlights]="highlights"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialerPage {
  protected readonly highlights = [
    'Browser calling',
    'Simulated calls without credentials',
    'Contact lookup',
  ];
}
