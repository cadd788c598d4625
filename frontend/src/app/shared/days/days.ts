/** Calendar days of the user's time zone, as kept in URLs and filters: `YYYY-MM-DD`. */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar day as `YYYY-MM-DD`. */
export function toDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `YYYY-MM-DD` as a local Date at midnight. */
export function fromDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

/** Local midnight of `day` plus `days` calendar days (DST-safe: not a multiple of 24 h). */
export function startOfDay(day: string, days = 0): Date {
  const date = fromDay(day);
  date.setDate(date.getDate() + days);
  return date;
}

/** True for a real calendar day in `YYYY-MM-DD` form (not 2026-02-31). */
export function isDay(text: string | null | undefined): text is string {
  return !!text && DAY_PATTERN.test(text) && toDay(fromDay(text)) === text;
}
