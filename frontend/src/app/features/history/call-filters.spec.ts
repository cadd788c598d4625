import { convertToParamMap } from '@angular/router';

import { makeCall } from '../../testing';
import {
  NO_FILTERS,
  filtersFromParams,
  filtersToQuery,
  matchesFilters,
  searchText,
} from './call-filters';
import { presetDays } from './call-history-filters';

describe('history search', () => {
  it('keeps a number’s digits, and names or words as typed', () => {
    expect(searchText(' +1 (415) 555-01 ')).toBe('141555501');
    expect(searchText('Asha')).toBe('Asha');
    expect(searchText('  sms   reminder ')).toBe('sms reminder');
    expect(searchText('   ')).toBeNull();
    expect(searchText('x'.repeat(40))).toHaveLength(32);
  });

  it('reads names and words from the URL and sends them to the API', () => {
    const filters = filtersFromParams(convertToParamMap({ q: 'Asha Rao' }));
    expect(filters.q).toBe('Asha Rao');
    expect(filtersToQuery(filters).q).toBe('Asha Rao');
    expect(filtersFromParams(convertToParamMap({ q: '+1 415' })).q).toBe('1415');
  });

  it('places a pushed call under a name search by its contact, never by words it cannot see', () => {
    const asha = makeCall({ to: '+14155550100', contact: { id: 'c1', name: 'Asha Rao' } });
    const stranger = makeCall({ to: '+14155550199', contact: null });
    expect(matchesFilters(asha, { ...NO_FILTERS, q: 'asha' })).toBe(true);
    expect(matchesFilters(stranger, { ...NO_FILTERS, q: 'asha' })).toBe(false);
    // Words said on the call are only known to the server: not matched locally.
    expect(matchesFilters(stranger, { ...NO_FILTERS, q: 'reminder' })).toBe(false);
    expect(matchesFilters(stranger, { ...NO_FILTERS, q: '0199' })).toBe(true);
  });
});

describe('history date presets', () => {
  it('are the organization’s days up to today', () => {
    const now = new Date('2026-12-02T15:00:00Z');
    expect(presetDays('today', now)).toEqual({ from: '2026-12-02', to: '2026-12-02' });
    expect(presetDays('yesterday', now)).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    expect(presetDays('7d', now)).toEqual({ from: '2026-11-26', to: '2026-12-02' });
    expect(presetDays('30d', now)).toEqual({ from: '2026-11-03', to: '2026-12-02' });
  });
});
