import express from 'express';
import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  NO_POLICY_ENGINE_MESSAGE,
  policyAdminPermission,
  policyEngineReportPermission,
  policyEntityFindingsReadPermission,
  policyEvaluatePermission,
  policyFindingsReadPermission,
} from '@paved/plugin-policy-common';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { PolicyService } from './PolicyService';
import { CatalogVisibility } from './CatalogVisibility';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Which entities a caller may read (fleet answers show only those). */
  visibility: CatalogVisibility;
  policyService: PolicyService;
  /** Starts the scheduled run now; absent when no engine is configured. */
  triggerRun?: () => Promise<string>;
}

function normalizeRef(ref: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return ref.toLocaleLowerCase('en-US');
  }
}

/** The plugin's HTTP API, validated against src/schema/openapi.yaml. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    catalog,
    policyService,
    triggerRun,
    visibility,
  } = options;
  // OPA's status reports carry its Prometheus metrics besides the bundle
  // state: larger than express.json's 100 kB default.
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '4mb' })],
  });

  async function authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission<'catalog-entity'>,
    resourceRef?: string,
  ) {
    const [decision] = await permissions.authorize(
      [
        resourceRef
          ? {
              permission: permission as ResourcePermission<'catalog-entity'>,
              resourceRef,
            }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name}${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
  }

  async function authorizedEntityRef(
    params: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<string> {
    const entityRef = stringifyEntityRef(params);
    // The catalog applies its own read permission for these credentials.
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    await authorize(credentials, permission, entityRef);
    return entityRef;
  }

  router.get('/entities/:kind/:namespace/:name/findings', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = await authorizedEntityRef(
      req.params,
      credentials,
      policyEntityFindingsReadPermission,
    );
    res.json(await policyService.entityFindings(entityRef));
  });

  router.post('/entities/:kind/:namespace/:name/evaluate', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = await authorizedEntityRef(
      req.params,
      credentials,
      policyEvaluatePermission,
    );
    if (!policyService.configured)
      throw new ServiceUnavailableError(NO_POLICY_ENGINE_MESSAGE);
    res.json(await policyService.reevaluate(entityRef));
  });

  // OPA's status plugin posts here with a Backstage external access token.
  router.post('/engine/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await authorize(credentials, policyEngineReportPermission);
    await policyService.recordEngineStatus(req.body);
    res.status(204).end();
  });

  router.post('/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, policyAdminPermission);
    if (!triggerRun)
      throw new ServiceUnavailableError(NO_POLICY_ENGINE_MESSAGE);
    res.status(202).json({ taskId: await triggerRun() });
  });

  router.get('/compliance', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, policyFindingsReadPermission);
    const q = req.query;
    res.json(
      await policyService.compliance(
        {
          owner: q.owner?.map(o => normalizeRef(o, 'group')),
          system: q.system?.map(s => normalizeRef(s, 'system')),
          kind: q.kind,
          level: q.level,
          source: q.source,
          offset: q.offset,
          limit: q.limit,
        },
        await visibility.of(credentials),
      ),
    );
  });

  router.get('/trend', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, policyFindingsReadPermission);
    const owner = req.query.owner
      ? normalizeRef(req.query.owner, 'group')
      : undefined;
    res.json(
      await policyService.trend(
        { owner, limit: req.query.limit },
        await visibility.of(credentials),
      ),
    );
  });

  router.get('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, policyFindingsReadPermission);
    res.json(await policyService.health());
  });

  router.get('/policies', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, policyFindingsReadPermission);
    res.json(await policyService.policies(await visibility.of(credentials)));
  });

  return router;
}
