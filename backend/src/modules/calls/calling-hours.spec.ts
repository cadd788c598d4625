import {
  calleeZones,
  checkCallingHours,
  localClock,
  nextOpening,
  zoneKeyOf,
  zonesOfKey,
} from './calling-hours';

const at = (iso: string) => new Date(iso);

describe('callee zones', () => {
  it('reads a North American area code, a single-zone country, and every zone otherwise', () => {
    expect(calleeZones('+14155550100', 'US')).toEqual(['America/Los_Angeles']);
    expect(calleeZones('+12125550100', 'US')).toEqual(['America/New_York']);
    expect(calleeZones('+16025550100', 'US')).toEqual(['America/Phoenix']);
    expect(calleeZones('+14165550100', 'CA')).toEqual(['America/Toronto']);
    expect(calleeZones('+919876543210', 'IN')).toEqual(['Asia/Kolkata']);
    // 850 is split between Eastern and Central: every US zone, read the most restrictive way.
    expect(calleeZones('+18505550100', 'US').length).toBeGreaterThan(3);
    expect(zoneKeyOf('+18505550100', 'US')).toBe('US*');
    expect(zonesOfKey('US*')).toEqual(calleeZones('+18505550100', 'US'));
    expect(zoneKeyOf('+14155550100', 'US')).toBe('America/Los_Angeles');
    expect(calleeZones('+2901234', null)).toEqual(['UTC']);
  });

  it('tells local wall-clock time, daylight saving included', () => {
    expect(localClock(at('2026-07-01T15:30:00Z'), 'America/New_York')).toMatchObject({
      hhmm: '11:30',
      day: 3,
    });
    expect(localClock(at('2026-12-01T15:30:00Z'), 'America/New_York').hhmm).toBe('10:30');
    expect(localClock(at('2026-12-01T15:30:00Z'), 'Asia/Kolkata').hhmm).toBe('21:00');
  });
});

describe('default calling hours', () => {
  it('allows the US 08:00–21:00 in the callee zone, end exclusive', () => {
    // 2026-12-01: New York is UTC-5, Los Angeles UTC-8.
    expect(checkCallingHours('+12125550100', 'US', at('2026-12-01T13:00:00Z')).allowed).toBe(true);
    expect(checkCallingHours('+12125550100', 'US', at('2026-12-01T12:59:00Z')).allowed).toBe(false);
    expect(checkCallingHours('+12125550100', 'US', at('2026-12-02T01:59:00Z')).allowed).toBe(true);
    const late = checkCallingHours('+12125550100', 'US', at('2026-12-02T02:00:00Z'));
    expect(late).toMatchObject({ allowed: false, localTime: '21:00', zone: 'America/New_York' });
    expect(late.reason).toContain('08:00–21:00');
    // 13:00 UTC is 05:00 in Los Angeles.
    expect(checkCallingHours('+14155550100', 'US', at('2026-12-01T13:00:00Z')).allowed).toBe(false);
  });

  it('allows India 09:00–21:00 IST', () => {
    expect(checkCallingHours('+919876543210', 'IN', at('2026-12-01T03:30:00Z')).allowed).toBe(true);
    expect(checkCallingHours('+919876543210', 'IN', at('2026-12-01T03:29:00Z')).allowed).toBe(
      false,
    );
    expect(checkCallingHours('+919876543210', 'IN', at('2026-12-01T15:30:00Z')).allowed).toBe(
      false,
    );
  });

  it('needs every zone of an unknown area code inside hours', () => {
    // 18:00 UTC: 13:00 New York, 08:00 Honolulu: all US zones inside.
    expect(checkCallingHours('+18505550100', 'US', at('2026-12-01T18:00:00Z')).allowed).toBe(true);
    // 14:00 UTC: 09:00 New York but 04:00 Honolulu.
    const early = checkCallingHours('+18505550100', 'US', at('2026-12-01T14:00:00Z'));
    expect(early).toMatchObject({ allowed: false });
  });

  it("narrows by a campaign's weekly windows, in its zone or the callee's", () => {
    const windows = [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' }];
    // Tuesday 2026-12-01 11:00 New York.
    const tuesday11 = at('2026-12-01T16:00:00Z');
    expect(checkCallingHours('+12125550100', 'US', tuesday11, { windows }).allowed).toBe(true);
    expect(
      checkCallingHours('+12125550100', 'US', tuesday11, { windows, timeZone: 'Asia/Tokyo' })
        .reason,
    ).toContain("campaign's calling windows");
    // Saturday.
    expect(
      checkCallingHours('+12125550100', 'US', at('2026-12-05T16:00:00Z'), { windows }).allowed,
    ).toBe(false);
  });

  it('finds the next opening minute, or none', () => {
    const from = at('2026-12-01T12:00:30Z');
    const opening = nextOpening(
      from,
      (moment) => checkCallingHours('+12125550100', 'US', moment).allowed,
    );
    expect(opening?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(nextOpening(from, () => false)).toBeNull();
  });
});
