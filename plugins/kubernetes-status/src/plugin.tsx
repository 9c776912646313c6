import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import {
  KubernetesStatusClient,
  kubernetesStatusApiRef,
} from './api/KubernetesStatusApi';
import { isKubernetesStatusAvailable } from './isKubernetesAvailable';
import { clustersRouteRef } from './routes';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kubernetesStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new KubernetesStatusClient(deps),
    }),
});

const clustersPage = PageBlueprint.make({
  params: {
    path: '/kubernetes-clusters',
    title: 'Clusters',
    icon: <CloudIcon />,
    routeRef: clustersRouteRef,
    loader: () =>
      import('./components/ClustersPage').then(m => <m.ClustersPage />),
  },
});

const entityContent = EntityContentBlueprint.make({
  params: {
    path: 'kubernetes',
    title: 'Kubernetes',
    filter: isKubernetesStatusAvailable,
    loader: () =>
      import('./components/KubernetesStatusContent').then(m => (
        <m.KubernetesStatusContent />
      )),
  },
});

const entityCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    // An info card: at the top of the overview's side column, not below
    // every content card (it was about 1,765 px down at 1440x900).
    type: 'info',
    filter: isKubernetesStatusAvailable,
    loader: () =>
      import('./components/KubernetesHealthCard').then(m => (
        <m.KubernetesHealthCard />
      )),
  },
});

/**
 * Kubernetes status (new frontend system only): entity tab, health card,
 * Clusters page, and the API client.
 * @public
 */
export const kubernetesStatusPlugin = createFrontendPlugin({
  pluginId: 'kubernetes-status',
  title: 'Kubernetes status',
  icon: <CloudIcon />,
  routes: { clusters: clustersRouteRef },
  extensions: [api, clustersPage, entityContent, entityCard],
});
