import { Pipe, PipeTransform } from '@angular/core';

import { displaySettings, displaySettingsVersion } from './display-settings';

/*
 * `date`, `number` and `percent` pipes on the browser's Intl, standing in for Angular's
 * DatePipe/DecimalPipe/PercentPipe: in the browser's locale (en-US reads as Angular's pipes did,
 * en-GB gets day-month order and a 24-hour clock) and the organization's time zone
 * (display-settings.ts). Angular's pipes live
 * in one file of @angular/common that the router also reaches, and the bundler assigns whole files
 * to chunks: using them in any lazy page put all of Angular's date and number formatting (15 kB)
 * into the JavaScript loaded before the first route. Only the formats the console uses exist, so
 * a new one is a compile error rather than a silent fallback.
 */

/** The date formats the console shows, named as Angular's DatePipe names them. */
export type DateFormat =
  | 'mediumDate'
  | 'MMM d, y'
  | 'h:mm:ss a'
  | 'h:mm:ss.SSS a'
  | 'MMM d, y, h:mm:ss a'
  | 'MMM d, h:mm a';

const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', second: '2-digit' };
const DAY: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', year: 'numeric' };

const DATE_OPTIONS: Readonly<Record<DateFormat, Intl.DateTimeFormatOptions>> = {
  mediumDate: DAY,
  'MMM d, y': DAY,
  'h:mm:ss a': TIME,
  'h:mm:ss.SSS a': { ...TIME, fractionalSecondDigits: 3 },
  'MMM d, y, h:mm:ss a': { ...DAY, ...TIME },
  'MMM d, h:mm a': { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
};

let formatsVersion = -1;
let dateFormats = new Map<DateFormat, Intl.DateTimeFormat>();
let numberFormats = new Map<string, Intl.NumberFormat>();

/** Drops the cached formatters when the locale or the organization's zone changed. */
function fresh(): void {
  if (formatsVersion === displaySettingsVersion()) return;
  formatsVersion = displaySettingsVersion();
  dateFormats = new Map();
  numberFormats = new Map();
}

function dateFormat(format: DateFormat): Intl.DateTimeFormat {
  fresh();
  let formatter = dateFormats.get(format);
  if (!formatter) {
    const { locale, timeZone } = displaySettings();
    formatter = new Intl.DateTimeFormat(locale, { ...DATE_OPTIONS[format], timeZone });
    dateFormats.set(format, formatter);
  }
  return formatter;
}

/** Newer ICU puts a narrow no-break space before AM/PM; Angular's pipes wrote a plain one. */
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

export function formatDateAs(
  value: string | number | Date | null | undefined,
  format: DateFormat = 'mediumDate',
): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Cannot show "${value}" as a date`);
  return plainSpaces(dateFormat(format).format(date));
}

/** Angular's digitsInfo, `{minIntegerDigits}.{minFractionDigits}-{maxFractionDigits}`. */
function numberFormat(digitsInfo: string, style: 'decimal' | 'percent'): Intl.NumberFormat {
  fresh();
  const key = `${style}:${digitsInfo}`;
  let format = numberFormats.get(key);
  if (!format) {
    const match = /^(\d+)\.(\d+)-(\d+)$/.exec(digitsInfo);
    if (!match) throw new Error(`Unsupported digitsInfo "${digitsInfo}"`);
    format = new Intl.NumberFormat(displaySettings().locale, {
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
