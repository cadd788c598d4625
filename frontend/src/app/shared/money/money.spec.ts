import { FormControl } from '@angular/forms';

import { amountErrorText, amountValidator } from './amount-validator';
import { formatMicros, microsToDecimal, parseAmount, parseMicros } from './money';
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

  it('marks increases with a plus when asked (changes of a balance)', () => {
    expect(formatMicros('10000000', { signed: true })).toBe('+$10.00');
    expect(formatMicros('-6500', { signed: true })).toBe('-$0.0065');
    expect(formatMicros('0', { signed: true })).toBe('$0.00');
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

describe('parseAmount', () => {
  const micros = (text: string) => parseAmount(text).micros?.toString() ?? null;
  const error = (text: string) => parseAmount(text).error;

  it('turns units into exact micros without floating point', () => {
    expect(micros('25')).toBe('25000000');
    expect(micros('25.5')).toBe('25500000');
    expect(micros('25.50')).toBe('25500000');
    expect(micros('0.013')).toBe('13000'); // 0.013 * 1e6 is 12999.999999999998 in floats
    expect(micros('0.1')).toBe('100000');
    expect(micros('1.000001')).toBe('1000001');
    expect(micros('.5')).toBe('500000');
    expect(micros('7.')).toBe('7000000');
    expect(micros(' 1,250.75 ')).toBe('1250750000');
    expect(micros('+3')).toBe('3000000');
    expect(micros('0')).toBe('0');
    expect(micros('9999999.999999')).toBe('9999999999999');
  });

  it('refuses what is not an amount, negatives and more than 6 decimals', () => {
    expect(error('')).toBe('required');
    expect(error('   ')).toBe('required');
    expect(error('abc')).toBe('format');
    expect(error('1e3')).toBe('format');
    expect(error('12,5')).toBe('format'); // a decimal comma is not read as a thousands separator
    expect(error('1,25,000')).toBe('format');
    expect(error('1.2.3')).toBe('format');
    expect(error('.')).toBe('format');
    expect(error('-5')).toBe('negative');
    expect(error('1.1234567')).toBe('precision');
    expect(error('0.0000001')).toBe('precision');
    expect(error('10000000')).toBe('tooLarge');
    expect(parseAmount('1000000', 12).error).toBe('tooLarge');
  });

  it('formats micros back for an input field', () => {
    expect(microsToDecimal('5000000')).toBe('5.00');
    expect(microsToDecimal('13000')).toBe('0.013');
    expect(microsToDecimal(1n)).toBe('0.000001');
    expect(microsToDecimal('-2500000')).toBe('-2.50');
    expect(microsToDecimal('9007199254740993')).toBe('9007199254.740993');
  });

  it('validates form fields with the same rules and says what is wrong', () => {
    const control = new FormControl('', { nonNullable: true, validators: amountValidator() });
    const text = (value: string) => {
      control.setValue(value);
      return amountErrorText(control);
    };
    expect(text('')).toBe('Enter an amount');
    expect(text('0')).toBe('Enter an amount greater than 0');
    expect(text('-1')).toBe('Enter a positive amount');
    expect(text('1.1234567')).toBe('Use at most 6 decimals');
    expect(text('ten')).toBe('Enter a number, e.g. 25 or 25.50');
    expect(text('25.50')).toBeNull();

    const free = new FormControl('0', { validators: amountValidator({ allowZero: true }) });
    expect(free.valid).toBe(true);
  });
});

describe('MoneyPipe', () => {
  const pipe = new MoneyPipe();

  it('shows balances to the cent and rates and costs exactly, a dash when there is no amount', () => {
    expect(pipe.transform('1086487078')).toBe('$1,086.49');
    expect(pipe.transform('1234500')).toBe('$1.23');
    expect(pipe.transform('1234500', 'exact')).toBe('$1.2345');
    expect(pipe.transform('13000', 'exact')).toBe('$0.013');
    expect(pipe.transform('42900', 'exact')).toBe('$0.0429');
    expect(pipe.transform('40000', 'exact')).toBe('$0.04');
    expect(pipe.transform('-6500', 'exact', { signed: true })).toBe('-$0.0065');
    expect(pipe.transform('10000000', 'exact', { signed: true })).toBe('+$10.00');
    expect(pipe.transform('-4', 'cents')).toBe('$0.00');
    expect(pipe.transform('1234500', 'EUR')).toBe('€1.23');
    expect(pipe.transform('1234500', 'exact', { currency: 'EUR' })).toBe('€1.2345');
    expect(pipe.transform('1234500', null, { maxFractionDigits: 2 })).toBe('$1.23');
    expect(pipe.transform(null)).toBe('—');
    expect(pipe.transform(undefined)).toBe('—');
    expect(pipe.transform('not money')).toBe('—');
  });
});
