import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/**
 * The centred message a list shows when it has nothing to show or could not load: an icon, a
 * heading, the projected explanation and, in `[emptyStateActions]`, what the user can do next.
 */
@Component({
  selector: 'sb-empty-state',
  imports: [MatIconModule],
  template: `
    <span class="icon" [class.error]="tone() === 'error'" aria-hidden="true">
      <mat-icon>{{ icon() }}</mat-icon>
    </span>
    <h2>{{ heading() }}</h2>
    <div class="text"><ng-content /></div>
    <div class="actions"><ng-content select="[emptyStateActions]" /></div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      padding: 56px 24px 64px;
      text-align: center;
    }
    .icon {
      display: grid;
      place-items: center;
      width: 64px;
      height: 64px;
      border-radius: 20px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .icon.error {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .icon mat-icon {
      width: 32px;
      height: 32px;
      font-size: 32px;
    }
    h2 {
      margin: 16px 0 4px;
      font: var(--mat-sys-title-large);
      color: var(--mat-sys-on-surface);
    }
    .text {
      max-width: 440px;
      color: var(--mat-sys-on-surface-variant);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 8px;
      margin-top: 20px;
    }
    .actions:empty {
      display: none;
    }
  `,
  host: { '[attr.role]': 'tone() === "error" ? "alert" : null' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmptyState {
  /** Material Symbols ligature. */
  readonly icon = input.required<string>();
  readonly heading = input.required<string>();
  readonly tone = input<'default' | 'error'>('default');
}
