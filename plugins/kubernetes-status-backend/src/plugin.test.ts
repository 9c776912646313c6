import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { KubernetesSimulator, workloadObjects } from '@paved/kubernetes-simulator';
import { kubernetesStatusPlugin } from './plugin';
import { kubernetesObjectCacheServiceFactory } from './cache/serviceFactory';

const TOKEN = 'test-token';

const orders = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default', annotations: { 'backstage.io/kubernetes-id': 'orders' } },
  spec: { type: 'service', owner: 'group:default/team-commerce', lifecycle: 'production' },
};
const bare = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'bare', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-commerce', lifecycle: 'production' },
};

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 100));
  }
}

jest.setTimeout(60_000);

describe('kubernetes-status backend against simulated clusters over HTTP', () => {
  const simA = new KubernetesSimulator({ name: 'sim-a', token: TOKEN, bookmarkIntervalMs: 500 });
  const simB = new KubernetesSimulator({ name: 'sim-b', token: TOKEN, bookmarkIntervalMs: 500 });
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    await simA.start({ port: 0, host: '127.0.0.1' });
    await simB.start({ port: 0, host: '127.0.0.1' });
    for (const o of workloadObjects({ name: 'orders', namespace: 'commerce', replicas: 3, image: 'registry.example/orders:1.4.0' })) {
      simA.apply(o);
    }
    for (const o of workloadObjects({ name: 'orders', namespace: 'commerce', replicas: 2, image: 'registry.example/orders:1.3.9' })) {
      simB.apply(o);
    }
    simB.forbid({ resource: 'events' });
    backend = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        catalogServiceMock.factory({ entities: [orders, bare] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetesStatus: {
              requestTimeoutMs: 1500,
              // Small pages, so every list of more than two objects paginates.
              pageSize: 2,
              maxBackoffMs: 500,
              catalogClusters: { enabled: false },
              clusters: [
                { name: 'sim-a', url: simA.url, serviceAccountToken: TOKEN, simulated: true, skipTLSVerify: true },
                { name: 'sim-b', url: simB.url, serviceAccountToken: TOKEN, simulated: true, skipTLSVerify: true },
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
    await simB.stop();
  });

  const statusOf = async (name = 'orders') =>
    request(server).get(`/api/kubernetes-status/entities/component/default/${name}/status`);

  it('serves entity status from both clusters, with drift and per-type RBAC errors', async () => {
    const body = await waitFor(async () => {
      const res = await statusOf();
      return res.body.clusters?.every((c: any) => c.pods.length > 0) ? res.body : undefined;
    });
    expect(body.clusters.map((c: any) => [c.cluster.name, c.pods.length, c.cluster.simulated])).toEqual([
      ['sim-a', 3, true],
      ['sim-b', 2, true],
    ]);
    expect(body.drift).toEqual([
      { workload: 'Deployment/orders', versionsByCluster: { 'sim-a': ['1.4.0'], 'sim-b': ['1.3.9'] } },
    ]);
    // 3 pods in pages of 2: the pod list took two requests, and nothing was lost.
    // (The simulator counts a watch only when it ends, so it is not counted here.)
    expect(simA.counters.byResource.pods).toBeGreaterThanOrEqual(2);
    const simBStatus = body.clusters.find((c: any) => c.cluster.name === 'sim-b');
    expect(simBStatus.errors).toEqual([
      expect.objectContaining({ type: 'forbidden', resource: 'events' }),
    ]);
  });

  it('answers from memory: no list or watch requests per view at steady state', async () => {
    // Steady state: every type of sim-a synced and no request for a while.
    await waitFor(async () => {
      const res = await request(server).get('/api/kubernetes-status/clusters');
      const a = res.body.clusters.find((c: any) => c.cluster.name === 'sim-a');
      if (a?.freshness.stale !== false) return undefined;
      const total = simA.counters.total;
      await new Promise(r => setTimeout(r, 500));
      return simA.counters.total === total ? true : undefined;
    });
    // sim-a only: sim-b keeps retrying its forbidden events watch with back-off.
    const before = simA.counters.total;
    for (let i = 0; i < 20; i++) expect((await statusOf()).status).toBe(200);
    expect(simA.counters.total - before).toBe(0);
  });

  it('keeps serving one cluster while the other is down, and reports it', async () => {
    await simB.faults.setDown(true);
    try {
      const body = await waitFor(async () => {
        const res = await statusOf();
        const b = res.body.clusters.find((c: any) => c.cluster.name === 'sim-b');
        return b.errors.some((e: any) => e.type === 'unreachable') ? res.body : undefined;
      });
      const a = body.clusters.find((c: any) => c.cluster.name === 'sim-a');
      expect(a.pods).toHaveLength(3);
      expect(a.errors).toEqual([]);
      const b = body.clusters.find((c: any) => c.cluster.name === 'sim-b');
      expect(b.freshness.stale).toBe(true);
      // The cached pods stay visible, marked stale.
      expect(b.pods).toHaveLength(2);
    } finally {
      await simB.faults.setDown(false);
    }
    await waitFor(async () => {
      const res = await statusOf();
      const b = res.body.clusters.find((c: any) => c.cluster.name === 'sim-b');
      return b.freshness.stale === false ? true : undefined;
    }, 20_000);
  });

  it('relists after 410 Gone and catches up with changes', async () => {
    const listsBefore = simA.counters.byVerb.list;
    // While the cluster is unreachable it changes and forgets its history, so
    // the watches resume from a resourceVersion it no longer has: 410 Gone.
    await simA.faults.setDown(true);
    for (const o of workloadObjects({ name: 'orders', namespace: 'commerce', replicas: 4, image: 'registry.example/orders:1.4.0' })) {
      simA.apply(o);
    }
    simA.compact();
    await simA.faults.setDown(false);
    await waitFor(async () => {
      const res = await statusOf();
      const a = res.body.clusters.find((c: any) => c.cluster.name === 'sim-a');
      return a.workloads[0]?.desired === 4 && a.pods.length >= 4 && !a.freshness.stale ? true : undefined;
    }, 20_000);
    expect(simA.counters.byVerb.list).toBeGreaterThan(listsBefore);
  });

  it('explains an entity without annotation and gives diagnostics', async () => {
    const res = await statusOf('bare');
    expect(res.status).toBe(200);
    expect(res.body.reason).toMatch(/no Kubernetes annotation/);
    const diag = await request(server).get('/api/kubernetes-status/entities/component/default/orders/diagnostics');
    expect(diag.status).toBe(200);
    expect(diag.body.clusters.map((c: any) => c.countsByType.pods)).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it('lists clusters with version, nodes and pods by phase', async () => {
    // The version is fetched beside the watches; on a loaded machine its first
    // call may time out and be retried, so wait for it rather than race it.
    const a = await waitFor(async () => {
      const res = await request(server).get('/api/kubernetes-status/clusters');
      expect(res.status).toBe(200);
      const sim = res.body.clusters.find((c: any) => c.cluster.name === 'sim-a');
      return sim?.version ? sim : undefined;
    });
    expect(a).toMatchObject({ reachable: true, cluster: { simulated: true } });
    expect(a.version).toMatch(/simulator/);
    expect(a.podsByPhase.Running).toBeGreaterThan(0);
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
        mockServices.rootConfig.factory({ data: { kubernetesStatus: { catalogClusters: { enabled: false } } } }),
      ],
    });
    const res = await request(server).get('/api/kubernetes-status/entities/component/default/orders/status');
    expect(res.status).toBe(403);
    const clusters = await request(server).get('/api/kubernetes-status/clusters');
    expect(clusters.status).toBe(403);
  });
});

describe('kubernetes-status with a hanging cluster', () => {
  it('reports a timeout for the hanging cluster and answers for the healthy one without waiting', async () => {
    const healthy = new KubernetesSimulator({ name: 'healthy', token: TOKEN });
    const hanging = new KubernetesSimulator({ name: 'hanging', token: TOKEN });
    await healthy.start({ port: 0, host: '127.0.0.1' });
    await hanging.start({ port: 0, host: '127.0.0.1' });
    healthy.apply(workloadObjects({ name: 'orders', namespace: 'commerce', replicas: 2, image: 'reg/orders:1' }));
    hanging.faults.hang(true);
    const testBackend = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        catalogServiceMock.factory({ entities: [orders] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetesStatus: {
              requestTimeoutMs: 1000,
              maxBackoffMs: 1000,
              catalogClusters: { enabled: false },
              clusters: [
                { name: 'healthy', url: healthy.url, serviceAccountToken: TOKEN, skipTLSVerify: true },
                { name: 'hanging', url: hanging.url, serviceAccountToken: TOKEN, skipTLSVerify: true },
              ],
            },
          },
        }),
      ],
    });
    const server = testBackend.server;
    try {
      const body = await waitFor(async () => {
        const res = await request(server).get('/api/kubernetes-status/entities/component/default/orders/status');
        const hung = res.body.clusters?.find((c: any) => c.cluster.name === 'hanging');
        return hung?.errors.some((e: any) => e.type === 'timeout') ? res.body : undefined;
      });
      expect(body.clusters.find((c: any) => c.cluster.name === 'healthy').pods).toHaveLength(2);
      const started = Date.now();
      await request(server).get('/api/kubernetes-status/entities/component/default/orders/status');
      // Served from memory: far below the 1 s cluster timeout.
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      hanging.faults.hang(false);
      await testBackend.stop();
      await healthy.stop();
      await hanging.stop();
    }
  });
});
