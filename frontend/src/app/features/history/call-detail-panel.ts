import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';

import { AuthService } from '../../core/auth/auth-service';
import {
  CALL_DIRECTION_LABELS,
  CALL_DISPOSITION_LABELS,
  CallEventView,
  PROVIDER_LABELS,
  isTerminalStatus,
} from '../../core/calls/call';
import { CallStatusChip } from '../../shared/call-status-chip/call-status-chip';
import { DurationPipe, formatDuration } from '../../shared/duration/duration-pipe';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { formatMoney, parseMicros } from '../../shared/money/money';
import { CallHistoryStore } from './call-history-store';
import { OutcomeDescription, describeOutcome } from './call-event-outcome';
import { IntlDatePipe } from '../../shared/format/intl-format';

interface FactView {
  key: string;
  label: string;
  value: string;
  href: string | null;
}

interface TimelineEntry {
  event: CallEventView;
  outcome: OutcomeDescription;
  facts: FactView[];
}

const FACT_LABELS: Readonly<Record<string, string>> = {
  durationSeconds: 'Duration',
  recordingUrl: 'Recording',
  providerCostMicros: 'Provider cost',
  providerCurrency: 'Currency',
  hangupReason: 'Hang-up reason',
  answeredAt: 'Answered',
  endedAt: 'Ended',
};

/**
 * The call open in the history (a side sheet): its facts and the timeline of provider events,
 * each with what it did to the call. Reads and refreshes through the page's CallHistoryStore.
 */
@Component({
  selector: 'sb-call-detail-panel',
  imports: [
    IntlDatePipe,
    MatDialogModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    CallStatusChip,
    DurationPipe,
    MoneyPipe,
  ],
  templateUrl: './call-detail-panel.html',
  styleUrl: './call-detail-panel.scss',
  host: { 'data-testid': 'call-detail-panel', '[attr.data-open]': 'open()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallDetailPanel {
  protected readonly store = inject(CallHistoryStore);
  /** The sheet has finished sliding in (end-to-end tests wait for it before screenshots). */
  protected readonly open = signal(false);
  protected readonly isAdmin = inject(AuthService).isAdmin;

  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly dispositionLabels = CALL_DISPOSITION_LABELS;
  protected readonly directionLabels = CALL_DIRECTION_LABELS;

  /** The full call once loaded; its row from the list meanwhile. */
  protected readonly call = computed(() => this.store.detail() ?? this.store.selectedSummary());
  protected readonly live = computed(() => {
    const call = this.call();
    return !!call && !isTerminalStatus(call.status);
  });
  protected readonly timeline = computed<TimelineEntry[] | null>(() => {
    const detail = this.store.detail();
    if (!detail) return null;
    return detail.timeline.map((event) => ({
      event,
      outcome: describeOutcome(event.outcome, event.applied),
      facts: factsOf(event),
    }));
  });
  protected readonly appliedCount = computed(
    () => this.timeline()?.filter((entry) => entry.event.applied).length ?? 0,
  );

  constructor() {
    inject(MatDialogRef, { optional: true })
      ?.afterOpened()
      .subscribe(() => this.open.set(true));
  }
}

function factsOf(event: CallEventView): FactView[] {
  const currency =
    typeof event.facts['providerCurrency'] === 'string'
      ? event.facts['providerCurrency']
      : undefined;
  return Object.entries(event.facts)
    .filter(
      ([key, value]) =>
        value !== null &&
        value !== '' &&
        !(key === 'providerCurrency' && 'providerCostMicros' in event.facts),
    )
    .map(([key, value]) => {
      const text = String(value);
      let display = text;
      if (key === 'durationSeconds' && typeof value === 'number') display = formatDuration(value);
      else if (key.endsWith('Micros') && parseMicros(text) !== null)
        display = formatMoney(text, 'exact', { currency });
      const href = key.endsWith('Url') && /^https?:\/\//i.test(text) ? text : null;
      return { key, label: FACT_LABELS[key] ?? humanizeKey(key), value: display, href };
    });
}

/** `ringTimeSeconds` → `Ring time seconds`. */
function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}
