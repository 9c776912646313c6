import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { workloadObjects } from '@paved/kubernetes-simulator';
import { kubernetesObjectCacheServiceRef } from '@paved/plugin-kubernetes-status-node';
import { kubernetesStatusPlugin } from './plugin';
import { kubernetesObjectCacheServiceFactory } from './cache/serviceFactory';
import { ordersComponent as orders } from './__testUtils__/entities';
import { waitFor, scaledMs } from '@paved/test-timing';
import type { KubernetesObjectCache } from './cache/KubernetesObjectCache';
import {
  startRealCluster,
  startSimulatorCluster,
  type TestCluster,
  type TestObject,
} from './__testUtils__/testClusters';

/**
 * The status backend's API semantics against two servers from the same test
 * code: Paved's simulated API server and a real kube-apiserver + etcd
 * (@paved/kube-control-plane). Each runs as the cluster under test beside a
 * healthy simulated bystander cluster. Fault injection a real server cannot
 * do on demand (latency, hangs, injected errors) stays in plugin.test.ts.
 */

// A real control plane starts in seconds; a busy 2-core machine needs room.
jest.setTimeout(scaledMs(240_000));

const TOKEN = 'test-token';
const WATCH_TIMEOUT_SECONDS = 4;
const ORDERS = {
  name: 'orders',
  namespace: 'commerce',
  image: 'registry.example/orders:1.4.0',
};

