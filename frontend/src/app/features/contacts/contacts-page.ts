import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ComingSoon } from '../../shared/coming-soon/coming-soon';

/** The people the organization calls. For now a placeholder until the feature ships. */
@Component({
  selector: 'sb-contacts-page',
  imports: [ComingSoon],
  template: `
    <sb-coming-soon
      icon="contacts"
      heading="Contacts"
      description="Keep the people you call in one place, with phone numbers normalized to E.164, quick lookup and CSV import."
      [highlights]="highlights"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactsPage {
  protected readonly highlights = ['E.164 numbers', 'Lookup by phone', 'CSV import'];
}
