import { EnvironmentProviders, Injectable, Provider } from '@angular/core';
import {
  DateAdapter,
  MAT_DATE_LOCALE,
  NativeDateAdapter,
  provideNativeDateAdapter,
} from '@angular/material/core';

import { displaySettings } from './display-settings';

type DayPart = 'day' | 'month' | 'year';

/** The order the locale writes a day's parts in: `['day', 'month', 'year']` for en-GB. */
export function dayPartOrder(locale: string): DayPart[] {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(new Date(2001, 10, 22))
    .map((part) => part.type)
    .filter((type): type is DayPart => type === 'day' || type === 'month' || type === 'year');
}

/**
 * A typed day read in the locale's order (`3/4/2026` is 3 April in en-GB, March 4 in en-US;
 * `2026-04-03` everywhere); null when it is not a real day. Two-digit years are this century.
 */
export function parseLocalDay(text: string, locale: string): Date | null {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const numbers = iso
    ? [iso[1], iso[2], iso[3]].map(Number)
    : trimmed
        .split(/[^\d]+/)
        .filter(Boolean)
        .map(Number);
  if (numbers.length !== 3) return null;
  const order: DayPart[] = iso ? ['year', 'month', 'day'] : dayPartOrder(locale);
  if (order.length !== 3) return null;
  const parts = Object.fromEntries(order.map((part, i) => [part, numbers[i]])) as Record<
    DayPart,
    number
  >;
  const year = parts.year < 100 ? 2000 + parts.year : parts.year;
  const date = new Date(year, parts.month - 1, parts.day);
  return date.getFullYear() === year &&
    date.getMonth() === parts.month - 1 &&
    date.getDate() === parts.day
    ? date
    : null;
}

/** The native adapter, reading typed days in the locale's order instead of `Date.parse`'s US one. */
@Injectable()
export class LocaleDateAdapter extends NativeDateAdapter {
  override parse(value: unknown, parseFormat?: object): Date | null {
    if (typeof value === 'string') {
      if (!value.trim()) return null;
      return parseLocalDay(value, this.locale as string) ?? this.invalid();
    }
    return super.parse(value, parseFormat);
  }
}

/**
 * The date pickers' adapter, writing and reading days in the browser's locale (12/2/2026 in
 * en-US, 2/12/2026 in en-GB) like every other date of the console. For a component's `providers`.
 */
export function provideDateAdapter(): (Provider | EnvironmentProviders)[] {
  return [
    provideNativeDateAdapter(),
    { provide: DateAdapter, useClass: LocaleDateAdapter },
    { provide: MAT_DATE_LOCALE, useFactory: () => displaySettings().locale },
  ];
}
