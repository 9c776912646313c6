import { createServer } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// Tests wire the real shared cache factory (a root service), as packages/backend does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { kubernetesObjectCacheServiceFactory } from '@paved/plugin-kubernetes-status-backend';
import { POLICY_CATALOG_TASK_ID, policyPlugin } from '../plugin';

/** Every permission is denied to this user. */
export const MALLORY = 'user:default/mallory';

/**
 * This user may read, in the catalog, only the entities owned by
 * group:default/team-a (a conditional `catalog.entity.read`).
 */
export const TEAM_A_READER = 'user:default/team-a-reader';

export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

const userOf = (credentials: any): string | undefined =>
  credentials?.principal?.userEntityRef;
const credentialsOf = (options: unknown) =>
  (options as { credentials?: unknown } | undefined)?.credentials;

/** What TEAM_A_READER may read: the catalog's own filtering, as its permission conditions would apply it. */
function readableBy(credentials: any, entities: Entity[]): Entity[] {
  if (userOf(credentials) !== TEAM_A_READER) return entities;
  return entities.filter(e => {
    const owner = String(e.spec?.owner ?? '');
    return (
      owner === 'team-a' ||
      owner === 'group:default/team-a' ||
      (e.kind === 'Group' && e.metadata.name === 'team-a')
    );
  });
}

/** A catalog whose contents the test changes between runs. */
function mutableCatalog(entities: { current: Entity[] }) {
  const now = (credentials: any) =>
    catalogServiceMock({ entities: readableBy(credentials, entities.current) });
  return catalogServiceMock.mock({
    getEntityByRef: (ref, options) =>
      now(credentialsOf(options)).getEntityByRef(ref, options),
    getEntitiesByRefs: (req, options) =>
      now(credentialsOf(options)).getEntitiesByRefs(req, options),
    streamEntities: (req, options) =>
      now(credentialsOf(options)).streamEntities(req, options),
  });
}

export async function startPolicyBackend(options: {
  opa?: JsonObject;
  entities: { current: Entity[] };
  kubernetesClusters?: JsonObject[];
  /** More `policy.*` keys. */
  policy?: JsonObject;
}) {
  // The in-process events service of backend-test-utils; tests publish on it.
  const events = mockServices.events();
  const subscribe = jest.spyOn(events, 'subscribe');
  const tasks: Array<
    SchedulerServiceTaskInvocationDefinition &
      SchedulerServiceTaskScheduleDefinition
  > = [];
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      tasks.push(task);
    },
  });
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(() => ({
        result:
          userOf(credentials) === MALLORY
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(() => {
        if (userOf(credentials) === MALLORY)
          return { result: AuthorizeResult.DENY };
        if (userOf(credentials) === TEAM_A_READER) {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: ['group:default/team-a'] },
            },
          };
        }
        return { result: AuthorizeResult.ALLOW };
      }) as any,
  });
  const backend = await startTestBackend({
    features: [
      policyPlugin,
      scheduler.factory,
      permissions.factory,
      mutableCatalog(options.entities).factory,
      kubernetesObjectCacheServiceFactory,
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      mockServices.rootConfig.factory({
        data: {
          policy: {
            ...options.policy,
            ...(options.opa ? { opa: options.opa } : {}),
          },
          kubernetesStatus: {
            clusters: options.kubernetesClusters ?? [],
            requestTimeoutMs: 1500,
            maxBackoffMs: 500,
          },
        },
      }),
    ],
  });
  const run = async () => {
    const task = tasks.find(t => t.id === POLICY_CATALOG_TASK_ID);
    if (!task) throw new Error('no scheduled policy task');
    await task.fn(new AbortController().signal);
  };
  return {
    backend,
    server: backend.server,
    tasks,
    run,
    scheduler,
    events,
    subscribe,
  };
}
