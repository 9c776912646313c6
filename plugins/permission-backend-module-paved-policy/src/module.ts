import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { opaServiceRef } from '@paved/plugin-policy-node';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';
import { OpaPermissionPolicy, staticPolicy } from './OpaPermissionPolicy';
import { OpaPermissionFallback, readOpaPermissionConfig } from './config';

const DEFAULT_ADMIN_GROUPS = ['group:default/platform-team'];

/**
 * Installs Paved's permission policy: {@link PavedPermissionPolicy}, or with
 * `permission.opa.enabled: true` an {@link OpaPermissionPolicy} that asks OPA
 * and falls back to `permission.opa.fallback` (default: the Paved policy).
 * One module sets the one policy the permission backend accepts.
 *
 * @public
 */
export const permissionModulePavedPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        opaService: opaServiceRef,
      },
      async init({ policy, config, logger, opaService }) {
        const adminGroups =
          config.getOptionalStringArray('permission.paved.adminGroups') ??
          DEFAULT_ADMIN_GROUPS;
        const paved = new PavedPermissionPolicy({ adminGroups });
        const opaConfig = readOpaPermissionConfig(config);
        if (!opaConfig.enabled) {
          policy.setPolicy(paved);
          return;
        }
        const fallbacks: Record<OpaPermissionFallback, PermissionPolicy> = {
          paved,
          deny: staticPolicy(AuthorizeResult.DENY),
          allow: staticPolicy(AuthorizeResult.ALLOW),
        };
        if (opaConfig.fallback === 'allow') {
          logger.warn(
            'permission.opa.fallback is allow: whenever OPA gives no answer, every permission is granted',
          );
        }
        // No retries: a permission check waits for the answer; the fallback answers at once instead.
        const opa = opaService.client({ retries: 0 });
        if (opa) {
          logger.info(
            `Permission decisions from OPA at ${opa.baseUrl} (${opaConfig.entrypoint}), ` +
              `${opaConfig.fallback} policy when OPA gives no answer`,
          );
        } else {
          logger.warn(
            `permission.opa.enabled is true but policy.opa.baseUrl is not set: the ${opaConfig.fallback} fallback decides every permission`,
          );
        }
        policy.setPolicy(
          new OpaPermissionPolicy({
            opa,
            entrypoint: opaConfig.entrypoint,
            fallback: fallbacks[opaConfig.fallback],
            fallbackName: opaConfig.fallback,
            timeoutMs: opaConfig.timeoutMs,
            logger,
          }),
        );
      },
    });
  },
});
