import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

const DEFAULT_ADMIN_GROUPS = ['group:default/platform-team'];

/**
 * Installs {@link PavedPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModulePavedPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const adminGroups =
          config.getOptionalStringArray('permission.paved.adminGroups') ?? DEFAULT_ADMIN_GROUPS;
        policy.setPolicy(new PavedPermissionPolicy({ adminGroups }));
      },
    });
  },
});
