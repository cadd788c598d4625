/** How the timeline explains, in plain words, what an event did to its call (DESIGN §3). */
export type OutcomeTone = 'applied' | 'enriched' | 'warning' | 'ignored';

export interface OutcomeDescription {
  label: string;
  tone: OutcomeTone;
  /** The event added late facts (duration, price, recording) to the call. */
  enriched: boolean;
}

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
