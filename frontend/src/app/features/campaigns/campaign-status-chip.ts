import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { statusLabel } from './campaign-format';

/** A campaign's status as a coloured chip; a running campaign's dot pulses. */
@Component({
  selector: 'sb-campaign-status-chip',
  template: `<span class="dot" aria-hidden="true"></span>{{ label() }}`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 2px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface-variant);
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: currentColor;
    }
    :host(.tone-running) {
      background: color-mix(in srgb, var(--mat-sys-primary) 14%, transparent);
      color: var(--mat-sys-primary);
    }
    :host(.tone-running) .dot {
      animation: pulse 1.6s ease-in-out infinite;
    }
    :host(.tone-paused) {
      background: color-mix(in srgb, #b26a00 16%, transparent);
      color: #8a5300;
    }
    :host(.tone-completed) {
      background: color-mix(in srgb, #1b7f3b 14%, transparent);
      color: #1b6e35;
    }
    :host(.tone-cancelled) {
      background: color-mix(in srgb, var(--mat-sys-error) 12%, transparent);
      color: var(--mat-sys-error);
    }
    @keyframes pulse {
      50% {
        opacity: 0.3;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host(.tone-running) .dot {
        animation: none;
      }
    }
  `,
  host: {
    'data-testid': 'campaign-status',
    '[attr.data-status]': 'status()',
    '[class]': '"tone-" + status()',
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignStatusChip {
  readonly status = input.required<string>();
  protected readonly label = computed(() => statusLabel(this.status()));
}
