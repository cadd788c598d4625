import { displaySettings } from '../format/display-settings';

/**
 * Calendar days as kept in URLs and filters: `YYYY-MM-DD`. A day is the organization's (its time
 * zone, see display-settings.ts): "today", a billing day and a history filter day all begin at
 * its midnight, wherever the browser is.
 */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day a date picker shows for `date` (its local fields) as `YYYY-MM-DD`. */
export function toDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `YYYY-MM-DD` as a Date at the browser's local midnight, for date pickers. */
export function fromDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, zone: string | undefined): number[] {
  const key = zone ?? '';
  let format = partsFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormats.set(key, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(instant).map((part) => [part.type, Number(part.value)]),
  );
  return [
    parts['year'],
    parts['month'],
    parts['day'],
    parts['hour'],
    parts['minute'],
    parts['second'],
  ];
}

/** The organization's calendar day that `instant` falls on. */
export function dayOf(instant: Date): string {
  const [year, month, day] = wallClock(instant, displaySettings().timeZone);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** `day` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/**
 * The instant the organization's day `day` plus `days` begins: its midnight in the organization's
 * zone (DST-safe; 18:30 UTC the day before in India).
 */
export function startOfDay(day: string, days = 0): Date {
  const [year, month, date] = addDays(day, days).split('-').map(Number);
  const zone = displaySettings().timeZone;
  const wall = Date.UTC(year, month - 1, date);
  const offset = (at: number) => {
    const [y, mo, d, h, mi, s] = wallClock(new Date(at), zone);
    return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(at / 1000) * 1000;
  };
  let guess = wall - offset(wall);
  guess = wall - offset(guess);
  return new Date(guess);
}

/** True for a real calendar day in `YYYY-MM-DD` form (not 2026-02-31). */
export function isDay(text: string | null | undefined): text is string {
  return !!text && DAY_PATTERN.test(text) && toDay(fromDay(text)) === text;
}

/** The hour (0–23) of the organization's wall clock at `instant`. */
export function hourIn(instant: Date): number {
  return wallClock(instant, displaySettings().timeZone)[3];
}
