import { formatMicros, parseMicros } from './money';
import { MoneyPipe } from './money-pipe';

describe('formatMicros', () => {
  it('formats micros exactly, with 2 to 4 decimals', () => {
    expect(formatMicros('1234500')).toBe('$1.2345');
    expect(formatMicros('1500000')).toBe('$1.50');
    expect(formatMicros('1000000')).toBe('$1.00');
    expect(formatMicros('0')).toBe('$0.00');
    expect(formatMicros('10')).toBe('$0.00');
    expect(formatMicros('120000')).toBe('$0.12');
    expect(formatMicros('123000')).toBe('$0.123');
  });

  it('rounds half away from zero at the last shown decimal', () => {
    expect(formatMicros('1234550')).toBe('$1.2346');
    expect(formatMicros('1234549')).toBe('$1.2345');
    expect(formatMicros('999950')).toBe('$1.00');
    expect(formatMicros('-1234550')).toBe('-$1.2346');
    expect(formatMicros('5', { maxFractionDigits: 5 })).toBe('$0.00001');
    expect(formatMicros('4', { maxFractionDigits: 5 })).toBe('$0.00');
    expect(formatMicros('1235000', { maxFractionDigits: 2 })).toBe('$1.24');
  });

  it('keeps the sign of negative amounts, but not of amounts that round to zero', () => {
    expect(formatMicros('-2500000')).toBe('-$2.50');
    expect(formatMicros('-40')).toBe('$0.00');
  });

  it('stays exact beyond the precision of a JavaScript number', () => {
    // 2^53 + 1 micros: Number() would round it to ...992.
    expect(formatMicros('9007199254740993', { maxFractionDigits: 6 })).toBe(
      '$9,007,199,254.740993',
    );
    expect(formatMicros(123456789012345678901234567890n)).toBe(
      '$123,456,789,012,345,678,901,234.5679',
    );
  });

  it('groups thousands and uses the currency symbol or code', () => {
    expect(formatMicros('1234567890000')).toBe('$1,234,567.89');
    expect(formatMicros('2000000', { currency: 'EUR' })).toBe('€2.00');
    expect(formatMicros('2000000', { currency: 'inr' })).toBe('₹2.00');
    expect(formatMicros('2000000', { currency: 'AED' })).toBe('AED\u00a02.00');
  });

  it('refuses what is not an integer amount of micros', () => {
    expect(parseMicros('1.5')).toBeNull();
    expect(parseMicros('abc')).toBeNull();
    expect(parseMicros(null)).toBeNull();
    expect(parseMicros(' 42 ')).toBe(42n);
    expect(() => formatMicros('1e6')).toThrow(/Not an integer/);
  });
});

describe('MoneyPipe', () => {
  const pipe = new MoneyPipe();

  it('formats amounts and shows a dash when there is none', () => {
    expect(pipe.transform('1234500')).toBe('$1.2345');
    expect(pipe.transform('1234500', 'EUR')).toBe('€1.2345');
    expect(pipe.transform('1234500', null, { maxFractionDigits: 2 })).toBe('$1.23');
    expect(pipe.transform(null)).toBe('—');
    expect(pipe.transform(undefined)).toBe('—');
    expect(pipe.transform('not money')).toBe('—');
  });
});
