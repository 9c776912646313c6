import express from 'express';
import {
  HttpAuthService,
  PermissionsService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  kubernetesClustersReadPermission,
  kubernetesLogsReadPermission,
  kubernetesStatusReadPermission,
} from '@paved/plugin-kubernetes-status-common';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { EntityStatusService } from '../status/EntityStatusService';
import { ChangeNotifier } from '../status/ChangeNotifier';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  statusService: EntityStatusService;
  notifier: ChangeNotifier;
}

/** The plugin's HTTP API, validated against src/schema/openapi.yaml. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, statusService, notifier } = options;
  const router = await createOpenApiRouter();

  async function authorizedEntity(
    params: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<Entity> {
    const entityRef = stringifyEntityRef(params);
    // The catalog applies its own read permission for these credentials.
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entityRef}`,
      );
    }
    return entity;
  }

  router.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await authorizedEntity(
      req.params,
      credentials,
      kubernetesStatusReadPermission,
    );
    const status = statusService.status(entity);
    if (status.selector) notifier.watch(status.entityRef, status.selector);
    res.json(status);
  });

  router.get(
    '/entities/:kind/:namespace/:name/diagnostics',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entity = await authorizedEntity(
        req.params,
        credentials,
        kubernetesStatusReadPermission,
      );
      res.json(statusService.diagnostics(entity));
    },
  );

  router.get('/entities/:kind/:namespace/:name/logs', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await authorizedEntity(
      req.params,
      credentials,
      kubernetesLogsReadPermission,
    );
    const q = req.query;
    const logs = await statusService.logs(entity, {
      cluster: q.cluster,
      namespace: q.podNamespace,
      pod: q.pod,
      container: q.container,
      previous: q.previous,
      tailLines: q.tailLines,
    });
    res.json(logs);
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: kubernetesClustersReadPermission }],
      {
        credentials,
      },
    );
    if (decision.result !== AuthorizeResult.ALLOW) throw new NotAllowedError();
    res.json(statusService.clusters());
  });

  return router;
}
