/*
 * ./platform bench:kubernetes (yarn bench:kubernetes): Paved's
 * kubernetes-status backend against upstream @backstage/plugin-kubernetes-backend
 * and against a baseline answer, on a SIMULATED fleet and on a REAL
 * kube-apiserver, in one run. Numbers are printed, never asserted.
 *
 * - Simulated fleet: BENCH_CLUSTERS (5) clusters x BENCH_PODS (2,000) pods,
 *   BENCH_LATENCY_MS (40) per API call; the simulators run in a worker thread
 *   (scripts/bench-kubernetes-fleet.ts), so the heap measured here is the
 *   backend's alone.
 * - Real: kube-apiserver + etcd of @paved/kube-control-plane (binaries from
 *   PAVED_KUBE_APISERVER_BIN / PAVED_ETCD_BIN or the per-user cache) holding
 *   BENCH_REAL_PODS (10,000; 0 skips) pods in 100 Deployments, created with
 *   client-node, BENCH_REAL_CONCURRENCY (32) requests at a time, statuses
 *   through the status subresources.
 * - Views: BENCH_VIEWS (200) per backend over 10 entities, after one untimed
 *   view of each; ours at steady state (no cluster request for 1 s). Ours and
 *   the baseline alternate request by request, so both see the same GC and
 *   machine load. HTTP/1.1 keep-alive, as a browser does; bodies not parsed
 *   while timed (one view in 20 is checked).
 * - Baseline: a plugin in our backend answering the precomputed JSON of our
 *   own answer for the same entity (same size) through the same httpRouter,
 *   httpAuth and permission check: no catalog read, no computation.
 * - Initial sync: from starting the backend until /clusters reports every
 *   cluster reachable and fresh (polled every 20 ms). Heap: heapUsed after a
 *   full GC (--expose-gc), before the backend starts and once it is in sync:
 *   everything the backend holds (all cached types, indexes, the backend
 *   itself), divided by the pods.
 */
import http from 'node:http';
import os from 'node:os';
import https from 'node:https';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { Router } from 'express';
import {
  startKubeControlPlane,
  type KubeControlPlane,
} from '../packages/kube-control-plane/src';
import { generateFleet } from '../packages/kubernetes-simulator/src';
import { kubernetesStatusReadPermission } from '../plugins/kubernetes-status-common/src';
import kubernetesStatusPlugin, {
  kubernetesObjectCacheServiceFactory,
} from '../plugins/kubernetes-status-backend/src';
import type { FleetCluster, FleetWorkerData } from './bench-kubernetes-fleet';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 5);
const PODS = Number(process.env.BENCH_PODS ?? 2000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);
const VIEWS = Number(process.env.BENCH_VIEWS ?? 200);
const REAL_PODS = Number(process.env.BENCH_REAL_PODS ?? 10000);
const REAL_CONCURRENCY = Number(process.env.BENCH_REAL_CONCURRENCY ?? 32);
const APPS = 100;
const ENTITIES = 10;
const TOKEN = 'bench-token';

/** A cluster as both backends are configured with it. */
interface BenchCluster {
  name: string;
  url: string;
  token: string;
  caData?: string;
  simulated: boolean;
}

interface Row {
  fleet: string;
  backend: string;
  p50_ms: string;
  p95_ms: string;
  api_requests_per_view: string;
  initial_sync_s: string;
  heap_kb_per_pod: string;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const heapBytes = () => {
  const gc = (global as any).gc as (() => void) | undefined;
  if (!gc)
    throw new Error('run with node --expose-gc (yarn bench:kubernetes does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

const entities = Array.from({ length: ENTITIES }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `app-${i}`,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': `app-${i}` },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team',
    lifecycle: 'production',
  },
}));

// ---------------------------------------------------------------- HTTP client

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(
  port: number,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: payload
          ? {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }
          : {},
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Times `VIEWS` rounds of every sender, alternating their order each round. */
async function timeViews(
  senders: Array<(i: number, check: boolean) => Promise<void>>,
) {
  for (let i = 0; i < ENTITIES; i++)
    for (const send of senders) await send(i, true);
  const times = senders.map(() => [] as number[]);
  for (let i = 0; i < VIEWS; i++) {
    const order = senders.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) {
      const t0 = performance.now();
      await senders[k](i, i % 20 === 0);
      times[k].push(performance.now() - t0);
    }
  }
  return times.map(t => ({ p50: percentile(t, 50), p95: percentile(t, 95) }));
}

