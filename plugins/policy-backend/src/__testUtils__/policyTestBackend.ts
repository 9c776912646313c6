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

export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

/** A catalog whose contents the test changes between runs. */
function mutableCatalog(entities: { current: Entity[] }) {
  const now = () => catalogServiceMock({ entities: entities.current });
  return catalogServiceMock.mock({
    getEntityByRef: (ref, options) => now().getEntityByRef(ref, options),
    getEntitiesByRefs: (req, options) => now().getEntitiesByRefs(req, options),
    streamEntities: (req, options) => now().streamEntities(req, options),
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
  const tasks: Array<SchedulerServiceTaskInvocationDefinition & SchedulerServiceTaskScheduleDefinition> = [];
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      tasks.push(task);
    },
  });
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(() => ({
        result: (credentials.principal as any)?.userEntityRef === MALLORY ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })),
  });
  const backend = await startTestBackend({
    features: [
      policyPlugin,
      scheduler.factory,
      permissions.factory,
      mutableCatalog(options.entities).factory,
      kubernetesObjectCacheServiceFactory,
      createServiceFactory({ service: eventsServiceRef, deps: {}, factory: () => events }),
      mockServices.rootConfig.factory({
        data: {
          policy: { ...options.policy, ...(options.opa ? { opa: options.opa } : {}) },
          kubernetesStatus: { clusters: options.kubernetesClusters ?? [], requestTimeoutMs: 1500, maxBackoffMs: 500 },
        },
      }),
    ],
  });
  const run = async () => {
    const task = tasks.find(t => t.id === POLICY_CATALOG_TASK_ID);
    if (!task) throw new Error('no scheduled policy task');
    await task.fn(new AbortController().signal);
  };
  return { backend, server: backend.server, tasks, run, scheduler, events, subscribe };
}

