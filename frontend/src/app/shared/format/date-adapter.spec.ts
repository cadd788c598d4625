import { dayPartOrder, parseLocalDay } from './date-adapter';

describe('typed days in the browser’s locale', () => {
  it('knows each locale’s order', () => {
    expect(dayPartOrder('en-US')).toEqual(['month', 'day', 'year']);
    expect(dayPartOrder('en-GB')).toEqual(['day', 'month', 'year']);
    expect(dayPartOrder('de-DE')).toEqual(['day', 'month', 'year']);
  });

  it('reads 3/4/2026 day-first outside the US, month-first in it', () => {
    const gb = parseLocalDay('3/4/2026', 'en-GB')!;
    expect([gb.getFullYear(), gb.getMonth() + 1, gb.getDate()]).toEqual([2026, 4, 3]);
    const us = parseLocalDay('3/4/2026', 'en-US')!;
    expect([us.getFullYear(), us.getMonth() + 1, us.getDate()]).toEqual([2026, 3, 4]);
    const de = parseLocalDay('24.12.26', 'de-DE')!;
    expect([de.getFullYear(), de.getMonth() + 1, de.getDate()]).toEqual([2026, 12, 24]);
  });

  it('reads ISO days everywhere and refuses days that do not exist', () => {
    const iso = parseLocalDay('2026-04-03', 'en-GB')!;
    expect([iso.getMonth() + 1, iso.getDate()]).toEqual([4, 3]);
    expect(parseLocalDay('31/2/2026', 'en-GB')).toBeNull();
    expect(parseLocalDay('13/13/2026', 'en-US')).toBeNull();
    expect(parseLocalDay('tomorrow', 'en-GB')).toBeNull();
  });
});
