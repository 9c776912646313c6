import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { templateDriftRouteRef } from './routes';

/** Legacy frontend plugin. @public */
export const templateDriftPlugin = createPlugin({
  id: 'template-drift',
  routes: { root: templateDriftRouteRef },
});

/** @public */
export const TemplateDriftPage = templateDriftPlugin.provide(
  createRoutableExtension({
    name: 'TemplateDriftPage',
    component: () =>
      import('./components/TemplateDriftPage').then(m => m.TemplateDriftPage),
    mountPoint: templateDriftRouteRef,
  }),
);

/** @public */
export const EntityTemplateDriftCard = templateDriftPlugin.provide(
  createComponentExtension({
    name: 'EntityTemplateDriftCard',
    component: {
      lazy: () =>
        import('./components/TemplateDriftCard').then(m => m.TemplateDriftCard),
    },
  }),
);
