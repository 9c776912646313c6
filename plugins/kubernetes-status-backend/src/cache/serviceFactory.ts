import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { kubernetesObjectCacheServiceRef } from '@paved/plugin-kubernetes-status-node';
import {
  KubernetesObjectCache,
  readWatchTuning,
} from './KubernetesObjectCache';
import { ConfigClusterSupplier } from '../clusters/ConfigClusterSupplier';

/**
 * Root-scoped factory of the shared cluster caches: one set of watches per
 * backend process, whatever number of plugins read them.
 * @public
 */
export const kubernetesObjectCacheServiceFactory = createServiceFactory({
  service: kubernetesObjectCacheServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
    lifecycle: coreServices.rootLifecycle,
  },
  async factory({ config, logger, lifecycle }) {
    const cache = new KubernetesObjectCache({
      logger: logger.child({ plugin: 'kubernetes-status' }),
      tuning: readWatchTuning(config),
    });
    await cache.addClusterSupplier(new ConfigClusterSupplier(config));
    lifecycle.addShutdownHook(() => cache.stop());
    return cache;
  },
});