// ------------------------------------------------------------------ backends

/** A precomputed answer per entity, served like ours: httpRouter, httpAuth, permission check. */
const baselineAnswers = new Map<string, string>();
const baselinePlugin = createBackendPlugin({
  pluginId: 'bench-baseline',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
      },
      async init({ httpRouter, httpAuth, permissions }) {
        const router = Router();
        router.get(
          '/entities/:kind/:namespace/:name/status',
          async (req, res) => {
            const credentials = await httpAuth.credentials(req);
            const entityRef = `${req.params.kind}:${req.params.namespace}/${req.params.name}`;
            const [decision] = await permissions.authorize(
              [
                {
                  permission: kubernetesStatusReadPermission,
                  resourceRef: entityRef,
                },
              ],
              { credentials },
            );
            if (decision.result !== AuthorizeResult.ALLOW) {
              res.status(403).end();
              return;
            }
            res
              .type('application/json')
              .send(baselineAnswers.get(entityRef) ?? '{}');
          },
        );
        httpRouter.use(router);
      },
    });
  },
});

async function startPaved(clusters: BenchCluster[]) {
  const heapBefore = heapBytes();
  const t0 = performance.now();
  const backend = await startTestBackend({
    features: [
      kubernetesStatusPlugin,
      kubernetesObjectCacheServiceFactory,
      baselinePlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetesStatus: {
            catalogClusters: { enabled: false },
            clusters: clusters.map(c => ({
              name: c.name,
              url: c.url,
              serviceAccountToken: c.token,
              simulated: c.simulated,
              ...(c.caData ? { caData: c.caData } : { skipTLSVerify: true }),
            })),
          },
        },
      }),
    ],
  });
  const port = backend.server.port();
  for (;;) {
    const res = await call(port, 'GET', '/api/kubernetes-status/clusters');
    const body = res.status === 200 ? JSON.parse(res.text) : undefined;
    if (
      body?.clusters?.length === clusters.length &&
      body.clusters.every((c: any) => c.reachable && !c.freshness.stale)
    ) {
      break;
    }
    if (performance.now() - t0 > 300_000)
      throw new Error(
        `caches not in sync after 300 s: ${res.text.slice(0, 500)}`,
      );
    await sleep(20);
  }
  const syncSeconds = (performance.now() - t0) / 1000;
  return { backend, port, syncSeconds, heapBefore };
}

