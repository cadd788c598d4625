/** How the timeline explains, in plain words, what an event did to its call (DESIGN §3). */
export type OutcomeTone = 'applied' | 'enriched' | 'warning' | 'ignored' | 'action';

export interface OutcomeDescription {
  label: string;
  tone: OutcomeTone;
  /** The event added late facts (duration, price, recording) to the call. */
  enriched: boolean;
  /**
   * Not a provider event but something Switchboard or the agent's browser recorded (a hang-up
   * asked of the provider, a call-quality warning): there is no provider status to map.
   */
  local?: boolean;
  /** The timeline marker's icon for a local entry. */
  icon?: string;
}

/** Entries Switchboard writes itself: the label and tone the timeline shows for them. */
const LOCAL: Readonly<Record<string, { label: string; tone: OutcomeTone; icon: string }>> = {
  hangup_requested: { label: 'Hang-up asked of the provider', tone: 'action', icon: 'call_end' },
  hangup_failed: { label: 'Hang-up failed – the call went on', tone: 'warning', icon: 'error' },
  quality_warning: { label: 'Call-quality warning', tone: 'warning', icon: 'network_check' },
  quality_warning_cleared: { label: 'Call quality recovered', tone: 'action', icon: 'check' },
};

const LABELS: Readonly<Record<string, string>> = {
  applied: 'Applied',
  same_status: 'No change – already in this status',
  lower_rank: 'Late – lower rank',
  already_terminal: 'Ignored – call already ended',
  older_sequence: 'Out of order – older sequence',
  unknown_status: 'Unknown status',
};

const ENRICHED = '+enriched';

export function describeOutcome(outcome: string, applied: boolean): OutcomeDescription {
  const local = LOCAL[outcome];
  if (local) return { ...local, enriched: false, local: true };
  const enriched = outcome.endsWith(ENRICHED);
  const base = enriched ? outcome.slice(0, -ENRICHED.length) : outcome;
  const label = LABELS[base] ?? humanize(base);
  const tone: OutcomeTone = applied
    ? 'applied'
    : enriched
      ? 'enriched'
      : base === 'unknown_status'
        ? 'warning'
        : 'ignored';
  return { label: enriched ? `${label} + facts added` : label, tone, enriched };
}

function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Unknown';
}
