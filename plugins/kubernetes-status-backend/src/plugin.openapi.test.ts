import { closedPort } from './__testUtils__/closedPort';
import express from 'express';
import request from 'supertest';
import type { Response as SpecResponse } from '@backstage/backend-openapi-utils';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClustersResponse,
  EntityDiagnosticsResponse,
  EntityStatusResponse,
  PodLogsResponse,
} from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesSimulator,
  loadDemoFixture,
} from '@paved/kubernetes-simulator';
import { kubernetesStatusPlugin } from './plugin';
import { kubernetesObjectCacheServiceFactory } from './cache/serviceFactory';
import { createOpenApiRouter, spec } from './schema/openapi.generated';
import { waitFor, scaledMs } from '@paved/test-timing';

// The generated router validates requests only (response validation is off
// in @backstage/backend-openapi-utils). Here every kind of answer the
// backend serves (status, diagnostics, clusters, logs, errors) is checked
// against src/schema/openapi.yaml: replayed through the same generated
// router with response validation on, which fails on any property, type or
// enum value the spec does not have.

// Compile time, the other direction of the contract: the router compiles
// only when what it serves fits the spec; this compiles only when the
// spec's 200 bodies are the -common types (no field the types require is
// optional or loose in the spec).
type Ok<T> = Exclude<T, { error: unknown }>;
type Spec = typeof spec;
type Fits<A, B> = [A] extends [B] ? true : false;
type True<T extends true> = T;
type SpecBodiesAreTheCommonTypes = [
  True<
    Fits<
      Ok<SpecResponse<Spec, '/entities/:kind/:namespace/:name/status', 'get'>>,
      EntityStatusResponse
    >
  >,
  True<
    Fits<
      Ok<
        SpecResponse<
          Spec,
          '/entities/:kind/:namespace/:name/diagnostics',
          'get'
        >
      >,
      EntityDiagnosticsResponse
    >
  >,
  True<
    Fits<
      Ok<SpecResponse<Spec, '/entities/:kind/:namespace/:name/logs', 'get'>>,
      PodLogsResponse
    >
  >,
  True<Fits<Ok<SpecResponse<Spec, '/clusters', 'get'>>, ClustersResponse>>,
];

const TOKEN = 'test-token';
const BASE = '/api/kubernetes-status';
const DENIED = 'user:default/denied';
jest.setTimeout(scaledMs(120_000));

/**
 * `check(url, served)` replays a served answer (status and body) for `url`
 * through the generated router with response validation on; it answers the
 * same body when the body fits the spec, else 599 with the violations.
 */
async function responseChecker() {
  const router = await createOpenApiRouter({
    validatorOptions: { validateResponses: { allErrors: true } },
  });
  let replay: { status: number; body: unknown } | undefined;
  router.use((req, res) => {
    // Undocumented paths pass the validator unchecked: refuse them here.
    if (!('openapi' in req)) throw new Error(`${req.path} is not in the spec`);
    res.status(replay!.status).json(replay!.body);
  });
  const app = express()
    .use(router)
    .use(
      (
        err: Error,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(599).json({ violations: err.message });
      },
    );
  return async (url: string, served: { status: number; body: unknown }) => {
    replay = { status: served.status, body: served.body };
    const checked = await request(app).get(url);
    expect({ url, status: checked.status, body: checked.body }).toEqual({
      url,
      status: served.status,
      body: served.body,
    });
  };
}

const component = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
});

