import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { HomePageSearchBar } from '@backstage/plugin-search';
import { WIDGET_NAMES } from './widgetNames';

/**
 * The search bar of the search plugin: submitting opens the search page with
 * the query. No card title: the bar's own placeholder says what it is.
 */
export const SearchContent = () => (
  <HomePageSearchBar placeholder="Search the catalog and docs" />
);

/** Home widget: search across the portal. */
export const searchWidget = HomePageWidgetBlueprint.make({
  name: 'search',
  params: {
    name: WIDGET_NAMES.search,
    description: 'Search the catalog and docs',
    components: async () => ({ Content: SearchContent }),
  },
});
