import { formatDate, formatNumber, formatPercent } from '@angular/common';

import { DateFormat, formatDateAs, formatNumberAs, formatPercentAs } from './intl-format';

// The pipes replaced Angular's DatePipe/DecimalPipe/PercentPipe: the console must read the same.
describe('Intl pipes', () => {
  const when = [
    '2026-12-02T15:04:05.123Z',
    '2026-01-09T00:00:00.007Z',
    '2026-07-31T23:59:59.999Z',
    '2026-03-15T12:30:00.000Z',
  ];
  const formats: DateFormat[] = [
    'mediumDate',
    'MMM d, y',
    'h:mm:ss a',
    'h:mm:ss.SSS a',
    'MMM d, y, h:mm:ss a',
    'MMM d, h:mm a',
  ];

  it('shows dates as DatePipe did, in local time', () => {
    for (const value of when) {
      for (const format of formats) {
        expect(formatDateAs(value, format), `${value} as ${format}`).toBe(
          formatDate(value, format, 'en-US'),
        );
      }
    }
  });

  it('shows numbers and percentages as DecimalPipe and PercentPipe did', () => {
    for (const value of [0, 7, 1234, 1234567.891, 0.05, 12.345]) {
      expect(formatNumberAs(value)).toBe(formatNumber(value, 'en-US'));
      expect(formatNumberAs(value, '1.0-1')).toBe(formatNumber(value, 'en-US', '1.0-1'));
    }
    for (const value of [0, 0.5, 0.123, 0.9876, 1]) {
      expect(formatPercentAs(value)).toBe(formatPercent(value, 'en-US'));
      expect(formatPercentAs(value, '1.0-1')).toBe(formatPercent(value, 'en-US', '1.0-1'));
    }
  });

  it('shows nothing for missing values and refuses values that are not dates or numbers', () => {
    expect(formatDateAs(null)).toBeNull();
    expect(formatNumberAs(undefined)).toBeNull();
    expect(formatPercentAs('')).toBeNull();
    expect(() => formatDateAs('yesterday')).toThrow(/as a date/);
    expect(() => formatNumberAs('many')).toThrow(/as a number/);
  });
});
