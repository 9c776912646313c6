import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { EntityChangeProcessor } from './EntityChangeProcessor';
import { readPolicyChangesConfig } from './config';

/**
 * Adds {@link EntityChangeProcessor} to the catalog, so the policy backend
 * hears about changed entities within seconds. Does nothing without
 * `policy.opa.baseUrl` or with `policy.catalogChanges.enabled: false`.
 * @public
 */
export const catalogModulePolicyChanges = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'policy-changes',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        logger: coreServices.logger,
      },
      async init({ catalog, config, events, logger }) {
        const settings = readPolicyChangesConfig(config);
        if (!settings.enabled) return;
        catalog.addProcessor(new EntityChangeProcessor({ events, logger }));
      },
    });
  },
});
