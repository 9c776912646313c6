import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { homePageLayout } from './HomePageLayout';
import { gettingStartedWidget } from './GettingStartedWidget';
import { myServicesWidget } from './MyServicesWidget';
import { recentRunsWidget } from './RecentRunsWidget';
import { searchWidget } from './SearchWidget';

/**
 * Paved's home page (mounted at `/` in app-config.yaml): its layout and
 * widgets. A module of the `home` plugin, because the page's `layout` input
 * only accepts extensions of that plugin.
 */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [
    homePageLayout,
    searchWidget,
    gettingStartedWidget,
    myServicesWidget,
    recentRunsWidget,
  ],
});
