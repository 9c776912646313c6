import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { opaServiceRef } from '@paved/plugin-policy-node';
import { createPolicyCheckAction } from './actions/policyCheck';

/**
 * Adds the `policy:check` action to the scaffolder.
 * @public
 */
export const scaffolderModulePolicy = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'policy',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        opa: opaServiceRef,
      },
      async init({ scaffolder, config, catalog, opa }) {
        scaffolder.addActions(
          createPolicyCheckAction({ config, catalog, opa }),
        );
      },
    });
  },
});
