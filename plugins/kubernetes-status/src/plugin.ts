import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  KubernetesStatusClient,
  kubernetesStatusApiRef,
} from './api/KubernetesStatusApi';
import { clustersRouteRef } from './routes';

/** Legacy frontend plugin. @public */
export const kubernetesStatusPlugin = createPlugin({
  id: 'kubernetes-status',
  apis: [
    createApiFactory({
      api: kubernetesStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new KubernetesStatusClient(deps),
    }),
  ],
  routes: { clusters: clustersRouteRef },
});

/** @public */
export const KubernetesClustersPage = kubernetesStatusPlugin.provide(
  createRoutableExtension({
    name: 'KubernetesClustersPage',
    component: () =>
      import('./components/ClustersPage').then(m => m.ClustersPage),
    mountPoint: clustersRouteRef,
  }),
);

/** @public */
export const EntityKubernetesStatusContent = kubernetesStatusPlugin.provide(
  createComponentExtension({
    name: 'EntityKubernetesStatusContent',
    component: {
      lazy: () =>
        import('./components/KubernetesStatusContent').then(
          m => m.KubernetesStatusContent,
        ),
    },
  }),
);

/** @public */
export const EntityKubernetesHealthCard = kubernetesStatusPlugin.provide(
  createComponentExtension({
    name: 'EntityKubernetesHealthCard',
    component: {
      lazy: () =>
        import('./components/KubernetesHealthCard').then(
          m => m.KubernetesHealthCard,
        ),
    },
  }),
);
