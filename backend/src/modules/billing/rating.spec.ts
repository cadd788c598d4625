import fc from 'fast-check';
import { billableSeconds, callCost, maxAffordableSeconds, RateTerms } from './rating';

const perMinute = (
  micros: number,
  initial: number,
  subsequent: number,
  minimum = 0,
): RateTerms => ({
  ratePerMinuteMicros: BigInt(micros),
  initialIncrement: initial,
  subsequentIncrement: subsequent,
  minimumSeconds: minimum,
});

describe('rating', () => {
  const oneCentPerMinute = 10_000;

  it('bills 61 s at 60/60 as 2 minutes and at 1/1 as 61 seconds', () => {
    expect(billableSeconds(61, perMinute(oneCentPerMinute, 60, 60))).toBe(120);
    expect(callCost(61, perMinute(oneCentPerMinute, 60, 60))).toBe(20_000n);
    expect(billableSeconds(61, perMinute(oneCentPerMinute, 1, 1))).toBe(61);
    expect(callCost(61, perMinute(60_000, 1, 1))).toBe(61_000n);
  });

  it('bills 30/6 as a 30 s first block then 6 s blocks', () => {
    const terms = perMinute(60_000, 30, 6);
    expect(billableSeconds(1, terms)).toBe(30);
    expect(billableSeconds(30, terms)).toBe(30);
    expect(billableSeconds(31, terms)).toBe(36);
    expect(billableSeconds(37, terms)).toBe(42);
  });

  it('applies the minimum to answered calls only and rounds the cost up to the micro', () => {
    const terms = perMinute(7, 1, 1, 10);
    expect(billableSeconds(0, terms)).toBe(0);
    expect(callCost(0, terms)).toBe(0n);
    expect(billableSeconds(3, terms)).toBe(10);
    expect(callCost(3, terms)).toBe(2n); // 10 s × 7/60 = 1.17 → 2
  });

  it('finds the longest affordable call on an increment boundary, within the cap', () => {
    const terms = perMinute(oneCentPerMinute, 60, 60);
    expect(maxAffordableSeconds(9_999n, terms, 3600)).toBe(0);
    expect(maxAffordableSeconds(10_000n, terms, 3600)).toBe(60);
    expect(maxAffordableSeconds(25_000n, terms, 3600)).toBe(120);
    expect(maxAffordableSeconds(100_000_000n, terms, 3600)).toBe(3600);
    expect(maxAffordableSeconds(5n, perMinute(0, 60, 60), 900)).toBe(900);
  });

  it('never holds less than the cost of the call it allows (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.constantFrom([60, 60], [1, 1], [30, 6], [6, 6]),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 14_400 }),
        (available, rate, [initial, subsequent], minimum, cap) => {
          const terms = perMinute(rate, initial, subsequent, minimum);
          const seconds = maxAffordableSeconds(available, terms, cap);
          expect(seconds).toBeLessThanOrEqual(Math.max(cap, 0));
          if (seconds > 0) expect(callCost(seconds, terms)).toBeLessThanOrEqual(available);
          // one more increment would not be affordable (unless the cap stopped us)
          if (seconds < cap && seconds > 0)
            expect(
              callCost(seconds + subsequent, terms) > available || seconds + subsequent > cap,
            ).toBe(true);
        },
      ),
    );
  });
});
