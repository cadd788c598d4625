import { Pipe, PipeTransform } from '@angular/core';

/*
 * `date`, `number` and `percent` pipes on the browser's Intl, standing in for Angular's
 * DatePipe/DecimalPipe/PercentPipe with the same output (en-US, local time). Angular's pipes live
 * in one file of @angular/common that the router also reaches, and the bundler assigns whole files
 * to chunks: using them in any lazy page put all of Angular's date and number formatting (15 kB)
 * into the JavaScript loaded before the first route. Only the formats the console uses exist, so
 * a new one is a compile error rather than a silent fallback.
 */

const LOCALE = 'en-US';

/** The date formats the console shows, named as Angular's DatePipe names them. */
export type DateFormat =
  | 'mediumDate'
  | 'MMM d, y'
  | 'h:mm:ss a'
  | 'h:mm:ss.SSS a'
  | 'MMM d, y, h:mm:ss a'
  | 'MMM d, h:mm a';

const TIME: Intl.DateTimeFormatOptions = {
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: true,
};
const DAY: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', year: 'numeric' };

const DATE_FORMATS: Readonly<Record<DateFormat, Intl.DateTimeFormat>> = {
  mediumDate: new Intl.DateTimeFormat(LOCALE, DAY),
  'MMM d, y': new Intl.DateTimeFormat(LOCALE, DAY),
  'h:mm:ss a': new Intl.DateTimeFormat(LOCALE, TIME),
  'h:mm:ss.SSS a': new Intl.DateTimeFormat(LOCALE, { ...TIME, fractionalSecondDigits: 3 }),
  'MMM d, y, h:mm:ss a': new Intl.DateTimeFormat(LOCALE, { ...DAY, ...TIME }),
  'MMM d, h:mm a': new Intl.DateTimeFormat(LOCALE, {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  }),
};

/** Newer ICU puts a narrow no-break space before AM/PM; Angular's pipes wrote a plain one. */
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

export function formatDateAs(
  value: string | number | Date | null | undefined,
  format: DateFormat = 'mediumDate',
): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Cannot show "${value}" as a date`);
  return plainSpaces(DATE_FORMATS[format].format(date));
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Angular's digitsInfo, `{minIntegerDigits}.{minFractionDigits}-{maxFractionDigits}`. */
function numberFormat(digitsInfo: string, style: 'decimal' | 'percent'): Intl.NumberFormat {
  const key = `${style}:${digitsInfo}`;
  let format = numberFormats.get(key);
  if (!format) {
    const match = /^(\d+)\.(\d+)-(\d+)$/.exec(digitsInfo);
    if (!match) throw new Error(`Unsupported digitsInfo "${digitsInfo}"`);
    format = new Intl.NumberFormat(LOCALE, {
      style,
      minimumIntegerDigits: Number(match[1]),
      minimumFractionDigits: Number(match[2]),
      maximumFractionDigits: Number(match[3]),
    });
    numberFormats.set(key, format);
  }
  return format;
}

function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) throw new Error(`Cannot show "${value}" as a number`);
  return number;
}

export function formatNumberAs(
  value: number | string | null | undefined,
  digitsInfo = '1.0-3',
): string | null {
  const number = toNumber(value);
  return number === null ? null : numberFormat(digitsInfo, 'decimal').format(number);
}

export function formatPercentAs(
  value: number | string | null | undefined,
  digitsInfo = '1.0-0',
): string | null {
  const number = toNumber(value);
  return number === null ? null : numberFormat(digitsInfo, 'percent').format(number);
}

/** `{{ when | date: 'MMM d, y' }}`, as Angular's DatePipe would show it. */
@Pipe({ name: 'date' })
export class IntlDatePipe implements PipeTransform {
  transform(value: string | number | Date | null | undefined, format?: DateFormat): string | null {
    return formatDateAs(value, format);
  }
}

/** `{{ count | number: '1.0-1' }}`, as Angular's DecimalPipe would show it. */
@Pipe({ name: 'number' })
export class IntlNumberPipe implements PipeTransform {
  transform(value: number | string | null | undefined, digitsInfo?: string): string | null {
    return formatNumberAs(value, digitsInfo);
  }
}

/** `{{ rate | percent: '1.0-1' }}`, as Angular's PercentPipe would show it. */
@Pipe({ name: 'percent' })
export class IntlPercentPipe implements PipeTransform {
  transform(value: number | string | null | undefined, digitsInfo?: string): string | null {
    return formatPercentAs(value, digitsInfo);
  }
}
