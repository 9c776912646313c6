/*
 * yarn bench:kubernetes: our kubernetes-status backend vs upstream
 * @backstage/plugin-kubernetes-backend against the same SIMULATED fleet, in
 * one run. Defaults: 5 clusters x 2,000 pods, 40 ms latency per API call.
 * Env: BENCH_CLUSTERS, BENCH_PODS, BENCH_LATENCY_MS, BENCH_VIEWS.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { KubernetesSimulator, generateFleet } from '../packages/kubernetes-simulator/src';
import kubernetesStatusPlugin, {
  kubernetesObjectCacheServiceFactory,
} from '../plugins/kubernetes-status-backend/src';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 5);
const PODS = Number(process.env.BENCH_PODS ?? 2000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);
const VIEWS = Number(process.env.BENCH_VIEWS ?? 200);
const APPS = 100;
const TOKEN = 'bench-token';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const heapMb = () => {
  (global as any).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function timeViews(send: (i: number) => Promise<void>) {
  // Same warm-up for both backends (JIT, connection setup): one untimed view
  // of each entity.
  for (let i = 0; i < 10; i++) await send(i);
  const times: number[] = [];
  for (let i = 0; i < VIEWS; i++) {
    const t0 = performance.now();
    await send(i);
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main() {
  const sims: KubernetesSimulator[] = [];
  for (let i = 0; i < CLUSTERS; i++) {
    const sim = new KubernetesSimulator({ name: `bench-${i}`, token: TOKEN, latencyMs: LATENCY_MS });
    for (const o of generateFleet({ apps: APPS, podsPerApp: Math.ceil(PODS / APPS) })) sim.apply(o);
    await sim.start({ port: 0, host: '127.0.0.1' });
    sims.push(sim);
  }
  const entities = Array.from({ length: 10 }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `app-${i}`, namespace: 'default', annotations: { 'backstage.io/kubernetes-id': `app-${i}` } },
    spec: { type: 'service', owner: 'group:default/team', lifecycle: 'production' },
  }));
  const requests = () => sims.reduce((sum, s) => sum + s.counters.total, 0);

  // Ours
  const heapBefore = heapMb();
  const ours = await startTestBackend({
    features: [
      kubernetesStatusPlugin,
      kubernetesObjectCacheServiceFactory,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetesStatus: {
            catalogClusters: { enabled: false },
            clusters: sims.map(s => ({ name: s.name, url: s.url, serviceAccountToken: TOKEN, simulated: true, skipTLSVerify: true })),
          },
        },
      }),
    ],
  });
  const syncStart = performance.now();
  for (;;) {
    const res = await request(ours.server).get('/api/kubernetes-status/clusters');
    if (res.body.clusters?.length === CLUSTERS && res.body.clusters.every((c: any) => c.reachable && !c.freshness.stale)) break;
    await new Promise(r => setTimeout(r, 200));
  }
  const syncSeconds = (performance.now() - syncStart) / 1000;
  // Steady state: no request to any cluster for a second.
  for (let quiet = requests(); ; ) {
    await new Promise(r => setTimeout(r, 1000));
    if (requests() === quiet) break;
    quiet = requests();
  }
  const cacheMb = heapMb() - heapBefore;
  const oursBefore = requests();
  const oursTimes = await timeViews(async i => {
    const res = await request(ours.server).get(`/api/kubernetes-status/entities/component/default/app-${i % 10}/status`);
    if (res.status !== 200 || res.body.clusters.length !== CLUSTERS) throw new Error(`ours failed: ${res.status}`);
  });
  const oursPerView = (requests() - oursBefore) / VIEWS;
  await ours.stop();

  // Upstream
  const upstream = await startTestBackend({
    features: [
      import('@backstage/plugin-kubernetes-backend'),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: sims.map(s => ({
                  name: s.name,
                  url: s.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: TOKEN,
                  skipTLSVerify: true,
                })),
              },
            ],
          },
        },
      }),
    ],
  });
  const upstreamBefore = requests();
  const upstreamTimes = await timeViews(async i => {
    const res = await request(upstream.server)
      .post(`/api/kubernetes/services/app-${i % 10}`)
      .send({ entity: entities[i % 10], auth: {} });
    if (res.status !== 200 || res.body.items.length !== CLUSTERS) throw new Error(`upstream failed: ${res.status}`);
  });
  const upstreamPerView = (requests() - upstreamBefore) / VIEWS;
  await upstream.stop();
  for (const sim of sims) await sim.stop();

  const rows = [
    { backend: 'paved kubernetes-status', p50_ms: oursTimes.p50.toFixed(1), p95_ms: oursTimes.p95.toFixed(1), api_requests_per_view: oursPerView.toFixed(1) },
    { backend: 'upstream kubernetes-backend', p50_ms: upstreamTimes.p50.toFixed(1), p95_ms: upstreamTimes.p95.toFixed(1), api_requests_per_view: upstreamPerView.toFixed(1) },
  ];
  console.log(`\nFleet: ${CLUSTERS} simulated clusters x ${PODS} pods, ${LATENCY_MS} ms per API call, ${VIEWS} views of 10 entities`);
  console.table(rows);
  console.log(`initial sync of our caches: ${syncSeconds.toFixed(1)} s; cache heap: ${cacheMb.toFixed(1)} MB`);
  console.log(`p95 ratio (upstream / ours): ${(upstreamTimes.p95 / oursTimes.p95).toFixed(1)}x`);
  console.log(
    `RESULT p95_ratio=${(upstreamTimes.p95 / oursTimes.p95).toFixed(1)} requests_per_view=${oursPerView} cache_mb=${cacheMb.toFixed(1)}`,
  );
  process.exit(0);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
