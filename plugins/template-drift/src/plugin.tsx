import {
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import UpdateIcon from '@material-ui/icons/Update';
import { isTemplateDriftAvailable } from './isTemplateDriftAvailable';
import { templateDriftRouteRef } from './routes';

const page = PageBlueprint.make({
  params: {
    path: '/template-drift',
    title: 'Template drift',
    icon: <UpdateIcon />,
    routeRef: templateDriftRouteRef,
    loader: () =>
      import('./components/TemplateDriftPage').then(m => (
        <m.TemplateDriftPage />
      )),
  },
});

const entityCard = EntityCardBlueprint.make({
  name: 'template-drift',
  params: {
    filter: isTemplateDriftAvailable,
    loader: () =>
      import('./components/TemplateDriftCard').then(m => (
        <m.TemplateDriftCard />
      )),
  },
});

/**
 * Template drift (new frontend system only): entity card on entities
 * created from a golden path, and the Template drift page.
 * @public
 */
export const templateDriftPlugin = createFrontendPlugin({
  pluginId: 'template-drift',
  title: 'Template drift',
  icon: <UpdateIcon />,
  routes: { root: templateDriftRouteRef },
  extensions: [page, entityCard],
});
