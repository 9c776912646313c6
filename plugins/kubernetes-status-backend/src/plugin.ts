import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { kubernetesStatusPermissions } from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesClusterSupplier,
  kubernetesObjectCacheServiceRef,
  kubernetesStatusClusterSupplierExtensionPoint,
} from '@paved/plugin-kubernetes-status-node';
import { createRouter } from './service/router';
import { EntityStatusService } from './status/EntityStatusService';
import { ChangeNotifier } from './status/ChangeNotifier';
import { CatalogClusterSupplier } from './clusters/CatalogClusterSupplier';

/**
 * Kubernetes status backend plugin. Needs `kubernetesObjectCacheServiceFactory`
 * added to the backend too (the caches are shared by all plugins).
 * @public
 */
export const kubernetesStatusPlugin = createBackendPlugin({
  pluginId: 'kubernetes-status',
  register(env) {
    const suppliers: KubernetesClusterSupplier[] = [];
    env.registerExtensionPoint(kubernetesStatusClusterSupplierExtensionPoint, {
      addClusterSupplier: supplier => suppliers.push(supplier),
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        cache: kubernetesObjectCacheServiceRef,
      },
      async init(deps) {
        const { config, logger, auth, catalog, cache, lifecycle } = deps;
        deps.permissionsRegistry.addPermissions(kubernetesStatusPermissions);
        for (const supplier of suppliers)
          await cache.addClusterSupplier(supplier);
        if (
          config.getOptionalBoolean(
            'kubernetesStatus.catalogClusters.enabled',
          ) ??
          true
        ) {
          // The catalog answers only once the backend has started.
          lifecycle.addStartupHook(async () => {
            try {
              await cache.addClusterSupplier(
                new CatalogClusterSupplier({ catalog, auth, config }),
              );
            } catch (err) {
              logger.warn(
                `Could not read kubernetes-cluster resources from the catalog: ${err}`,
              );
            }
          });
        }
        const notifier = new ChangeNotifier({ cache, signals: deps.signals });
        lifecycle.addShutdownHook(() => notifier.stop());
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog,
            statusService: new EntityStatusService({ cache }),
            notifier,
          }),
        );
      },
    });
  },
});
