import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { EmptyState } from '../empty-state/empty-state';

/** What a page shows when its data could not be loaded: the reason and a "Try again" button. */
@Component({
  selector: 'sb-load-error',
  imports: [EmptyState, MatButtonModule, MatIconModule],
  template: `
    <sb-empty-state icon="cloud_off" [heading]="heading()" tone="error">
      <p>{{ message() }}</p>
      <button mat-stroked-button emptyStateActions (click)="retry.emit()">
        <mat-icon>refresh</mat-icon>Try again
      </button>
    </sb-empty-state>
  `,
  styles: ':host { display: block; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadError {
  /** "Contacts could not be loaded". */
  readonly heading = input.required<string>();
  readonly message = input.required<string>();
  readonly retry = output<void>();
}
