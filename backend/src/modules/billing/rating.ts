/** Pure call rating: billing increments, minimums, cost in micros and the longest affordable call. */
export interface RateTerms {
  ratePerMinuteMicros: bigint;
  /** First billed block in seconds (60 in "60/60", 30 in "30/6"). */
  initialIncrement: number;
  /** Every later block in seconds. */
  subsequentIncrement: number;
  /** An answered call is billed at least this long. */
  minimumSeconds: number;
}

/** Seconds billed for a call that talked `seconds`: minimum applied, then rounded up to the increments. 0 stays 0. */
export function billableSeconds(seconds: number, terms: RateTerms): number {
  const talked = Math.ceil(Math.max(0, seconds));
  if (talked === 0) return 0;
  const atLeast = Math.max(talked, terms.minimumSeconds);
  if (atLeast <= terms.initialIncrement) return terms.initialIncrement;
  const beyond = atLeast - terms.initialIncrement;
  return (
    terms.initialIncrement +
    Math.ceil(beyond / terms.subsequentIncrement) * terms.subsequentIncrement
  );
}

/** Cost of billed seconds at a per-minute rate, rounded up to the micro. */
export function costOfBilledSeconds(billed: number, terms: RateTerms): bigint {
  const numerator = BigInt(billed) * terms.ratePerMinuteMicros;
  return (numerator + 59n) / 60n;
}

export function callCost(seconds: number, terms: RateTerms): bigint {
  return costOfBilledSeconds(billableSeconds(seconds, terms), terms);
}

/**
 * The longest call (in seconds, on an increment boundary) whose cost fits in `availableMicros`,
 * capped at `capSeconds`. 0 when not even the first increment is affordable.
 */
export function maxAffordableSeconds(
  availableMicros: bigint,
  terms: RateTerms,
  capSeconds: number,
): number {
  if (availableMicros < 0n) return 0;
  if (terms.ratePerMinuteMicros === 0n) return capSeconds;
  // Not even the shortest answered call (first increment, or the minimum) is affordable.
  if (callCost(1, terms) > availableMicros) return 0;
  // cost(r) = ceil(r * rate / 60) <= available  ⇔  r * rate <= 60 * available
  const maxBilled = (60n * availableMicros) / terms.ratePerMinuteMicros;
  if (maxBilled < BigInt(terms.initialIncrement)) return 0;
  const extraBlocks =
    (maxBilled - BigInt(terms.initialIncrement)) / BigInt(terms.subsequentIncrement);
  const affordable = terms.initialIncrement + Number(extraBlocks) * terms.subsequentIncrement;
  if (affordable <= capSeconds) return affordable;
  // Round the cap down to an increment boundary so the hold covers it exactly.
  if (capSeconds < terms.initialIncrement) return capSeconds;
  return (
    terms.initialIncrement +
    Math.floor((capSeconds - terms.initialIncrement) / terms.subsequentIncrement) *
      terms.subsequentIncrement
  );
}
