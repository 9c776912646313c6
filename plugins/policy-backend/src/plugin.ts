import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  NO_POLICY_ENGINE_MESSAGE,
  policyPermissions,
} from '@paved/plugin-policy-common';
import {
  POLICY_ENTITY_CHANGED_TOPIC,
  opaServiceRef,
  parsePolicyEntityChangedEvent,
} from '@paved/plugin-policy-node';
import { kubernetesObjectCacheServiceRef } from '@paved/plugin-kubernetes-status-node';
import { readPolicyBackendConfig } from './config';
import { EntityChangeQueue } from './evaluation/EntityChangeQueue';
import { PolicyEvaluator } from './evaluation/PolicyEvaluator';
import { createRouter } from './service/router';
import { CatalogVisibility } from './service/CatalogVisibility';
import { PolicyEngine, PolicyService } from './service/PolicyService';
import { migratedClient } from './store/migrate';
import { PolicyStore } from './store/PolicyStore';

/** Task id of the scheduled catalog evaluation. @public */
export const POLICY_CATALOG_TASK_ID = 'policy-catalog-evaluation';

/**
 * Policy backend plugin: evaluates catalog entities (and their live
 * Kubernetes manifests) against OPA on a schedule (once across replicas),
 * stores findings and run history, and serves them. Needs
 * `kubernetesObjectCacheServiceFactory` in the backend (the shared caches).
 * @public
 */
export const policyPlugin = createBackendPlugin({
  pluginId: 'policy',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        kubernetes: kubernetesObjectCacheServiceRef,
        opaService: opaServiceRef,
      },
      async init(deps) {
        const { logger, catalog, auth, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(policyPermissions);
        const settings = readPolicyBackendConfig(deps.config);
        const store = new PolicyStore({
          db: await migratedClient(deps.database),
          history: settings.history,
        });
        let engine: PolicyEngine | undefined;
        let triggerRun: (() => Promise<string>) | undefined;
        const opa = deps.opaService.client();
        if (opa) {
          const evaluator = new PolicyEvaluator({
            opa,
            store,
            catalog,
            auth,
            logger,
            catalogEntrypoint: settings.catalogEntrypoint,
            workloadEntrypoint: settings.workloadEntrypoint,
            catalogBatchEntrypoint: settings.catalogBatchEntrypoint,
            workloadBatchEntrypoint: settings.workloadBatchEntrypoint,
            batchSize: settings.batchSize,
            kubernetes:
              settings.workloadEnabled || settings.gatekeeperEnabled
                ? deps.kubernetes
                : undefined,
            workload: settings.workloadEnabled,
            gatekeeper: settings.gatekeeperEnabled,
            concurrency: settings.concurrency,
          });
          engine = { opa, evaluator };
          await scheduler.scheduleTask({
            id: POLICY_CATALOG_TASK_ID,
            ...settings.schedule,
            scope: 'global',
            fn: async () => {
              await evaluator.runAll('schedule');
            },
          });
          if (settings.catalogChangesEnabled) {
            const changes = new EntityChangeQueue({
              debounceMs: settings.catalogChangesDebounceMs,
              logger,
              evaluate: async refs => {
                const result = await evaluator.evaluateChanged(refs);
                logger.debug(
                  `Policy: ${refs.length} changed entities announced, ${result.entities} looked at, ` +
                    `${result.evaluated} evaluated, ${result.opaCalls} OPA decisions, ${result.errors} errors`,
                );
              },
            });
            deps.lifecycle.addShutdownHook(() => changes.stop());
            await deps.events.subscribe({
              id: 'policy-entity-changes',
              topics: [POLICY_ENTITY_CHANGED_TOPIC],
              onEvent: async ({ eventPayload }) => {
                const event = parsePolicyEntityChangedEvent(eventPayload);
                if (event) changes.add(event.entityRef);
              },
            });
          }
          triggerRun = async () => {
            await scheduler.triggerTask(POLICY_CATALOG_TASK_ID);
            return POLICY_CATALOG_TASK_ID;
          };
        } else {
          logger.info(`Policy evaluation off: ${NO_POLICY_ENGINE_MESSAGE}`);
        }
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog,
            triggerRun,
            visibility: new CatalogVisibility({
              permissions: deps.permissions,
              catalog,
            }),
            policyService: new PolicyService({
              store,
              engine,
              gatekeeperAuditStaleAfterMs:
                settings.gatekeeperAuditStaleAfterMinutes * 60_000,
              simulated: settings.opaSimulated,
            }),
          }),
        );
      },
    });
  },
});
