import { displaySettings } from '../../shared/format/display-settings';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';

import { BillingSummary, SummaryGroup, SummaryGroupRow } from '../../core/billing/billing';
import { providerLabel } from '../../core/calls/call';
import { DurationPipe } from '../../shared/duration/duration-pipe';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { IntlNumberPipe, IntlPercentPipe } from '../../shared/format/intl-format';

interface BreakdownRow extends SummaryGroupRow {
  name: string;
  /** Share of the period's spend, 0..100 with one decimal (BigInt division, then a number). */
  share: number;
}

const GROUP_HEADINGS: Readonly<Record<SummaryGroup, string>> = {
  day: 'Day (UTC)',
  provider: 'Provider',
  country: 'Country',
  agent: 'Agent',
};

/** One breakdown of a billing summary as a table, largest spend first (days in order). */
@Component({
  selector: 'sb-billing-breakdown',
  imports: [MatTableModule, IntlNumberPipe, IntlPercentPipe, DurationPipe, MoneyPipe],
  templateUrl: './billing-breakdown.html',
  styleUrl: './billing-breakdown.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BillingBreakdown {
  readonly summary = input.required<BillingSummary | null>();
  readonly groupBy = input.required<SummaryGroup>();

  protected readonly columns = [
    'name',
    'calls',
    'answerRate',
    'minutes',
    'average',
    'spend',
    'share',
  ];
  protected readonly heading = computed(() => GROUP_HEADINGS[this.groupBy()]);
  protected readonly currency = computed(() => this.summary()?.currency ?? 'USD');

  protected readonly rows = computed<readonly BreakdownRow[]>(() => {
    const summary = this.summary();
    if (!summary || summary.groupBy !== this.groupBy()) return [];
    const total = BigInt(summary.totals.spendMicros);
    const rows = summary.groups.map((group) => ({
      ...group,
      name: nameOf(summary.groupBy, group),
      share: total > 0n ? Number((BigInt(group.spendMicros) * 1000n) / total) / 10 : 0,
    }));
    if (summary.groupBy === 'day') return rows.reverse(); // newest first
    return rows.sort((a, b) => {
      const diff = BigInt(b.spendMicros) - BigInt(a.spendMicros);
      return diff === 0n ? b.calls - a.calls : diff > 0n ? 1 : -1;
    });
  });
}

function nameOf(groupBy: SummaryGroup, group: SummaryGroupRow): string {
  switch (groupBy) {
    case 'provider':
      return providerLabel(group.key);
    case 'country':
      return group.key === '--' ? 'Unknown country' : group.label;
    case 'day':
      // A calendar day of the organization, so formatted as UTC's; in the browser's locale.
      return new Date(`${group.key}T00:00:00Z`).toLocaleDateString(displaySettings().locale, {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        timeZone: 'UTC',
      });
    default:
      return group.label;
  }
}
