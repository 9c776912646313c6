import {
  POLICY_SOURCES,
  PolicySource,
  VIOLATION_LEVELS,
  ViolationLevel,
} from '@paved/plugin-policy-common';
import { EMPTY_FILTERS, FleetFilterValues } from './FleetFilters';

export const DEFAULT_PAGE_SIZE = 25;

/** The fleet view's filters and page, as kept in the URL so a view can be shared. */
export interface FleetUrlState {
  filters: FleetFilterValues;
  page: { offset: number; limit: number };
}

const nonNegativeInt = (
  value: string | null,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
) => {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= 0 && n <= max
    ? n
    : fallback;
};

/** Reads the state from the query string, ignoring values the API would reject. */
export function readFleetUrlState(params: URLSearchParams): FleetUrlState {
  const limit =
    nonNegativeInt(params.get('limit'), DEFAULT_PAGE_SIZE, 500) ||
    DEFAULT_PAGE_SIZE;
  return {
    filters: {
      ...EMPTY_FILTERS,
      owner: params.getAll('owner'),
      system: params.getAll('system'),
      kind: params.getAll('kind'),
      level: params
        .getAll('level')
        .filter((l): l is ViolationLevel =>
          VIOLATION_LEVELS.includes(l as ViolationLevel),
        ),
      source: params
        .getAll('source')
        .filter((s): s is PolicySource =>
          POLICY_SOURCES.includes(s as PolicySource),
        ),
      myTeams: params.get('mine') === 'true',
    },
    page: { offset: nonNegativeInt(params.get('offset'), 0), limit },
  };
}

/** Writes the state as a query string; defaults are left out. */
export function fleetUrlSearch(state: FleetUrlState): URLSearchParams {
  const params = new URLSearchParams();
  const { filters, page } = state;
  for (const key of ['owner', 'system', 'kind', 'level', 'source'] as const) {
    for (const value of filters[key]) params.append(key, value);
  }
  if (filters.myTeams) params.set('mine', 'true');
  if (page.offset) params.set('offset', String(page.offset));
  if (page.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(page.limit));
  return params;
}
