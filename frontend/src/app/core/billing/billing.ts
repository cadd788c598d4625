/** The shapes of `/api/billing` (money as integer micros in decimal strings). */
export const SUMMARY_GROUPS = ['day', 'provider', 'country', 'agent'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

export interface SummaryFigures {
  calls: number;
  answered: number;
  /** answered / calls, 0..1. */
  answerRate: number;
  billableSeconds: number;
  /** Billable minutes, one decimal. */
  minutes: number;
  /** Average talk time of answered calls. */
  averageDurationSeconds: number;
  spendMicros: string;
  spend: string;
}

export interface SummaryGroupRow extends SummaryFigures {
  key: string;
  label: string;
}

export interface BillingSummary {
  from: string;
  to: string;
  groupBy: SummaryGroup;
  currency: string;
  totals: SummaryFigures;
  groups: SummaryGroupRow[];
}

export interface SummaryQuery {
  /** Inclusive, ISO 8601. */
  from: string;
  /** Exclusive, ISO 8601. */
  to: string;
  groupBy: SummaryGroup;
}

/** A rate as the organization edits it: price per minute and billing increments in seconds. */
export interface RateInput {
  /** E.164 digits the destination starts with, without `+`. */
  prefix: string;
  description: string;
  ratePerMinuteMicros: string;
  initialIncrement: number;
  subsequentIncrement: number;
  minimumSeconds: number;
}

export type RateSource = 'organization' | 'default';

export interface Rate extends RateInput {
  currency: string;
  source: RateSource;
}

export interface RateDeck {
  /** The price plan these rates come from (set by the platform operator). */
  plan?: { id: string; name: string; isDefault: boolean };
  /** The rates of the organization's price plan. */
  organization: Rate[];
  /** The platform's deck, used where no override matches. */
  default: Rate[];
}

export interface Quote {
  to: string;
  country: string | null;
  countryName: string | null;
  rate: Rate | null;
  availableMicros: string;
  maxAffordableSeconds: number;
  minimumCallCostMicros: string | null;
  /** Why a call would be refused, if it would be. */
  refusal: string | null;
}