async function measurePaved(
  fleet: string,
  clusters: BenchCluster[],
  pods: number,
  requests: () => Promise<number>,
) {
  const { backend, port, syncSeconds, heapBefore } = await startPaved(clusters);
  // Steady state: no request to any cluster for a second.
  for (let quiet = await requests(); ; ) {
    await sleep(1000);
    const now = await requests();
    if (now === quiet) break;
    quiet = now;
  }
  const heapGrowth = heapBytes() - heapBefore;
  baselineAnswers.clear();
  for (const e of entities) {
    const res = await call(
      port,
      'GET',
      `/api/kubernetes-status/entities/component/default/${e.metadata.name}/status`,
    );
    baselineAnswers.set(`component:default/${e.metadata.name}`, res.text);
  }
  const answerBytes = Buffer.byteLength(
    baselineAnswers.get('component:default/app-0')!,
  );
  const before = await requests();
  const [ours, baseline] = await timeViews([
    async (i, check) => {
      const res = await call(
        port,
        'GET',
        `/api/kubernetes-status/entities/component/default/app-${
          i % ENTITIES
        }/status`,
      );
      if (res.status !== 200)
        throw new Error(`ours failed: ${res.status} ${res.text.slice(0, 300)}`);
      if (check) {
        const body = JSON.parse(res.text);
        if (
          body.clusters.length !== clusters.length ||
          !body.clusters.some((c: any) => c.pods.length > 0)
        ) {
          throw new Error(
            `ours answered without pods: ${res.text.slice(0, 300)}`,
          );
        }
      }
    },
    async i => {
      const res = await call(
        port,
        'GET',
        `/api/bench-baseline/entities/component/default/app-${
          i % ENTITIES
        }/status`,
      );
      if (res.status !== 200 || res.text.length < 100)
        throw new Error(`baseline failed: ${res.status}`);
    },
  ]);
  // The timed views plus the untimed warm-up view of each entity.
  const perView = ((await requests()) - before) / (VIEWS + ENTITIES);
  await backend.stop();
  const kbPerPod = heapGrowth / 1024 / pods;
  const rows: Row[] = [
    {
      fleet,
      backend: 'paved kubernetes-status',
      p50_ms: ours.p50.toFixed(1),
      p95_ms: ours.p95.toFixed(1),
      api_requests_per_view: perView.toFixed(1),
      initial_sync_s: syncSeconds.toFixed(2),
      heap_kb_per_pod: kbPerPod.toFixed(2),
    },
    {
      fleet,
      backend: 'baseline (precomputed answer)',
      p50_ms: baseline.p50.toFixed(1),
      p95_ms: baseline.p95.toFixed(1),
      api_requests_per_view: '-',
      initial_sync_s: '-',
      heap_kb_per_pod: '-',
    },
  ];
  return {
    rows,
    ours,
    baseline,
    perView,
    syncSeconds,
    heapGrowth,
    kbPerPod,
    answerBytes,
  };
}

async function measureUpstream(
  fleet: string,
  clusters: BenchCluster[],
  requests: () => Promise<number>,
) {
  const backend = await startTestBackend({
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
                clusters: clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: c.token,
                  ...(c.caData
                    ? { caData: c.caData }
                    : { skipTLSVerify: true }),
                })),
              },
            ],
          },
        },
      }),
    ],
  });
  const port = backend.server.port();
  const before = await requests();
  const [upstream] = await timeViews([
    async (i, check) => {
      const res = await call(
        port,
        'POST',
        `/api/kubernetes/services/app-${i % ENTITIES}`,
        {
          entity: entities[i % ENTITIES],
          auth: {},
        },
      );
      if (res.status !== 200)
        throw new Error(
          `upstream failed: ${res.status} ${res.text.slice(0, 300)}`,
        );
      if (check && JSON.parse(res.text).items.length !== clusters.length) {
        throw new Error(
          `upstream answered for fewer clusters: ${res.text.slice(0, 300)}`,
        );
      }
    },
  ]);
  // The timed views plus the untimed warm-up view of each entity.
  const perView = ((await requests()) - before) / (VIEWS + ENTITIES);
  await backend.stop();
  const row: Row = {
    fleet,
    backend: 'upstream kubernetes-backend',
    p50_ms: upstream.p50.toFixed(1),
    p95_ms: upstream.p95.toFixed(1),
    api_requests_per_view: perView.toFixed(1),
    initial_sync_s: '-',
    heap_kb_per_pod: '-',
  };
  return { row, upstream, perView };
}

// ---------------------------------------------------------- simulated fleet

async function startFleetWorker() {
  const data: FleetWorkerData = {
    clusters: CLUSTERS,
    pods: PODS,
    apps: APPS,
    latencyMs: LATENCY_MS,
    token: TOKEN,
  };
  const worker = new Worker(path.join(__dirname, 'bench-kubernetes-fleet.ts'), {
    workerData: data,
  });
  const pending = new Map<number, (value: any) => void>();
  let nextId = 0;
  const clusters = await new Promise<FleetCluster[]>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', message => {
      if (message.type === 'started') resolve(message.clusters);
      else if (message.type === 'error') reject(new Error(message.message));
      else pending.get(message.id)?.(message);
    });
  });
  const ask = (type: string) =>
    new Promise<any>(resolve => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ type, id });
    });
  return {
    clusters: clusters.map(c => ({ ...c, token: TOKEN, simulated: true })),
    requests: async () => (await ask('requests')).total as number,
    stop: async () => {
      await ask('stop');
      await worker.terminate();
    },
  };
}

// ------------------------------------------------------- real kube-apiserver

