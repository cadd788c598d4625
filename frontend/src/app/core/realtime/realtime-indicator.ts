import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';

import { RealtimeService, RealtimeStatus } from './realtime-service';

const LABELS: Readonly<Record<RealtimeStatus, string>> = {
  connected: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const EXPLANATIONS: Readonly<Record<RealtimeStatus, string>> = {
  connected: 'Live: calls, balance and numbers update as they happen',
  connecting: 'Connecting to live updates…',
  reconnecting: 'Reconnecting… what changes meanwhile is caught up afterwards',
  offline: 'Offline: live updates are paused; retrying in the background',
};

/** The toolbar's dot that says whether pushed updates are arriving. */
@Component({
  selector: 'sb-realtime-indicator',
  imports: [MatTooltipModule],
  template: `
    <span
      class="indicator"
      tabindex="0"
      role="status"
      [matTooltip]="explanation()"
      [attr.aria-label]="explanation()"
    >
      <span class="dot" aria-hidden="true"></span>
      <span class="label">{{ label() }}</span>
    </span>
  `,
  styleUrl: './realtime-indicator.scss',
  host: {
    'data-testid': 'realtime-status',
    '[attr.data-status]': 'status()',
    '[class]': '"status-" + status()',
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RealtimeIndicator {
  protected readonly status = inject(RealtimeService).status;
  protected readonly label = computed(() => LABELS[this.status()]);
  protected readonly explanation = computed(() => EXPLANATIONS[this.status()]);
}
