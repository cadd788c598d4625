import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { EmptyState } from '../empty-state/empty-state';

/**
 * The loading state of a page's data, in one place: a progress bar while it loads (in a slot of
 * fixed height, so nothing jumps), and when it failed, the reason with a "Try again" button.
 * `inline` is the compact form under a list whose further page failed (the rows shown stay).
 */
@Component({
  selector: 'sb-load-state',
  imports: [EmptyState, MatButtonModule, MatIconModule, MatProgressBarModule],
  template: `
    @if (!inline()) {
      <div class="progress-slot">
        @if (loading()) {
          <mat-progress-bar mode="indeterminate" [attr.data-testid]="testId() + '-loading'" />
        }
      </div>
    }
    @if (error(); as message) {
      @if (inline()) {
        <p class="inline-error" role="alert">
          <span>{{ message }}</span>
          <button mat-button (click)="retry.emit()"><mat-icon>refresh</mat-icon>Try again</button>
        </p>
      } @else {
        <sb-empty-state
          icon="cloud_off"
          [heading]="heading()"
          tone="error"
          [attr.data-testid]="testId() + '-error'"
        >
          <p>{{ message }}</p>
          <button mat-stroked-button emptyStateActions (click)="retry.emit()">
            <mat-icon>refresh</mat-icon>Try again
          </button>
        </sb-empty-state>
      }
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .progress-slot {
      height: 4px;
    }
    .inline-error {
      display: flex;
      align-items: center;
      justify-content: center;
      flex-wrap: wrap;
      gap: 4px 8px;
      margin: 0;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadState {
  readonly loading = input(false);
  /** Why the data could not be loaded; null while it is fine. */
  readonly error = input<string | null>(null);
  /** "Contacts could not be loaded". */
  readonly heading = input('This could not be loaded');
  readonly inline = input(false);
  /** Prefix of the test ids of the progress bar and the error (`contacts` → `contacts-loading`). */
  readonly testId = input('load');
  readonly retry = output<void>();
}