async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * Fills the control plane with the objects of `generateFleet` (Namespaces,
 * Nodes, Deployments, ReplicaSets, Pods, Services), owners first so that
 * ownerReferences carry the uids the server gave, then writes the statuses a
 * controller-manager and kubelets would have written.
 */
async function fillControlPlane(cp: KubeControlPlane, pods: number) {
  // client-node makes a new connection per request; one keep-alive agent
  // keeps TLS handshakes out of the measurement of the server.
  const keepAlive = new https.Agent({
    keepAlive: true,
    maxSockets: REAL_CONCURRENCY,
    ca: Buffer.from(cp.caData, 'base64'),
  });
  class KeepAliveKubeConfig extends KubeConfig {
    async applySecurityAuthentication(context: any) {
      await super.applySecurityAuthentication(context);
      context.setAgent(keepAlive);
    }
  }
  const kc = new KeepAliveKubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'real', server: cp.url, caData: cp.caData }],
    users: [{ name: 'admin', token: cp.adminToken }],
    contexts: [{ name: 'real', cluster: 'real', user: 'admin' }],
    currentContext: 'real',
  });
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const uids = new Map<string, string>();
  const key = (kind: string, namespace: string | undefined, name: string) =>
    `${kind}/${namespace ?? ''}/${name}`;
  const fleet = generateFleet({
    apps: APPS,
    podsPerApp: Math.ceil(pods / APPS),
    namespaces: 5,
  });
  const create = async (o: any) => {
    const { status, ...object } = structuredClone(o);
    delete object.metadata.uid;
    delete object.metadata.creationTimestamp;
    delete object.metadata.resourceVersion;
    if (object.metadata.ownerReferences) {
      object.metadata.ownerReferences = object.metadata.ownerReferences.map(
        (ref: any) => ({
          ...ref,
          uid: uids.get(key(ref.kind, object.metadata.namespace, ref.name)),
        }),
      );
    }
    const created = await objects.create(object);
    uids.set(
      key(o.kind, o.metadata.namespace, o.metadata.name),
      created.metadata!.uid!,
    );
    if (!status || o.kind === 'Namespace' || o.kind === 'Service') return;
    const target = {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      body: { status },
    };
    if (o.kind === 'Pod') await core.patchNamespacedPodStatus(target, merge);
    else if (o.kind === 'Node') await core.patchNodeStatus(target, merge);
    else if (o.kind === 'Deployment')
      await apps.patchNamespacedDeploymentStatus(target, merge);
    else if (o.kind === 'ReplicaSet')
      await apps.patchNamespacedReplicaSetStatus(target, merge);
  };
  const t0 = performance.now();
  for (const kinds of [
    ['Namespace', 'Node'],
    ['Deployment', 'Service'],
    ['ReplicaSet'],
    ['Pod'],
  ]) {
    await pool(
      fleet.filter(o => kinds.includes(o.kind)),
      REAL_CONCURRENCY,
      create,
    );
  }
  keepAlive.destroy();
  return {
    seconds: (performance.now() - t0) / 1000,
    objects: fleet.length,
    pods: fleet.filter(o => o.kind === 'Pod').length,
  };
}