describe('kubernetes-status answers fit the OpenAPI spec', () => {
  const demo = new KubernetesSimulator({ name: 'demo', token: TOKEN });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let check: Awaited<ReturnType<typeof responseChecker>>;
  let ids: string[];

  beforeAll(async () => {
    await demo.start({ port: 0, host: '127.0.0.1' });
    // Deployments (rollouts, a crash-looping pod), Services, Ingresses,
    // HPAs, Jobs, CronJobs, warning events, Argo CD and Flux objects.
    const loaded = loadDemoFixture(demo, 'demo-prod-eu-1');
    ids = [
      ...new Set(
        loaded.flatMap(o => {
          const id = o.metadata.labels?.['backstage.io/kubernetes-id'];
          return id ? [id] : [];
        }),
      ),
    ].sort();
    // One pod OOMKilled and in CrashLoopBackOff: problems, termination fields.
    const pod = loaded.find(o => o.kind === 'Pod')!;
    demo.scenarios.crashLoop({
      namespace: pod.metadata.namespace!,
      pod: pod.metadata.name,
      reason: 'OOMKilled',
      intervalMs: 600_000,
    });
    // A per-type error (forbidden) next to the whole-cluster one below.
    demo.forbid({ resource: 'cronjobs' });
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) =>
        requests.map(() => ({
          result:
            userOf(options?.credentials) === DENIED
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    backend = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            ...ids.map(id =>
              component(id, { 'backstage.io/kubernetes-id': id }),
            ),
            component('bare', {}),
            component('wrong-namespace', {
              'backstage.io/kubernetes-id': ids[0],
              'backstage.io/kubernetes-namespace': 'nowhere',
            }),
            component('other-cluster', {
              'backstage.io/kubernetes-id': ids[0],
              'backstage.io/kubernetes-cluster': 'demo',
            }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetesStatus: {
              requestTimeoutMs: 5000,
              maxBackoffMs: 1000,
              catalogClusters: { enabled: false },
              clusters: [
                {
                  name: 'demo',
                  title: 'Demo cluster',
                  url: demo.url,
                  caData: demo.caData,
                  serviceAccountToken: TOKEN,
                  simulated: true,
                },
                {
                  name: 'down',
                  url: `https://127.0.0.1:${await closedPort()}`,
                  serviceAccountToken: TOKEN,
                },
              ],
            },
          },
        }),
      ],
    });
    check = await responseChecker();
    await waitFor(
      'the demo cluster in sync, the down one failing',
      async () => {
        const res = await request(backend.server).get(`${BASE}/clusters`);
        const byName = new Map<string, any>(
          res.body.clusters?.map((c: any) => [c.cluster.name, c]),
        );
        const synced =
          byName.get('demo')?.freshness.stale === false &&
          byName.get('demo')?.errors.some((e: any) => e.type === 'forbidden');
        return synced && byName.get('down')?.errors.length ? true : undefined;
      },
    );
  });

  afterAll(async () => {
    demo.scenarios.stopAll();
    await backend?.stop();
    await demo.stop();
  });

  const get = (path: string, user?: string) => {
    const req = request(backend.server).get(`${BASE}${path}`);
    return user
      ? req.set('authorization', mockCredentials.user.header(user))
      : req;
  };

  it('GET /clusters', async () => {
    const res = await get('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toHaveLength(2);
    await check('/clusters', res);
  });

  it('GET status of every entity of the demo fixture, and of entities without objects', async () => {
    const kinds = new Set<string>();
    for (const name of [...ids, 'bare', 'wrong-namespace', 'other-cluster']) {
      const path = `/entities/component/default/${name}/status`;
      const res = await get(path);
      expect(res.status).toBe(200);
      for (const c of res.body.clusters) {
        for (const key of [
          'workloads',
          'pods',
          'events',
          'resources',
          'gitops',
          'problems',
          'errors',
        ])
          if (c[key].length) kinds.add(key);
      }
      await check(path, res);
    }
    // The fixture has something of each (otherwise the check proves less).
    expect([...kinds].sort()).toEqual([
      'errors',
      'events',
      'gitops',
      'pods',
      'problems',
      'resources',
      'workloads',
    ]);
  });

  it('GET diagnostics: asked, skipped, no annotation, matches outside the namespaces', async () => {
    for (const name of [ids[0], 'bare', 'wrong-namespace', 'other-cluster']) {
      const path = `/entities/component/default/${name}/diagnostics`;
      const res = await get(path);
      expect(res.status).toBe(200);
      await check(path, res);
    }
  });

  it('GET logs, and the errors: 400, 401, 403, 404', async () => {
    const status = await get(`/entities/component/default/${ids[0]}/status`);
    const pod = status.body.clusters
      .find((c: any) => c.cluster.name === 'demo')
      .pods.find((p: any) => p.containers.length);
    const logsPath = `/entities/component/default/${
      ids[0]
    }/logs?${new URLSearchParams({
      cluster: 'demo',
      podNamespace: pod.namespace,
      pod: pod.name,
      container: pod.containers[0].name,
      tailLines: '20',
    })}`;
    const logs = await get(logsPath);
    expect(logs.status).toBe(200);
    expect(logs.body.lines.length).toBeGreaterThan(0);
    await check(logsPath, logs);

    const notTheEntitys = await get(
      `/entities/component/default/${ids[0]}/logs?cluster=demo&podNamespace=kube-system&pod=nope&container=app`,
    );
    expect(notTheEntitys.status).toBe(404);
    await check(logsPath, notTheEntitys);
    const badParameter = await get(`${logsPath}&previous=maybe`);
    expect(badParameter.status).toBe(400);
    await check(logsPath, badParameter);

    const statusPath = `/entities/component/default/${ids[0]}/status`;
    const unknownEntity = await get('/entities/component/default/nope/status');
    expect(unknownEntity.status).toBe(404);
    await check(statusPath, unknownEntity);
    const denied = await get(statusPath, DENIED);
    expect(denied.status).toBe(403);
    await check(statusPath, denied);
    const unauthenticated = await request(backend.server)
      .get(`${BASE}/clusters`)
      .set('authorization', mockCredentials.none.header());
    expect(unauthenticated.status).toBe(401);
    await check('/clusters', unauthenticated);
    const unknownParameter = await get('/clusters?unknown=1');
    expect(unknownParameter.status).toBe(400);
    await check('/clusters', unknownParameter);
    const longName = await get(
      `/entities/component/default/${'x'.repeat(254)}/status`,
    );
    expect(longName.status).toBe(400);
    await check(statusPath, longName);
    const deniedClusters = await get('/clusters', DENIED);
    expect(deniedClusters.status).toBe(403);
    await check('/clusters', deniedClusters);
  });

  it("has the -common types as the spec's 200 bodies (the compiler checks SpecBodiesAreTheCommonTypes)", () => {
    const contract: SpecBodiesAreTheCommonTypes = [true, true, true, true];
    expect(contract).toHaveLength(4);
  });

  it('the checker fails an answer the spec does not allow', async () => {
    const res = await get('/clusters');
    const changed = {
      status: 200,
      body: {
        clusters: [{ ...res.body.clusters[0], reachable: 'yes', extra: 1 }],
      },
    };
    await expect(check('/clusters', changed)).rejects.toThrow(
      /reachable must be boolean/,
    );
    await expect(check('/clusters', changed)).rejects.toThrow(
      /must NOT have additional properties/,
    );
  });
});

function userOf(credentials: BackstageCredentials | undefined) {
  const principal: unknown = credentials?.principal;
  return typeof principal === 'object' &&
    principal !== null &&
    'userEntityRef' in principal
    ? principal.userEntityRef
    : undefined;
}
