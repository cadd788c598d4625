import { canonicalTimeZone, dayStartsBetween, isTimeZone, startOfDayIn } from './time-zone';

describe('time zones', () => {
  it('accepts IANA zones and refuses anything else', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('America/Los_Angeles')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('+05:30')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('finds the start of the local day, half-hour offsets and DST included', () => {
    // 6:55 PM on Dec 1 in Los Angeles is 02:55 UTC on Dec 2: the day began on Dec 1, 08:00 UTC.
    expect(
      startOfDayIn(new Date('2026-12-02T02:55:00Z'), 'America/Los_Angeles').toISOString(),
    ).toBe('2026-12-01T08:00:00.000Z');
    expect(startOfDayIn(new Date('2026-12-02T02:55:00Z'), 'Asia/Kolkata').toISOString()).toBe(
      '2026-12-01T18:30:00.000Z',
    );
    expect(startOfDayIn(new Date('2026-12-02T02:55:00Z'), 'UTC').toISOString()).toBe(
      '2026-12-02T00:00:00.000Z',
    );
    // The day after the spring change in Paris begins at 22:00 UTC, the day of it at 23:00 UTC.
    expect(startOfDayIn(new Date('2026-03-29T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(startOfDayIn(new Date('2026-03-30T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
  });

  it('lists the day starts inside a range', () => {
    expect(
      dayStartsBetween(
        new Date('2026-12-01T18:30:00Z'),
        new Date('2026-12-04T18:30:00Z'),
        'Asia/Kolkata',
      ).map((d) => d.toISOString()),
    ).toEqual(['2026-12-02T18:30:00.000Z', '2026-12-03T18:30:00.000Z']);
  });
});
