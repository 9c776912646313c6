import {
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  convertLegacyRouteRef,
  compatWrapper,
} from '@backstage/core-compat-api';
import UpdateIcon from '@material-ui/icons/Update';
import { isTemplateDriftAvailable } from './isTemplateDriftAvailable';
import { templateDriftRouteRef } from './routes';

const page = PageBlueprint.make({
  params: {
    path: '/template-drift',
    title: 'Template drift',
    icon: <UpdateIcon />,
    routeRef: convertLegacyRouteRef(templateDriftRouteRef),
    loader: () =>
      import('./components/TemplateDriftPage').then(m =>
        compatWrapper(<m.TemplateDriftPage />),
      ),
  },
});

const entityCard = EntityCardBlueprint.make({
  name: 'template-drift',
  params: {
    filter: isTemplateDriftAvailable,
    loader: () =>
      import('./components/TemplateDriftCard').then(m =>
        compatWrapper(<m.TemplateDriftCard />),
      ),
  },
});

/**
 * Template drift for the new frontend system: entity card on entities
 * created from a golden path, and the Template drift page.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'template-drift',
  title: 'Template drift',
  icon: <UpdateIcon />,
  routes: { root: convertLegacyRouteRef(templateDriftRouteRef) },
  extensions: [page, entityCard],
});