/** Resource requests kube-apiserver has answered (apiserver_request_total, resource requests only). */
async function apiserverRequests(cp: KubeControlPlane): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = https.get(
      `${cp.url}/metrics`,
      {
        ca: Buffer.from(cp.caData, 'base64'),
        headers: { Authorization: `Bearer ${cp.adminToken}` },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
  let total = 0;
  for (const line of text.split('\n')) {
    // Non-resource requests (this /metrics call, /version, discovery) have resource="".
    if (
      !line.startsWith('apiserver_request_total{') ||
      /[{,]resource=""/.test(line)
    )
      continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

// ---------------------------------------------------------------------- main

async function main() {
  const rows: Row[] = [];
  const notes: string[] = [];

  // Simulated fleet
  const fleet = await startFleetWorker();
  const simName = `simulated ${CLUSTERS}x${PODS} pods, ${LATENCY_MS} ms`;
  const sim = await measurePaved(
    simName,
    fleet.clusters,
    CLUSTERS * PODS,
    fleet.requests,
  );
  const simUpstream = await measureUpstream(
    simName,
    fleet.clusters,
    fleet.requests,
  );
  await fleet.stop();
  rows.push(...sim.rows, simUpstream.row);
  notes.push(
    `simulated: answer ${(sim.answerBytes / 1024).toFixed(
      1,
    )} KB per view; heap growth ${mb(sim.heapGrowth)} MB; ` +
      `TLS: ${
        fleet.clusters[0].caData
          ? "verified with the simulators' caData"
          : 'plain HTTP (skipTLSVerify)'
      }`,
  );

  // Real kube-apiserver
  let real: Awaited<ReturnType<typeof measurePaved>> | undefined;
  let realUpstream: Awaited<ReturnType<typeof measureUpstream>> | undefined;
  let realPods = 0;
  if (REAL_PODS > 0) {
    const cp = await startKubeControlPlane();
    try {
      const filled = await fillControlPlane(cp, REAL_PODS);
      realPods = filled.pods;
      const afterFill = cp.memory();
      notes.push(
        `real: kube-apiserver ${cp.url} up in ${(cp.startupMs / 1000).toFixed(
          1,
        )} s; created ${filled.objects} objects ` +
          `(${
            filled.pods
          } pods, statuses via /status) in ${filled.seconds.toFixed(
            1,
          )} s with concurrency ${REAL_CONCURRENCY} ` +
          `(${((filled.objects * 2) / filled.seconds).toFixed(
            0,
          )} requests/s); RSS after filling: kube-apiserver ` +
          `${mb(afterFill.apiserverRssBytes)} MB, etcd ${mb(
            afterFill.etcdRssBytes,
          )} MB`,
      );
      const clusters: BenchCluster[] = [
        {
          name: 'real',
          url: cp.url,
          token: cp.adminToken,
          caData: cp.caData,
          simulated: false,
        },
      ];
      const requests = () => apiserverRequests(cp);
      const realName = `real kube-apiserver, ${filled.pods} pods`;
      real = await measurePaved(realName, clusters, filled.pods, requests);
      realUpstream = await measureUpstream(realName, clusters, requests);
      rows.push(...real.rows, realUpstream.row);
      const end = cp.memory();
      notes.push(
        `real: answer ${(real.answerBytes / 1024).toFixed(
          1,
        )} KB per view; heap growth ${mb(
          real.heapGrowth,
        )} MB; RSS at the end: ` +
          `kube-apiserver ${mb(end.apiserverRssBytes)} MB, etcd ${mb(
            end.etcdRssBytes,
          )} MB`,
      );
    } finally {
      await cp.stop();
    }
  }

  console.log(
    `\n${VIEWS} views of ${ENTITIES} entities per backend; ours and the baseline alternate; load average at the end ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`,
  );
  console.table(rows);
  for (const note of notes) console.log(`- ${note}`);
  const p95Ratio = simUpstream.upstream.p95 / sim.ours.p95;
  const baselineRatio = sim.ours.p95 / sim.baseline.p95;
  console.log(
    `p95: upstream / ours ${p95Ratio.toFixed(
      1,
    )}x; ours / baseline ${baselineRatio.toFixed(2)}x (simulated)`,
  );
  const realKeys = real
    ? ` real_pods=${realPods} real_sync_s=${real.syncSeconds.toFixed(
        2,
      )} real_kb_per_pod=${real.kbPerPod.toFixed(2)}` +
      ` real_baseline_ratio=${(real.ours.p95 / real.baseline.p95).toFixed(
        2,
      )} real_requests_per_view=${real.perView}`
    : '';
  console.log(
    `RESULT p95_ratio=${p95Ratio.toFixed(1)} requests_per_view=${
      sim.perView
    } cache_mb=${(sim.heapGrowth / 1024 / 1024).toFixed(1)}` +
      ` baseline_ratio=${baselineRatio.toFixed(
        2,
      )} kb_per_pod=${sim.kbPerPod.toFixed(2)} sync_s=${sim.syncSeconds.toFixed(
        2,
      )}${realKeys}`,
  );
  process.exit(0);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
