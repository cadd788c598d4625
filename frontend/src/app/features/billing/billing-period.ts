import { ParamMap, Params } from '@angular/router';

import { addDays, dayOf, isDay, startOfDay } from '../../shared/days/days';

export const PERIOD_PRESETS = ['today', '7d', '30d', 'month'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The days the Billing page looks at: a preset relative to today, or a custom range of days. */
export type BillingPeriod =
  | { preset: PeriodPreset }
  /** Local calendar days `YYYY-MM-DD`, both inclusive. */
  | { preset: 'custom'; from: string; to: string };

export const DEFAULT_PERIOD: BillingPeriod = { preset: '30d' };

export const PERIOD_LABELS: Readonly<Record<BillingPeriod['preset'], string>> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  custom: 'Custom',
};

/** Query parameter names. */
export const PERIOD_PARAM = { preset: 'period', from: 'from', to: 'to' } as const;

/**
 * Reads the period from the URL: `?period=7d`, `?from=2026-11-01&to=2026-11-15`, or nothing for
 * the default. Hand-edited nonsense falls back to the default.
 */
export function periodFromParams(params: ParamMap): BillingPeriod {
  const from = params.get(PERIOD_PARAM.from);
  const to = params.get(PERIOD_PARAM.to);
  if (isDay(from) && isDay(to)) {
    return from <= to ? { preset: 'custom', from, to } : { preset: 'custom', from: to, to: from };
  }
  const preset = params.get(PERIOD_PARAM.preset);
  return (PERIOD_PRESETS as readonly string[]).includes(preset ?? '')
    ? { preset: preset as PeriodPreset }
    : DEFAULT_PERIOD;
}

/** The period as query parameters; the ones it does not use are null, so that a merge drops them. */
export function periodToParams(period: BillingPeriod): Params {
  if (period.preset === 'custom') {
    return {
      [PERIOD_PARAM.preset]: null,
      [PERIOD_PARAM.from]: period.from,
      [PERIOD_PARAM.to]: period.to,
    };
  }
  return {
    [PERIOD_PARAM.preset]: period.preset === DEFAULT_PERIOD.preset ? null : period.preset,
    [PERIOD_PARAM.from]: null,
    [PERIOD_PARAM.to]: null,
  };
}

/** The first and last day (inclusive, the organization's days) of the period, as of `today`. */
export function periodDays(period: BillingPeriod, today: Date): { from: string; to: string } {
  if (period.preset === 'custom') return { from: period.from, to: period.to };
  const last = dayOf(today);
  switch (period.preset) {
    case 'today':
      return { from: last, to: last };
    case '7d':
      return { from: addDays(last, -6), to: last };
    case '30d':
      return { from: addDays(last, -29), to: last };
    case 'month':
      return { from: `${last.slice(0, 8)}01`, to: last };
  }
}

/**
 * The period as the API takes it: from the organization's midnight of the first day to that of the
 * day after the last.
 */
export function periodRange(period: BillingPeriod, today: Date): { from: string; to: string } {
  const days = periodDays(period, today);
  return {
    from: startOfDay(days.from).toISOString(),
    to: startOfDay(days.to, 1).toISOString(),
  };
}

export function samePeriod(a: BillingPeriod, b: BillingPeriod): boolean {
  if (a.preset !== b.preset) return false;
  return a.preset !== 'custom' || (b.preset === 'custom' && a.from === b.from && a.to === b.to);
}

/**
 * The organization's days from `from` (inclusive) to `to` (exclusive), the way the API groups calls
 * by day, so that the chart has a bar for every day, zero or not.
 */
export function periodDayKeys(fromIso: string, toIso: string, max = 400): string[] {
  const days: string[] = [];
  const last = dayOf(new Date(new Date(toIso).getTime() - 1));
  for (
    let day = dayOf(new Date(fromIso));
    day <= last && days.length < max;
    day = addDays(day, 1)
  ) {
    days.push(day);
  }
  return days;
}
