import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  KubernetesSimulator,
  workloadObjects,
} from '@paved/kubernetes-simulator';
import { kubernetesStatusPlugin } from './plugin';
import { kubernetesObjectCacheServiceFactory } from './cache/serviceFactory';
import { ordersComponent as orders } from './__testUtils__/entities';
import { waitFor } from '@paved/test-timing';

const TOKEN = 'test-token';

const bare = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'bare', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-commerce',
    lifecycle: 'production',
  },
};

// API semantics (list, watch, bookmarks, 410, pagination, RBAC, CRDs,
// deletes, a cluster going away) run against the simulator AND a real
// kube-apiserver in plugin.twoServers.test.ts. Here: the backend's own
// behaviour and faults only the simulator can inject on demand.
describe('kubernetes-status backend against a simulated cluster', () => {
  const simA = new KubernetesSimulator({
    name: 'sim-a',
    token: TOKEN,
    bookmarkIntervalMs: 500,
  });
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    await simA.start({ port: 0, host: '127.0.0.1' });
    for (const o of workloadObjects({
      name: 'orders',
      namespace: 'commerce',
      replicas: 3,
      image: 'registry.example/orders:1.4.0',
    })) {
      simA.apply(o);
    }
    backend = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        catalogServiceMock.factory({ entities: [orders, bare] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetesStatus: {
              requestTimeoutMs: 10_000,
              pageSize: 2,
              maxBackoffMs: 500,
              catalogClusters: { enabled: false },
              clusters: [
                {
                  name: 'sim-a',
                  url: simA.url,
                  caData: simA.caData,
                  serviceAccountToken: TOKEN,
                  simulated: true,
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await backend?.stop();
    await simA.stop();
  });

  const statusOf = async (name = 'orders') =>
    request(server).get(
      `/api/kubernetes-status/entities/component/default/${name}/status`,
    );
  const steady = () =>
    waitFor('steady state', async () => {
      const res = await request(server).get('/api/kubernetes-status/clusters');
      const a = res.body.clusters.find((c: any) => c.cluster.name === 'sim-a');
      if (a?.freshness.stale !== false || a.errors.length) return undefined;
      const total = simA.counters.total;
      await new Promise(r => setTimeout(r, 500));
      return simA.counters.total === total ? true : undefined;
    });

  it('answers from memory: no list or watch requests per view at steady state', async () => {
    await waitFor('the three pods', async () =>
      (await statusOf()).body.clusters?.[0]?.pods.length === 3
        ? true
        : undefined,
    );
    await steady();
    const before = simA.counters.total;
    for (let i = 0; i < 20; i++) expect((await statusOf()).status).toBe(200);
    expect(simA.counters.total - before).toBe(0);
  });

  it('resumes dropped watches without a relist', async () => {
    await steady();
    const lists = simA.counters.byVerb.list;
    const watches = simA.counters.byVerb.watch;
    // The simulator ends every open watch at once (a real server does so
    // only on its timeout or when it goes away).
    expect(simA.faults.closeWatches()).toBeGreaterThan(0);
    await waitFor('the watches re-opened', async () =>
      simA.counters.byVerb.watch > watches ? true : undefined,
    );
    simA.update('apps/v1', 'Deployment', 'commerce', 'orders', d => {
      d.metadata.annotations = {
        ...d.metadata.annotations,
        note: 'after the drop',
      };
    });
    simA.delete(
      'v1',
      'Pod',
      'commerce',
      simA.list('v1', 'Pod', 'commerce')[0].metadata.name,
    );
    await waitFor('the deleted pod gone from the status', async () =>
      (await statusOf()).body.clusters[0].pods.length === 2 ? true : undefined,
    );
    expect(simA.counters.byVerb.list).toBe(lists);
  });

  it('retries injected server errors with back-off and recovers', async () => {
    await steady();
    simA.faults.failNext({
      status: 503,
      verb: 'watch',
      resource: 'pods',
      count: 3,
    });
    simA.faults.closeWatches();
    const body = await waitFor('recovery from the injected 503s', async () => {
      const res = await statusOf();
      return res.body.clusters[0].freshness.stale === false &&
        simA.counters.byStatus[503] >= 3
        ? res.body
        : undefined;
    });
    expect(body.clusters[0].errors).toEqual([]);
  });

  it('explains an entity without annotation and gives diagnostics', async () => {
    const res = await statusOf('bare');
    expect(res.status).toBe(200);
    expect(res.body.reason).toMatch(/no Kubernetes annotation/);
    const diag = await request(server).get(
      '/api/kubernetes-status/entities/component/default/orders/diagnostics',
    );
    expect(diag.status).toBe(200);
    expect(diag.body.clusters.map((c: any) => c.countsByType.pods)).toEqual([
      expect.any(Number),
    ]);
  });

  it('returns 404 for an unknown entity and 400 for bad log parameters', async () => {
    expect((await statusOf('nope')).status).toBe(404);
    const res = await request(server).get(
      '/api/kubernetes-status/entities/component/default/orders/logs?cluster=sim-a&podNamespace=commerce&pod=x&container=app&tailLines=0',
    );
    expect(res.status).toBe(400);
  });

  it('refuses unauthenticated requests', async () => {
    const res = await request(server)
      .get('/api/kubernetes-status/clusters')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});

describe('kubernetes-status permissions', () => {
  it('answers 403 when the policy denies reading status', async () => {
    const { server } = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        catalogServiceMock.factory({ entities: [orders] }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        mockServices.rootConfig.factory({
          data: { kubernetesStatus: { catalogClusters: { enabled: false } } },
        }),
      ],
    });
    const res = await request(server).get(
      '/api/kubernetes-status/entities/component/default/orders/status',
    );
    expect(res.status).toBe(403);
    const clusters = await request(server).get(
      '/api/kubernetes-status/clusters',
    );
    expect(clusters.status).toBe(403);
  });
});

describe('kubernetes-status with a hanging cluster', () => {
  it('reports a timeout for the hanging cluster and answers for the healthy one without waiting', async () => {
    const healthy = new KubernetesSimulator({ name: 'healthy', token: TOKEN });
    const hanging = new KubernetesSimulator({ name: 'hanging', token: TOKEN });
    await healthy.start({ port: 0, host: '127.0.0.1' });
    await hanging.start({ port: 0, host: '127.0.0.1' });
    healthy.apply(
      workloadObjects({
        name: 'orders',
        namespace: 'commerce',
        replicas: 2,
        image: 'reg/orders:1',
      }),
    );
    hanging.faults.hang(true);
    const testBackend = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        catalogServiceMock.factory({ entities: [orders] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetesStatus: {
              // Long enough that a view waiting for the hanging cluster could
              // not pass for one served from memory, even on a busy machine.
              requestTimeoutMs: 5000,
              maxBackoffMs: 1000,
              catalogClusters: { enabled: false },
              clusters: [
                {
                  name: 'healthy',
                  url: healthy.url,
                  caData: healthy.caData,
                  serviceAccountToken: TOKEN,
                },
                {
                  name: 'hanging',
                  url: hanging.url,
                  caData: hanging.caData,
                  serviceAccountToken: TOKEN,
                },
              ],
            },
          },
        }),
      ],
    });
    const server = testBackend.server;
    try {
      const body = await waitFor('the status', async () => {
        const res = await request(server).get(
          '/api/kubernetes-status/entities/component/default/orders/status',
        );
        const hung = res.body.clusters?.find(
          (c: any) => c.cluster.name === 'hanging',
        );
        return hung?.errors.some((e: any) => e.type === 'timeout')
          ? res.body
          : undefined;
      });
      expect(
        body.clusters.find((c: any) => c.cluster.name === 'healthy').pods,
      ).toHaveLength(2);
      const started = Date.now();
      await request(server).get(
        '/api/kubernetes-status/entities/component/default/orders/status',
      );
      // Served from memory: it did not wait for the hanging cluster's 5 s request timeout.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      hanging.faults.hang(false);
      await testBackend.stop();
      await healthy.stop();
      await hanging.stop();
    }
  });
});
