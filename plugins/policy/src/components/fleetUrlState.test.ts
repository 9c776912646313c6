import {
  DEFAULT_PAGE_SIZE,
  fleetUrlSearch,
  readFleetUrlState,
} from './fleetUrlState';

describe('fleet URL state', () => {
  it('round-trips filters and page', () => {
    const state = {
      filters: {
        owner: ['group:default/team-a', 'group:default/team-b'],
        system: ['system:default/shop'],
        kind: ['Component'],
        level: ['error' as const],
        source: ['gatekeeper' as const],
        myTeams: true,
      },
      page: { offset: 50, limit: 100 },
    };
    expect(readFleetUrlState(fleetUrlSearch(state))).toEqual(state);
  });

  it('leaves defaults out of the URL', () => {
    const search = fleetUrlSearch(readFleetUrlState(new URLSearchParams()));
    expect(search.toString()).toBe('');
  });

  it('ignores values the API would reject', () => {
    const state = readFleetUrlState(
      new URLSearchParams('level=fatal&source=git&offset=-3&limit=100000'),
    );
    expect(state.filters.level).toEqual([]);
    expect(state.filters.source).toEqual([]);
    expect(state.page).toEqual({ offset: 0, limit: DEFAULT_PAGE_SIZE });
  });
});
