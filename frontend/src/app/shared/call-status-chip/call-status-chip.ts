import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { CALL_STATUS_LABELS, CallStatus, isTerminalStatus } from '../../core/calls/call';

/** A call's status as a coloured chip; live statuses (initiated, ringing, in progress) pulse. */
@Component({
  selector: 'sb-call-status-chip',
  template: `<span class="dot" aria-hidden="true"></span>{{ label() }}`,
  styleUrl: './call-status-chip.scss',
  host: {
    'data-testid': 'call-status-chip',
    '[attr.data-status]': 'status()',
    '[class]': '"tone-" + status()',
    '[class.live]': 'live()',
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallStatusChip {
  readonly status = input.required<CallStatus>();
  /** Off where the chip records a past status (a timeline) rather than the call's current one. */
  readonly pulse = input(true);

  protected readonly label = computed(() => CALL_STATUS_LABELS[this.status()] ?? this.status());
  protected readonly live = computed(() => this.pulse() && !isTerminalStatus(this.status()));
}