function warningEvent(pod: TestObject): TestObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${pod.metadata.name}.backoff`,
      namespace: pod.metadata.namespace,
    },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
    },
    reason: 'BackOff',
    message: 'Back-off restarting failed container app',
    type: 'Warning',
    count: 3,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'kubelet' },
  };
}

function gitOpsObjects(): TestObject[] {
  const labels = { 'backstage.io/kubernetes-id': 'orders' };
  return [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'orders', namespace: 'argocd', labels },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://git.example/orders.git',
          path: 'deploy',
          targetRevision: 'main',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'commerce',
        },
      },
      status: {
        sync: { status: 'Synced', revision: 'abc123' },
        health: { status: 'Healthy' },
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'orders', namespace: 'flux-system', labels },
      spec: {
        interval: '5m',
        path: './deploy',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'orders' },
      },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ReconciliationSucceeded',
            message: 'Applied revision: main@sha1:abc123',
            lastTransitionTime: '2026-12-01T10:00:00Z',
          },
        ],
        lastAppliedRevision: 'main@sha1:abc123',
      },
    },
  ];
}

/** What a failed wait last saw of the cluster under test, in one line. */
function describeClusterStatus(c: any): string {
  if (!c) return 'no entry for the cluster';
  const names = (list: any[]) =>
    list.map(x => `${x.kind ?? x.reason ?? ''}/${x.name ?? ''}`).join(',');
  return JSON.stringify({
    stale: c.freshness?.stale,
    errors: c.errors,
    pods: c.pods?.length,
    workloads: names(c.workloads ?? []),
    events: (c.events ?? []).map(
      (e: any) => `${e.reason} ${e.involvedObject?.name}`,
    ),
  });
}

type Flavour = { title: string; start: (name: string) => Promise<TestCluster> };

const FLAVOURS: Flavour[] = [
  {
    title: 'simulated API server',
    start: name => startSimulatorCluster({ name, token: TOKEN }),
  },
  { title: 'real kube-apiserver', start: name => startRealCluster({ name }) },
];

async function startBackend(clusters: Array<Record<string, string | boolean>>) {
  let cache: KubernetesObjectCache | undefined;
  // Reads the shared cache service, for its list-request count.
  const probe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { objects: kubernetesObjectCacheServiceRef },
        async init({ objects }) {
          cache = objects as unknown as KubernetesObjectCache;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      kubernetesStatusPlugin,
      kubernetesObjectCacheServiceFactory,
      probe,
      catalogServiceMock.factory({ entities: [orders] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetesStatus: {
            requestTimeoutMs: 10_000,
            // Small pages, so every list of more than two objects paginates.
            pageSize: 2,
            maxBackoffMs: 500,
            // Short server-side watch timeouts: the watches resume several times per test.
            watchTimeoutSeconds: WATCH_TIMEOUT_SECONDS,
            idleTimeoutMs: 60_000,
            catalogClusters: { enabled: false },
            clusters,
          },
        },
      }),
    ],
  });
  return {
    backend,
    server: backend.server,
    lists: () => cache!.listRequestCount(),
    cache: () => cache!,
  };
}

describe.each(FLAVOURS)(
  'kubernetes-status backend against a $title',
  ({ start }) => {
    let cluster: TestCluster;
    let bystander: TestCluster;
    let backend: Awaited<ReturnType<typeof startBackend>>;
    let pods: TestObject[];

    const statusOf = async () => {
      const res = await request(backend.server).get(
        '/api/kubernetes-status/entities/component/default/orders/status',
      );
      expect(res.status).toBe(200);
      return res.body;
    };
    /** The status answer's part for the cluster under test, once `ready` accepts it. */
    const clusterStatus = (
      what: string,
      ready: (c: any) => boolean,
      timeoutMs?: number,
    ) =>
      waitFor(
        what,
        async () => {
          const c = (await statusOf()).clusters.find(
            (x: any) => x.cluster.name === cluster.name,
          );
          if (c && ready(c)) return c;
          // Thrown, so a timeout says what the backend last answered.
          throw new Error(`last answer: ${describeClusterStatus(c)}`);
        },
        { timeoutMs },
      );
    const podNames = (c: any) => c.pods.map((p: any) => p.name).sort();
    /** Every type of the cluster synced, none failing, and no list request for a second. */
    const steady = () =>
      waitFor('steady state', async () => {
        const res = await request(backend.server).get(
          '/api/kubernetes-status/clusters',
        );
        const c = res.body.clusters.find(
          (x: any) => x.cluster.name === cluster.name,
        );
        if (c?.freshness.stale !== false || c.errors.length > 0)
          return undefined;
        const lists = backend.lists();
        await new Promise(r => setTimeout(r, 1000));
        return backend.lists() === lists ? lists : undefined;
      });

    beforeAll(async () => {
      cluster = await start('under-test');
      bystander = await startSimulatorCluster({
        name: 'bystander',
        token: TOKEN,
      });
      const objects = workloadObjects({
        ...ORDERS,
        replicas: 3,
      }) as TestObject[];
      pods = objects.filter(o => o.kind === 'Pod');
      await cluster.apply([...objects, warningEvent(pods[0])]);
      // Something the entity does not own, in another namespace.
      await cluster.apply(
        workloadObjects({
          name: 'payments',
          namespace: 'billing',
          replicas: 1,
          image: 'registry.example/payments:2.0.0',
        }) as TestObject[],
      );
      await bystander.apply(
        workloadObjects({
          ...ORDERS,
          replicas: 2,
          image: 'registry.example/orders:1.3.9',
        }) as TestObject[],
      );
      backend = await startBackend([
        cluster.clusterConfig(),
        bystander.clusterConfig(),
      ]);
    });

    afterAll(async () => {
      await backend?.backend.stop();
      await cluster?.stop();
      await bystander?.stop();
    });

    it('lists every object in pages of two (continue), with rollout, warning events and drift', async () => {
      const c = await clusterStatus(
        'the initial list',
        // Every type the assertions below read: each is its own watch, and on
        // a busy machine the Service list can land after the pods and events.
        x =>
          x.pods.length === 3 &&
          x.events.length === 1 &&
          x.resources.length === 1 &&
          x.workloads.length === 1,
      );
      expect(podNames(c)).toEqual(pods.map(p => p.metadata.name).sort());
      expect(c.workloads).toEqual([
        expect.objectContaining({
          kind: 'Deployment',
          name: 'orders',
          namespace: 'commerce',
          desired: 3,
          ready: 3,
          versions: ['1.4.0'],
        }),
      ]);
      expect(
        c.pods.every(
          (p: any) =>
            p.ready &&
            p.phase === 'Running' &&
            p.owner?.kind === 'Deployment' &&
            p.owner.name === 'orders',
        ),
      ).toBe(true);
      expect(c.resources).toEqual([
        expect.objectContaining({ kind: 'Service', name: 'orders' }),
      ]);
      expect(c.events).toEqual([
        expect.objectContaining({
          reason: 'BackOff',
          count: 3,
          involvedObject: expect.objectContaining({
            kind: 'Pod',
            name: pods[0].metadata.name,
          }),
        }),
      ]);
      expect(c.errors).toEqual([]);
      const body = await statusOf();
      expect(body.drift).toEqual([
        {
          workload: 'Deployment/orders',
          versionsByCluster: { 'under-test': ['1.4.0'], bystander: ['1.3.9'] },
        },
      ]);
      const diag = await request(backend.server).get(
        '/api/kubernetes-status/entities/component/default/orders/diagnostics',
      );
      const d = diag.body.clusters.find(
        (x: any) => x.cluster.name === cluster.name,
      );
      // Namespaced scope: the payments pod in billing is not the entity's.
      expect(d.countsByType).toMatchObject({
        pods: 3,
        deployments: 1,
        replicasets: 1,
        services: 1,
        applications: 0,
      });
    });

    it('answers listForEntity from the caches, each object stamped with its apiVersion and kind (list items carry neither)', async () => {
      await steady();
      const found = backend.cache().listForEntity(orders, {
        resources: ['pods', 'replicasets', 'deployments', 'events'],
        clusters: [cluster.name],
      });
      expect(found.selector).toEqual({
        labelSelector: 'backstage.io/kubernetes-id=orders',
      });
      const [c] = found.clusters;
      expect(c.cluster.name).toBe(cluster.name);
      expect(c.state).toBe('ok');
      expect(c.resourceStates).toEqual({
        pods: 'ok',
        replicasets: 'ok',
        deployments: 'ok',
        events: 'ok',
      });
      const stamps = (objects: Array<{ apiVersion: string; kind: string }>) => [
        ...new Set(objects.map(o => `${o.apiVersion} ${o.kind}`)),
      ];
      expect(stamps(c.objects.pods)).toEqual(['v1 Pod']);
      expect(stamps(c.objects.replicasets)).toEqual(['apps/v1 ReplicaSet']);
      expect(stamps(c.objects.deployments)).toEqual(['apps/v1 Deployment']);
      expect(stamps(c.objects.events)).toEqual(['v1 Event']);
      expect(c.objects.pods).toHaveLength(pods.length);
      // The payments objects in billing are not the entity's.
      expect(
        backend
          .cache()
          .list({ cluster: cluster.name, resource: 'pods' })
          .some(p => p.metadata?.namespace === 'billing'),
      ).toBe(true);
      expect(
        c.objects.pods.every(p => p.metadata?.namespace === 'commerce'),
      ).toBe(true);
    });

    it('reports the cluster with its version and pods by phase', async () => {
      const c = await waitFor('the version', async () => {
        const res = await request(backend.server).get(
          '/api/kubernetes-status/clusters',
        );
        const x = res.body.clusters.find(
          (y: any) => y.cluster.name === cluster.name,
        );
        return x?.version ? x : undefined;
      });
      expect(c.reachable).toBe(true);
      expect(c.version).toMatch(/^v1\.\d+\.\d+/);
      expect(c.cluster.simulated).toBe(cluster.flavour === 'simulator');
      expect(c.podsByPhase).toEqual({ Running: 4 });
    });

    it('shows a change from the watch, without a relist', async () => {
      const lists = await steady();
      const pod = pods[1];
      await cluster.setStatus(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: pod.metadata.namespace,
          name: pod.metadata.name,
        },
        {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: '2026-12-01T10:00:00Z',
            },
            {
              type: 'ContainersReady',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: '2026-12-01T10:00:00Z',
            },
          ],
          containerStatuses: pod.status.containerStatuses.map((s: any) => ({
            ...s,
            ready: false,
            started: false,
            restartCount: 4,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 40s restarting failed container',
              },
            },
          })),
        },
      );
      const c = await clusterStatus('the pod not ready', x =>
        x.pods.some(
          (p: any) =>
            p.name === pod.metadata.name && !p.ready && p.restarts === 4,
        ),
      );
      expect(c.pods[0]).toMatchObject({
        name: pod.metadata.name,
        ready: false,
      });
      expect(backend.lists()).toBe(lists);
    });

    it('removes an object deleted while watched, without a relist', async () => {
      const lists = await steady();
      const pod = pods[2];
      await cluster.delete({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
      });
      const c = await clusterStatus(
        'the pod gone',
        x => !x.pods.some((p: any) => p.name === pod.metadata.name),
      );
      expect(podNames(c)).toEqual(
        [pods[0], pods[1]].map(p => p.metadata.name).sort(),
      );
      expect(backend.lists()).toBe(lists);
    });

    it('keeps its watches across server-side watch timeouts (bookmarks and resourceVersion), without a relist', async () => {
      const lists = await steady();
      const watchesBefore = await cluster.requestCount('deployments');
      // At least two timeouts of the Deployment watch: it was re-opened twice.
      await waitFor('two server-side watch timeouts', async () =>
        (await cluster.requestCount('deployments')) >= watchesBefore + 2
          ? true
          : undefined,
      );
      expect(backend.lists()).toBe(lists);
      // And the resumed watches still deliver.
      // A Deployment only (no pods: the pod list stays the entity's three).
      const worker = workloadObjects({
        name: 'orders-worker',
        namespace: 'commerce',
        replicas: 1,
        image: ORDERS.image,
        kubernetesId: 'orders',
      });
      await cluster.apply(
        worker.filter(o => o.kind === 'Deployment') as TestObject[],
      );
      await clusterStatus('the new Deployment', x =>
        x.workloads.some((w: any) => w.name === 'orders-worker'),
      );
      expect(backend.lists()).toBe(lists);
    });

    it('reports a type the RBAC role does not grant as forbidden (not stale), and recovers when it does', async () => {
      await cluster.forbid('events');
      const c = await clusterStatus(
        'events forbidden',
        x =>
          x.errors.some(
            (e: any) => e.type === 'forbidden' && e.resource === 'events',
          ),
        90_000,
      );
      expect(c.errors).toEqual([
        expect.objectContaining({ type: 'forbidden', resource: 'events' }),
      ]);
      expect(c.freshness.stale).toBe(false);
      // The other types keep answering.
      expect(c.pods.length).toBeGreaterThan(0);
      const [found] = backend.cache().listForEntity(orders, {
        resources: ['pods', 'events'],
        clusters: [cluster.name],
      }).clusters;
      expect(found.state).toBe('forbidden');
      expect(found.resourceStates).toEqual({ pods: 'ok', events: 'forbidden' });
      await cluster.allowAll();
      await clusterStatus(
        'events allowed again',
        x => x.errors.length === 0 && x.events.length === 1,
        90_000,
      );
    });

    it('relists after 410 Gone and catches up with what changed while it could not see the cluster', async () => {
      await steady();
      const listsBefore = backend.lists();
      await cluster.setUnreachable(true);
      try {
        await clusterStatus(
          'the cluster unreachable',
          x =>
            x.freshness.stale &&
            x.errors.some((e: any) => e.type === 'unreachable'),
        );
        // Changed and compacted meanwhile: the watches resume from a
        // resourceVersion the server no longer has.
        const scaled = workloadObjects({
          ...ORDERS,
          replicas: 4,
        }) as TestObject[];
        await cluster.apply(scaled);
        for (const p of pods) {
          await cluster.delete({
            apiVersion: 'v1',
            kind: 'Pod',
            namespace: p.metadata.namespace,
            name: p.metadata.name,
          });
        }
        pods = scaled.filter(o => o.kind === 'Pod');
        await cluster.expireHistory();
      } finally {
        await cluster.setUnreachable(false);
      }
      const c = await clusterStatus(
        'the changes',
        x =>
          !x.freshness.stale &&
          x.workloads.find((w: any) => w.name === 'orders')?.desired === 4 &&
          JSON.stringify(podNames(x)) ===
            JSON.stringify(pods.map(p => p.metadata.name).sort()),
        90_000,
      );
      expect(c.errors).toEqual([]);
      expect(backend.lists()).toBeGreaterThan(listsBefore);
    });

    it('reports absent GitOps CRDs like today (no error), and shows their objects once installed', async () => {
      const c = await clusterStatus('synced', x => !x.freshness.stale);
      expect(c.gitops).toEqual([]);
      expect(c.errors).toEqual([]);
      const [found] = backend.cache().listForEntity(orders, {
        resources: ['applications', 'kustomizations'],
        clusters: [cluster.name],
      }).clusters;
      expect(found.state).toBe('absent');
      expect(found.resourceStates).toEqual({
        applications: 'absent',
        kustomizations: 'absent',
      });
      await cluster.installGitOpsCrds();
      await cluster.apply(gitOpsObjects());
      // The running backend rechecks an absent type every few minutes; a
      // backend started now finds the CRDs at once.
      const second = await startBackend([cluster.clusterConfig()]);
      try {
        const gitops = await waitFor('the GitOps objects', async () => {
          const res = await request(second.server).get(
            '/api/kubernetes-status/entities/component/default/orders/status',
          );
          const x = res.body.clusters?.[0];
          return x?.gitops?.length === 2 ? x.gitops : undefined;
        });
        expect(gitops).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              kind: 'Application',
              name: 'orders',
              namespace: 'argocd',
              tool: 'argocd',
              sync: 'Synced',
              health: 'Healthy',
            }),
            expect.objectContaining({
              kind: 'Kustomization',
              name: 'orders',
              namespace: 'flux-system',
              tool: 'flux',
            }),
          ]),
        );
      } finally {
        await second.backend.stop();
      }
    });

    it('keeps serving the last state while the API server is stopped, and resumes when it is back on the same port', async () => {
      await steady();
      await cluster.stopServer();
      let restarted = false;
      try {
        // Every type fails the same way: one error for the whole cluster.
        const down = await clusterStatus(
          'the cluster unreachable',
          x =>
            x.freshness.stale &&
            x.errors.length === 1 &&
            x.errors[0].type === 'unreachable' &&
            !x.errors[0].resource,
        );
        // The cached pods stay visible, marked stale; the other cluster is unaffected.
        expect(podNames(down)).toEqual(pods.map(p => p.metadata.name).sort());
        const body = await statusOf();
        const other = body.clusters.find(
          (x: any) => x.cluster.name === 'bystander',
        );
        expect(other).toMatchObject({
          errors: [],
          freshness: { stale: false },
        });
        expect(other.pods).toHaveLength(2);
        const found = backend.cache().listForEntity(orders, {
          resources: ['pods'],
        }).clusters;
        expect(
          found.map(x => [x.cluster.name, x.state, x.objects.pods.length]),
        ).toEqual([
          [cluster.name, 'unreachable', pods.length],
          ['bystander', 'ok', 2],
        ]);
        await cluster.startServer();
        restarted = true;
      } finally {
        if (!restarted) await cluster.startServer();
      }
      await clusterStatus(
        'fresh again',
        x => !x.freshness.stale && x.errors.length === 0,
        90_000,
      );
      // And watching again.
      const pod = pods[0];
      await cluster.setStatus(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: pod.metadata.namespace,
          name: pod.metadata.name,
        },
        { phase: 'Failed' },
      );
      await clusterStatus('a change after the restart', x =>
        x.pods.some(
          (p: any) => p.name === pod.metadata.name && p.phase === 'Failed',
        ),
      );
    });
  },
);
