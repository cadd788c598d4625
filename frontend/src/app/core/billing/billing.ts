import { ApiSchema, ApiView, Refine } from '../api/api-schema';

/** The shapes of `/api/billing` (money as integer micros in decimal strings). */
export const SUMMARY_GROUPS = ['day', 'provider', 'country', 'agent'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

export type SummaryFigures = ApiView<'SummaryFigures'>;

export type SummaryGroupRow = ApiView<'SummaryGroupRow'>;

export type BillingSummary = ApiView<'BillingSummary'>;

export interface SummaryQuery {
  /** Inclusive, ISO 8601. */
  from: string;
  /** Exclusive, ISO 8601. */
  to: string;
  groupBy: SummaryGroup;
}

/** A rate as the organization edits it: price per minute and billing increments in seconds. */
export type RateInput = ApiSchema<'RateInput'>;

export type RateSource = 'organization' | 'default';

export type Rate = ApiView<'RateView'>;

export type RateDeck = ApiView<'RateDeckView'>;

/** The document calls the minimum cost a bare object: it is micros, or null without a rate. */
export type Quote = Refine<ApiView<'QuoteView'>, { minimumCallCostMicros: string | null }>;
