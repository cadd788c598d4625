import { decimalToMicros, formatMicros, formatMoney } from './money';

describe('money in micros', () => {
  it('converts decimal text exactly', () => {
    expect(decimalToMicros('1.5')).toBe(1_500_000n);
    expect(decimalToMicros('0.000001')).toBe(1n);
    expect(decimalToMicros('-2')).toBe(-2_000_000n);
    expect(decimalToMicros('12')).toBe(12_000_000n);
  });

  it('converts cents (exponent 2), including JSON numbers such as Bolna total_cost', () => {
    expect(decimalToMicros(18.76, 2)).toBe(187_600n);
    expect(decimalToMicros('0.21', 2)).toBe(2_100n);
    expect(decimalToMicros(0, 2)).toBe(0n);
    expect(decimalToMicros(1e-7, 0)).toBe(0n);
    expect(decimalToMicros(1.5e-6, 0)).toBe(2n);
  });

  it('rounds half away from zero past micro precision', () => {
    expect(decimalToMicros('0.0000005')).toBe(1n);
    expect(decimalToMicros('0.0000004')).toBe(0n);
    expect(decimalToMicros('-0.0000005')).toBe(-1n);
  });

  it('rejects what is not a decimal', () => {
    expect(() => decimalToMicros('1,5')).toThrow(/Not a decimal/);
    expect(() => decimalToMicros('')).toThrow(/Not a decimal/);
    expect(() => decimalToMicros(Number.NaN)).toThrow(/finite/);
  });

  it('formats micros', () => {
    expect(formatMicros(1_234_500n)).toBe('1.2345');
    expect(formatMicros(5_000_000n)).toBe('5.00');
    expect(formatMicros(-10_000n)).toBe('-0.01');
  });
});

describe('formatMoney', () => {
  it('shows balances to the cent and rates and costs exactly, with the currency', () => {
    expect(formatMoney(1086487078n, 'USD')).toBe('$1,086.49');
    expect(formatMoney(100000000000n, 'USD')).toBe('$100,000.00');
    expect(formatMoney(1086487078n, 'EUR')).toBe('€1,086.49');
    expect(formatMoney(42900n, 'USD', 'exact')).toBe('$0.0429');
    expect(formatMoney(100000n, 'USD', 'exact')).toBe('$0.10');
    expect(formatMoney(-2500000n, 'USD')).toBe('-$2.50');
    expect(formatMoney(9007199254740993n, 'USD', 'exact')).toBe('$9,007,199,254.740993');
  });
});
