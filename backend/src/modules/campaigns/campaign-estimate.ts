import type { RateDeckView, RateView } from '../billing/rates.dto';
import { callCost, RateTerms } from '../billing/rating';

/**
 * The length of call an estimate prices (docs/campaigns.md, "Cost estimates"): an answered attempt
 * is assumed to talk one minute. Unanswered attempts cost nothing.
 */
export const ESTIMATE_CALL_SECONDS = 60;

export interface DeckPrice {
  /** What a call of ESTIMATE_CALL_SECONDS to the number costs, micros. */
  micros: bigint;
  currency: string;
}

/**
 * Prices numbers against an organization's deck in memory, as RatesService.findRate does in SQL:
 * the organization's plan's longest matching prefix, else the default plan's. Null: no rate.
 */
export function deckPricer(deck: RateDeckView): (e164: string) => DeckPrice | null {
  const byPrefix = (rates: RateView[]) => new Map(rates.map((rate) => [rate.prefix, rate]));
  const planRates = byPrefix(deck.organization);
  const defaultRates = byPrefix(deck.default);
  const cache = new Map<string, DeckPrice | null>();
  const longest = (rates: Map<string, RateView>, digits: string): RateView | null => {
    for (let length = digits.length; length > 0; length -= 1) {
      const rate = rates.get(digits.slice(0, length));
      if (rate) return rate;
    }
    return null;
  };
  return (e164) => {
    const digits = e164.replace(/^\+/, '');
    const rate = longest(planRates, digits) ?? longest(defaultRates, digits);
    if (!rate) return null;
    const key = `${rate.source}|${rate.prefix}`;
    let price = cache.get(key);
    if (price === undefined) {
      const terms: RateTerms = {
        ratePerMinuteMicros: BigInt(rate.ratePerMinuteMicros),
        initialIncrement: rate.initialIncrement,
        subsequentIncrement: rate.subsequentIncrement,
        minimumSeconds: rate.minimumSeconds,
      };
      price = { micros: callCost(ESTIMATE_CALL_SECONDS, terms), currency: rate.currency };
      cache.set(key, price);
    }
    return price;
  };
}
