import { Rate } from '../billing/billing';

/**
 * Seconds billed for `seconds` of talk at `rate`'s increments, as the server bills them: the
 * minimum applied, then the first block and every later block rounded up. 0 stays 0.
 */
export function billableSeconds(
  seconds: number,
  rate: Pick<Rate, 'initialIncrement' | 'subsequentIncrement' | 'minimumSeconds'>,
): number {
  const talked = Math.ceil(Math.max(0, seconds));
  if (talked === 0) return 0;
  const atLeast = Math.max(talked, rate.minimumSeconds);
  if (atLeast <= rate.initialIncrement) return rate.initialIncrement;
  const beyond = atLeast - rate.initialIncrement;
  return (
    rate.initialIncrement +
    Math.ceil(beyond / Math.max(1, rate.subsequentIncrement)) * rate.subsequentIncrement
  );
}

/** Micros of `billedSeconds` at the per-minute rate, rounded up to the micro (BigInt only). */
export function costOfSeconds(billedSeconds: number, ratePerMinuteMicros: string): bigint {
  return (BigInt(billedSeconds) * BigInt(ratePerMinuteMicros) + 59n) / 60n;
}

/** "6/6", "60/60", "30/6": how a rate bills, first block / later blocks. */
export function incrementLabel(
  rate: Pick<Rate, 'initialIncrement' | 'subsequentIncrement'>,
): string {
  return `${rate.initialIncrement}/${rate.subsequentIncrement}`;
}
