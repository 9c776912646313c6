/**
 * Names of the Paved home widgets: the layout places widgets by these names,
 * so a widget and its slot cannot drift apart.
 */
export const WIDGET_NAMES = {
  search: 'PavedSearch',
  gettingStarted: 'GettingStarted',
  myServices: 'MyServices',
  recentRuns: 'RecentGoldenPathRuns',
} as const;
