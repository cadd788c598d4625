import { convertToParamMap } from '@angular/router';

import {
  BillingPeriod,
  DEFAULT_PERIOD,
  periodDays,
  periodFromParams,
  periodRange,
  periodToParams,
  periodDayKeys,
} from './billing-period';
import { configureDisplay } from '../../shared/format/display-settings';

describe('billing period', () => {
  const read = (params: Record<string, string>) => periodFromParams(convertToParamMap(params));
  // A Thursday afternoon, local time.
  const today = new Date(2026, 10, 19, 15, 30);

  it('puts presets and custom ranges in the query parameters, and reads them back', () => {
    const periods: BillingPeriod[] = [
      { preset: 'today' },
      { preset: '7d' },
      { preset: 'month' },
      { preset: 'custom', from: '2026-11-01', to: '2026-11-15' },
    ];
    for (const period of periods) {
      const params = Object.fromEntries(
        Object.entries(periodToParams(period)).filter(([, value]) => value !== null),
      );
      expect(read(params)).toEqual(period);
    }
    expect(periodToParams({ preset: '7d' })).toEqual({ period: '7d', from: null, to: null });
    expect(periodToParams({ preset: 'custom', from: '2026-11-01', to: '2026-11-15' })).toEqual({
      period: null,
      from: '2026-11-01',
      to: '2026-11-15',
    });
  });

  it('keeps the default period out of the URL', () => {
    expect(periodToParams(DEFAULT_PERIOD)).toEqual({ period: null, from: null, to: null });
    expect(read({})).toEqual(DEFAULT_PERIOD);
  });

  it('falls back to the default for hand-edited nonsense, and orders a reversed range', () => {
    expect(read({ period: 'forever' })).toEqual(DEFAULT_PERIOD);
    expect(read({ from: '2026-02-31', to: '2026-03-05' })).toEqual(DEFAULT_PERIOD);
    expect(read({ from: '2026-11-01' })).toEqual(DEFAULT_PERIOD);
    expect(read({ from: '2026-11-15', to: '2026-11-01' })).toEqual({
      preset: 'custom',
      from: '2026-11-01',
      to: '2026-11-15',
    });
  });

  it('turns presets into days, both ends included', () => {
    expect(periodDays({ preset: 'today' }, today)).toEqual({
      from: '2026-11-19',
      to: '2026-11-19',
    });
    expect(periodDays({ preset: '7d' }, today)).toEqual({ from: '2026-11-13', to: '2026-11-19' });
    expect(periodDays({ preset: '30d' }, today)).toEqual({ from: '2026-10-21', to: '2026-11-19' });
    expect(periodDays({ preset: 'month' }, today)).toEqual({
      from: '2026-11-01',
      to: '2026-11-19',
    });
  });

  it('asks the API from local midnight to the midnight after the last day', () => {
    expect(periodRange({ preset: 'custom', from: '2026-11-01', to: '2026-11-15' }, today)).toEqual({
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 16).toISOString(),
    });
    expect(periodRange({ preset: 'today' }, today)).toEqual({
      from: new Date(2026, 10, 19).toISOString(),
      to: new Date(2026, 10, 20).toISOString(),
    });
  });

  it("follows the organization's time zone, not the browser's", () => {
    configureDisplay({ timeZone: 'America/Los_Angeles' });
    try {
      // 6:55 PM on Dec 1 in Los Angeles (02:55 UTC on Dec 2): today is Dec 1, from its midnight.
      const evening = new Date('2026-12-02T02:55:00Z');
      expect(periodDays({ preset: 'today' }, evening)).toEqual({
        from: '2026-12-01',
        to: '2026-12-01',
      });
      expect(periodRange({ preset: 'today' }, evening)).toEqual({
        from: '2026-12-01T08:00:00.000Z',
        to: '2026-12-02T08:00:00.000Z',
      });
      configureDisplay({ timeZone: 'Asia/Kolkata' });
      expect(periodRange({ preset: 'today' }, evening)).toEqual({
        from: '2026-12-01T18:30:00.000Z',
        to: '2026-12-02T18:30:00.000Z',
      });
      expect(periodDayKeys('2026-11-30T18:30:00.000Z', '2026-12-02T18:30:00.000Z')).toEqual([
        '2026-12-01',
        '2026-12-02',
      ]);
    } finally {
      configureDisplay({ timeZone: undefined });
    }
  });

  it('lists every day of a range for the chart', () => {
    configureDisplay({ timeZone: 'UTC' });
    expect(periodDayKeys('2026-10-30T00:00:00.000Z', '2026-11-02T00:00:00.000Z')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ]);
    expect(periodDayKeys('2026-11-19T08:00:00.000Z', '2026-11-20T08:00:00.000Z')).toEqual([
      '2026-11-19',
      '2026-11-20',
    ]);
    configureDisplay({ timeZone: undefined });
  });
});
