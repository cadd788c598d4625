import { ParamMap, Params } from '@angular/router';

import {
  CALL_DIRECTIONS,
  CALL_STATUSES,
  CallDirection,
  CallStatus,
  CallView,
  PROVIDERS,
  Provider,
} from '../../core/calls/call';
import { CallQuery } from '../../core/calls/calls-api';
import { startOfDay } from '../../shared/days/days';

/** What the history is filtered by, as kept in the URL (dates are local calendar days). */
export interface CallFilters {
  status: readonly CallStatus[];
  provider: Provider | null;
  direction: CallDirection | null;
  agentId: string | null;
  /** ISO 3166 two-letter code, upper case. */
  country: string | null;
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string | null;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  to: string | null;
  /**
   * What is searched for: the digits of a number when written like one, else the text as typed
   * (trimmed), which the API looks for in contacts' names and in the words said on calls.
   */
  q: string | null;
}

export const NO_FILTERS: CallFilters = {
  status: [],
  provider: null,
  direction: null,
  agentId: null,
  country: null,
  from: null,
  to: null,
  q: null,
};

/** Query parameter names, for the filters and the open call. */
export const PARAM = {
  status: 'status',
  provider: 'provider',
  direction: 'direction',
  agentId: 'agent',
  country: 'country',
  from: 'from',
  to: 'to',
  q: 'q',
  call: 'call',
} as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the filters from the URL, dropping values the API would refuse (hand-edited links). */
export function filtersFromParams(params: ParamMap): CallFilters {
  const one = <T extends string>(name: string, allowed: readonly T[]): T | null => {
    const value = params.get(name);
    return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
  };
  const status = (params.get(PARAM.status) ?? '')
    .split(',')
    .filter((s): s is CallStatus => (CALL_STATUSES as readonly string[]).includes(s));
  const agentId = params.get(PARAM.agentId);
  const country = params.get(PARAM.country)?.toUpperCase() ?? null;
  const from = params.get(PARAM.from);
  const to = params.get(PARAM.to);
  const q = searchText(params.get(PARAM.q));
  return {
    status: CALL_STATUSES.filter((s) => status.includes(s)),
    provider: one(PARAM.provider, PROVIDERS),
    direction: one(PARAM.direction, CALL_DIRECTIONS),
    agentId: agentId && UUID.test(agentId) ? agentId : null,
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    from: from && DAY.test(from) ? from : null,
    to: to && DAY.test(to) ? to : null,
    q: q || null,
  };
}

/** The filters as query parameters; unset filters are null so that a merge removes them. */
export function filtersToParams(filters: CallFilters): Params {
  return {
    [PARAM.status]: filters.status.length ? filters.status.join(',') : null,
    [PARAM.provider]: filters.provider,
    [PARAM.direction]: filters.direction,
    [PARAM.agentId]: filters.agentId,
    [PARAM.country]: filters.country,
    [PARAM.from]: filters.from,
    [PARAM.to]: filters.to,
    [PARAM.q]: filters.q,
  };
}

/** The filters as the API takes them: calendar days become instants of the user's time zone. */
export function filtersToQuery(filters: CallFilters): CallQuery {
  const query: CallQuery = {};
  if (filters.status.length) query.status = filters.status;
  if (filters.provider) query.provider = filters.provider;
  if (filters.direction) query.direction = filters.direction;
  if (filters.agentId) query.agentId = filters.agentId;
  if (filters.country) query.country = filters.country;
  if (filters.from) query.from = startOfDay(filters.from, 0).toISOString();
  if (filters.to) query.to = startOfDay(filters.to, 1).toISOString(); // the API's `to` is exclusive
  if (filters.q) query.q = filters.q;
  return query;
}

/** Whether the API would list `call` under these filters (decides where a pushed call goes). */
export function matchesFilters(call: CallView, filters: CallFilters): boolean {
  const created = Date.parse(call.createdAt);
  return (
    (!filters.status.length || filters.status.includes(call.status)) &&
    (!filters.provider || call.provider === filters.provider) &&
    (!filters.direction || call.direction === filters.direction) &&
    (!filters.agentId || call.agent?.id === filters.agentId) &&
    (!filters.country || call.country === filters.country) &&
    (!filters.from || created >= startOfDay(filters.from, 0).getTime()) &&
    (!filters.to || created < startOfDay(filters.to, 1).getTime()) &&
    (!filters.q || matchesSearch(call, filters.q))
  );
}

/** The API's limit on `q`. */
export const SEARCH_MAX_LENGTH = 32;

/** Whether `text` is written like a phone number (digits, `+`, brackets, dashes, dots, spaces). */
export function isNumberSearch(text: string): boolean {
  return /^[\d\s+().-]+$/.test(text);
}

/**
 * The search as kept in the filters: a number's digits (`+1 (415)` → `1415`), else the text
 * trimmed, with its inner spaces collapsed; null when nothing is left.
 */
export function searchText(text: string | null | undefined): string | null {
  const trimmed = (text ?? '').trim().replace(/\s+/g, ' ').slice(0, SEARCH_MAX_LENGTH);
  if (!trimmed) return null;
  if (isNumberSearch(trimmed)) return digitsOf(trimmed) || null;
  return trimmed;
}

/**
 * Whether a pushed call belongs under the search. Numbers are matched here like the API does;
 * a name or words only by the contact's name: the words said on a call are only known to the
 * server (a call found by them shows after a refresh, and rows already listed are kept updated).
 */
function matchesSearch(call: CallView, q: string): boolean {
  if (/^\d+$/.test(q)) return digitsOf(call.to).includes(q) || digitsOf(call.from).includes(q);
  const name = call.contact?.name?.toLowerCase() ?? '';
  return !!name && name.includes(q.toLowerCase());
}

export function sameFilters(a: CallFilters, b: CallFilters): boolean {
  return (
    a.status.join(',') === b.status.join(',') &&
    a.provider === b.provider &&
    a.direction === b.direction &&
    a.agentId === b.agentId &&
    a.country === b.country &&
    a.from === b.from &&
    a.to === b.to &&
    a.q === b.q
  );
}

export function hasFilters(filters: CallFilters): boolean {
  return !sameFilters(filters, NO_FILTERS);
}

/** `+1 (415) 555-0100` → `14155550100`. */
export function digitsOf(text: string | null | undefined): string {
  return (text ?? '').replace(/\D/g, '');
}
