/**
 * Organization time zones: IANA names (`Europe/Paris`, `Asia/Kolkata`), validated by the runtime's
 * own zone data, and the instants where their days begin. An organization without one (null) lives
 * in UTC.
 */
export const DEFAULT_TIME_ZONE = 'UTC';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
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
    formatters.set(zone, format);
  }
  return format;
}

/** An IANA zone name the runtime knows (`UTC` included); offsets like `+05:30` are not zones. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return false;
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

let knownZones: Map<string, string> | undefined;

/** The zone's usual spelling (`asia/kolkata` → `Asia/Kolkata`), as the user chose it otherwise. */
export function canonicalTimeZone(zone: string): string {
  knownZones ??= new Map(
    [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((name) => [name.toLowerCase(), name]),
  );
  return knownZones.get(zone.toLowerCase()) ?? zone;
}

export function organizationTimeZone(organization: { timeZone: string | null } | null): string {
  return organization?.timeZone ?? DEFAULT_TIME_ZONE;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(instant: Date, zone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(instant)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, zone: string): number {
  const t = localTime(instant, zone);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the zone's wall clock reads year-month-day 00:00 (the first instant after it when a DST jump skips midnight). */
function midnightOf(year: number, month: number, day: number, zone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetAt(new Date(wall), zone);
  guess = wall - offsetAt(new Date(guess), zone);
  return new Date(guess);
}

/** The start of the zone's day that contains `instant`. */
export function startOfDayIn(instant: Date, zone: string): Date {
  const t = localTime(instant, zone);
  const start = midnightOf(t.year, t.month, t.day, zone);
  // A guess past the instant (a day that starts late after a DST change): take the day before.
  return start > instant ? midnightOf(t.year, t.month, t.day - 1, zone) : start;
}

/** The starts of the zone's days strictly inside (from, to): where a by-day grouping changes day. */
export function dayStartsBetween(from: Date, to: Date, zone: string): Date[] {
  const starts: Date[] = [];
  const first = localTime(from, zone);
  for (let offset = 1; ; offset++) {
    const start = midnightOf(first.year, first.month, first.day + offset, zone);
    if (start >= to) return starts;
    if (start > from) starts.push(start);
    if (offset > 3700) return starts; // ten years of days: beyond any range the API accepts
  }
}
