import {
  ApisApi,
  AppsV1Api,
  CoreApi,
  CoreV1Api,
  CustomObjectsApi,
  VersionApi,
} from '@kubernetes/client-node';
import type { KubernetesSimulator } from './KubernetesSimulator';
import { generateFleet, workloadObjects } from './fleet';
import {
  apiError,
  kubeConfigFor,
  resolvedInstead,
  simFetch,
  startSimulator,
} from './__testUtils__/kube';

// Real HTTP and real timers: leave room for a busy CI machine.

const TEMPLATE_YAML = `
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: must-have-team
spec:
  parameters: { labels: [team] }
status:
  totalViolations: 1
  violations:
    - { kind: Deployment, name: web, namespace: shop, message: 'you must provide labels: {"team"}', enforcementAction: deny }
`;

describe('KubernetesSimulator over HTTP', () => {
  let sim: KubernetesSimulator;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    sim = await startSimulator({ name: 'sim-a' });
    const kc = kubeConfigFor(sim);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    sim.apply(
      workloadObjects({
        name: 'web',
        namespace: 'shop',
        replicas: 3,
        image: 'registry.example/web:1.0.0',
        labels: { tier: 'frontend' },
      }),
    );
    sim.apply(
      workloadObjects({
        name: 'api',
        namespace: 'shop',
        replicas: 2,
        image: 'registry.example/api:2.0.0',
        labels: { tier: 'backend' },
      }),
    );
    sim.apply(
      workloadObjects({
        name: 'batch',
        namespace: 'jobs',
        replicas: 1,
        image: 'registry.example/batch:1.0.0',
      }),
    );
    sim.loadYaml(TEMPLATE_YAML);
  });

  afterAll(async () => {
    await sim.stop();
  });

  describe('discovery', () => {
    it('reports a version labelled as simulated', async () => {
      const version = await kubeConfigFor(sim)
        .makeApiClient(VersionApi)
        .getCode();
      expect(version.gitVersion).toBe('v1.37.2+paved-simulator');
      expect(version.major).toBe('1');
      expect(version.minor).toBe('37');
    });

    it('lists API groups, including the dynamic Gatekeeper constraints group', async () => {
      const groups = await kubeConfigFor(sim)
        .makeApiClient(ApisApi)
        .getAPIVersions();
      const names = groups.groups.map(g => g.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'apps',
          'networking.k8s.io',
          'autoscaling',
          'batch',
          'argoproj.io',
          'kustomize.toolkit.fluxcd.io',
          'helm.toolkit.fluxcd.io',
          'templates.gatekeeper.sh',
          'constraints.gatekeeper.sh',
        ]),
      );
      const coreVersions = await kubeConfigFor(sim)
        .makeApiClient(CoreApi)
        .getAPIVersions();
      expect(coreVersions.versions).toEqual(['v1']);
    });

    it('serves APIResourceLists with kinds, scopes and verbs', async () => {
      const coreResources = await core.getAPIResources();
      const pods = coreResources.resources.find(r => r.name === 'pods');
      expect(pods).toMatchObject({
        kind: 'Pod',
        namespaced: true,
        verbs: [
          'create',
          'delete',
          'deletecollection',
          'get',
          'list',
          'patch',
          'update',
          'watch',
        ],
      });
      expect(coreResources.resources.map(r => r.name)).toEqual(
        expect.arrayContaining([
          'pods/log',
          'services',
          'events',
          'namespaces',
          'nodes',
          'configmaps',
        ]),
      );
      const constraints = await fetchJson(
        '/apis/constraints.gatekeeper.sh/v1beta1',
      );
      expect(constraints.body.resources).toEqual([
        expect.objectContaining({
          name: 'k8srequiredlabels',
          kind: 'K8sRequiredLabels',
          namespaced: false,
        }),
        expect.objectContaining({
          name: 'k8srequiredlabels/status',
          verbs: ['get', 'patch', 'update'],
        }),
      ]);
    });

    it('answers 404 Status for an unknown group', async () => {
      const res = await fetchJson('/apis/unknown.example.com/v1');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
      });
    });
  });

  describe('get and list', () => {
    it('lists namespaced and cluster-wide with List kinds and a resourceVersion', async () => {
      const inShop = await core.listNamespacedPod({ namespace: 'shop' });
      expect(inShop.kind).toBe('PodList');
      expect(inShop.items).toHaveLength(5);
      expect(Number(inShop.metadata?.resourceVersion)).toBeGreaterThan(0);
      const all = await apps.listDeploymentForAllNamespaces();
      expect(all.kind).toBe('DeploymentList');
      expect(all.items.map(d => d.metadata?.name).sort()).toEqual([
        'api',
        'batch',
        'web',
      ]);
    });

    it('filters with label selectors', async () => {
      const byId = await core.listPodForAllNamespaces({
        labelSelector: 'backstage.io/kubernetes-id=web',
      });
      expect(byId.items).toHaveLength(3);
      const set = await core.listNamespacedPod({
        namespace: 'shop',
        labelSelector: 'tier in (frontend,backend),app.kubernetes.io/name!=api',
      });
      expect(set.items.map(p => p.metadata?.labels?.tier)).toEqual([
        'frontend',
        'frontend',
        'frontend',
      ]);
      const none = await core.listNamespacedPod({
        namespace: 'shop',
        labelSelector: '!tier',
      });
      expect(none.items).toHaveLength(0);
    });

    it('filters with field selectors', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'shop' });
      const name = pods.items[0].metadata!.name!;
      const one = await core.listPodForAllNamespaces({
        fieldSelector: `metadata.name=${name}`,
      });
      expect(one.items.map(p => p.metadata?.name)).toEqual([name]);
      const running = await core.listPodForAllNamespaces({
        fieldSelector: 'status.phase=Running,metadata.namespace!=jobs',
      });
      expect(running.items).toHaveLength(5);
      const onNode = await core.listPodForAllNamespaces({
        fieldSelector: 'spec.nodeName==sim-node-1',
      });
      expect(onNode.items.every(p => p.spec?.nodeName === 'sim-node-1')).toBe(
        true,
      );
    });

    it('rejects invalid selectors with 400 BadRequest', async () => {
      const label = await core
        .listPodForAllNamespaces({ labelSelector: 'a in (' })
        .then(resolvedInstead, apiError);
      expect(label).toMatchObject({
        code: 400,
        body: { kind: 'Status', reason: 'BadRequest', code: 400 },
      });
      const field = await core
        .listPodForAllNamespaces({ fieldSelector: 'spec.unknownField=x' })
        .then(resolvedInstead, apiError);
      expect(field).toMatchObject({
        code: 400,
        body: {
          reason: 'BadRequest',
          message: 'field label not supported: spec.unknownField',
        },
      });
    });

    it('gets by name and answers 404 NotFound with details', async () => {
      const deployment = await apps.readNamespacedDeployment({
        namespace: 'shop',
        name: 'web',
      });
      expect(deployment.status?.readyReplicas).toBe(3);
      expect(deployment.metadata?.generation).toBe(1);
      const missing = await apps
        .readNamespacedDeployment({ namespace: 'shop', name: 'nope' })
        .then(resolvedInstead, apiError);
      expect(missing).toMatchObject({
        code: 404,
        body: {
          kind: 'Status',
          reason: 'NotFound',
          message: 'deployments.apps "nope" not found',
          details: { name: 'nope', group: 'apps', kind: 'deployments' },
        },
      });
    });

    it('serves simulated nodes and namespaces', async () => {
      sim.apply({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'bare-node' },
      });
      const node = await core.readNode({ name: 'bare-node' });
      expect(node.metadata?.labels?.['paved.dev/simulated']).toBe('true');
      const ns = await core.readNamespace({ name: 'shop' });
      expect(ns.status?.phase).toBe('Active');
    });

    it('serves Gatekeeper constraints of a loaded template', async () => {
      const list = await custom.listClusterCustomObject({
        group: 'constraints.gatekeeper.sh',
        version: 'v1beta1',
        plural: 'k8srequiredlabels',
      });
      expect(list.kind).toBe('K8sRequiredLabelsList');
      expect(list.items[0].status.totalViolations).toBe(1);
    });

    it('answers 405 MethodNotAllowed to a method the path does not serve', async () => {
      // POST creates in a collection, PUT replaces a named object.
      for (const [method, path] of [
        ['POST', '/api/v1/namespaces/shop/pods/web'],
        ['PUT', '/api/v1/namespaces/shop/pods'],
        ['POST', '/version'],
      ]) {
        const res = await simFetch(sim, path, {
          method,
          headers: {
            authorization: 'Bearer test-token',
            'content-type': 'application/json',
          },
          body: '{}',
        });
        expect(res.status).toBe(405);
        expect(await res.json()).toMatchObject({
          kind: 'Status',
          reason: 'MethodNotAllowed',
          code: 405,
        });
      }
    });
  });

  describe('pagination', () => {
    let fleetSim: KubernetesSimulator;

    beforeAll(async () => {
      fleetSim = await startSimulator();
      fleetSim.apply(
        generateFleet({ apps: 10, podsPerApp: 25, namespaces: 3 }),
      );
    });

    afterAll(async () => {
      await fleetSim.stop();
    });

    it('collects every item exactly once with limit and continue', async () => {
      const client = kubeConfigFor(fleetSim).makeApiClient(CoreV1Api);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      let listRv: string | undefined;
      let deletedLater = '';
      const remaining: [number | undefined, number][] = [];
      do {
        const page = await client.listPodForAllNamespaces({
          limit: 40,
          _continue: token,
        });
        pages++;
        listRv ??= page.metadata?.resourceVersion;
        expect(page.metadata?.resourceVersion).toBe(listRv);
        seen.push(
          ...page.items.map(
            p => `${p.metadata?.namespace}/${p.metadata?.name}`,
          ),
        );
        token = page.metadata?._continue;
        remaining.push([page.metadata?.remainingItemCount, 250 - seen.length]);
        // Changes between pages do not show up: pages come from one snapshot.
        if (pages === 2) {
          const bench2 = fleetSim.list('v1', 'Pod', 'bench-2');
          const last = bench2[bench2.length - 1].metadata.name;
          deletedLater = `bench-2/${last}`;
          fleetSim.delete('v1', 'Pod', 'bench-2', last);
          fleetSim.apply(
            workloadObjects({
              name: 'latecomer',
              namespace: 'bench-2',
              replicas: 3,
              image: 'x:1',
            }),
          );
        }
      } while (token);
      expect(pages).toBe(Math.ceil(250 / 40));
      expect(seen).toHaveLength(250);
      expect(new Set(seen).size).toBe(250);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toContain(deletedLater);
      // remainingItemCount counts what the snapshot still holds; none on the last page.
      expect(remaining.slice(0, -1).every(([got, want]) => got === want)).toBe(
        true,
      );
      expect(remaining[remaining.length - 1]).toEqual([undefined, 0]);
      expect(seen.some(key => key.includes('latecomer'))).toBe(false);
    });

    it('paginates with a label selector', async () => {
      const client = kubeConfigFor(fleetSim).makeApiClient(CoreV1Api);
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.listPodForAllNamespaces({
          labelSelector: 'app.kubernetes.io/name in (app-3,app-4)',
          limit: 7,
          _continue: token,
        });
        expect(page.items.length).toBeLessThanOrEqual(7);
        names.push(...page.items.map(p => p.metadata!.name!));
        token = page.metadata?._continue;
      } while (token);
      expect(names).toHaveLength(50);
      expect(new Set(names).size).toBe(50);
    });

    it('answers 410 Expired to a continue token whose resourceVersion was compacted', async () => {
      const client = kubeConfigFor(fleetSim).makeApiClient(CoreV1Api);
      const first = await client.listPodForAllNamespaces({ limit: 10 });
      fleetSim.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'bump', namespace: 'default' },
      });
      fleetSim.delete(
        'v1',
        'Pod',
        first.items[0].metadata!.namespace!,
        first.items[0].metadata!.name!,
      );
      fleetSim.compact();
      const expired = await client
        .listPodForAllNamespaces({
          limit: 10,
          _continue: first.metadata?._continue,
        })
        .then(resolvedInstead, apiError);
      expect(expired.code).toBe(410);
      expect(expired.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
      });
      expect(expired.body.message).toMatch(
        /^The provided continue parameter is too old to display a consistent list result/,
      );
      // The inconsistent-continue token in the Status goes on from the same place.
      const rest = await client.listPodForAllNamespaces({
        limit: 10,
        _continue: expired.body.metadata.continue,
      });
      expect(
        rest.items[0].metadata?.name! > first.items[9].metadata!.name!,
      ).toBe(true);
    });

    it('rejects a malformed continue token with 400', async () => {
      const client = kubeConfigFor(fleetSim).makeApiClient(CoreV1Api);
      const bad = await client
        .listPodForAllNamespaces({ limit: 10, _continue: '%%%' })
        .then(resolvedInstead, apiError);
      expect(bad).toMatchObject({ code: 400, body: { reason: 'BadRequest' } });
    });
  });

  describe('loading YAML', () => {
    it('rejects objects of unknown kinds with a clear error, loading nothing', () => {
      const before = sim.resourceVersion;
      expect(() =>
        sim.loadYaml(`
apiVersion: v1
kind: ConfigMap
metadata: { name: fine, namespace: default }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: gizmo }
`),
      ).toThrow(
        /document #2 \(Widget "gizmo"\): no matches for kind "Widget" in version "example.com\/v1"/,
      );
      expect(sim.resourceVersion).toBe(before);
    });

    it('bumps resourceVersion on every change and generation on spec changes', () => {
      const created = sim.apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'gen', namespace: 'shop' },
        spec: { replicas: 1 },
      });
      expect(created.metadata.generation).toBe(1);
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      const statusOnly = sim.update(
        'apps/v1',
        'Deployment',
        'shop',
        'gen',
        d => {
          d.status = { replicas: 1 };
        },
      );
      expect(statusOnly.metadata.generation).toBe(1);
      expect(Number(statusOnly.metadata.resourceVersion)).toBe(
        Number(created.metadata.resourceVersion) + 1,
      );
      const specChange = sim.update(
        'apps/v1',
        'Deployment',
        'shop',
        'gen',
        d => {
          d.spec.replicas = 2;
        },
      );
      expect(specChange.metadata.generation).toBe(2);
      expect(specChange.metadata.uid).toBe(created.metadata.uid);
      const removed = sim.delete('apps/v1', 'Deployment', 'shop', 'gen');
      expect(Number(removed?.metadata.resourceVersion)).toBe(
        Number(specChange.metadata.resourceVersion) + 1,
      );
    });
  });

  async function fetchJson(path: string) {
    const res = await simFetch(sim, `${path}`, {
      headers: { authorization: 'Bearer test-token' },
    });
    return { status: res.status, body: await res.json() };
  }
});
