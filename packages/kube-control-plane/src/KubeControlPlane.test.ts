import {
  ApiextensionsV1Api,
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
  Watch,
  type V1CustomResourceDefinition,
  type V1Pod,
} from '@kubernetes/client-node';
import { findControlPlaneBinaries } from './binaries';
import { startTcpProxy } from './proxy';
import {
  startKubeControlPlane,
  type KubeControlPlane,
} from './KubeControlPlane';
import { waitFor, scaledMs } from '@paved/test-timing';

// A real kube-apiserver and etcd: start-up alone takes seconds on a busy
// 2-core machine.
jest.setTimeout(scaledMs(180_000));

const NS = 'paved-test';
const MiB = 1024 * 1024;

/** client-node config from what startKubeControlPlane returns: TLS verified with caData. */
function kubeConfig(
  cp: KubeControlPlane,
  user: { token: string } | { certData: string; keyData: string },
  caData: string | null = cp.caData,
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'paved',
        server: cp.url,
        caData: caData ?? undefined,
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'paved', cluster: 'paved', user: 'u' }],
    currentContext: 'paved',
  });
  return kc;
}

/** The HTTP status a client-node call failed with (or 200). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (typeof code === 'number') {
      return code;
    }
    throw error;
  }
}

function pod(name: string, labels: Record<string, string>): V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      containers: [{ name: 'app', image: 'registry.example/web:1.0.0' }],
    },
  };
}

function report(line: string) {
  process.stdout.write(`[kube-control-plane] ${line}\n`);
}

function memoryLine(cp: KubeControlPlane) {
  const m = cp.memory();
  return `RSS kube-apiserver ${(m.apiserverRssBytes / MiB).toFixed(
    0,
  )} MiB, etcd ${(m.etcdRssBytes / MiB).toFixed(0)} MiB`;
}

describe('findControlPlaneBinaries', () => {
  it('fails with how to build them when a binary is missing', () => {
    expect(() =>
      findControlPlaneBinaries({ apiserver: '/nonexistent/kube-apiserver' }),
    ).toThrow(/\.\/platform test` builds both/);
  });
});

describe('startKubeControlPlane', () => {
  let cp: KubeControlPlane;
  let admin: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    // ConfigMaps without the watch cache: a watch from a compacted
    // resourceVersion gets 410 at once (from etcd).
    cp = await startKubeControlPlane({ watchCacheDisabledFor: ['configmaps'] });
    report(`ready in ${cp.startupMs} ms at ${cp.url}; ${memoryLine(cp)}`);
    admin = kubeConfig(cp, { token: cp.adminToken });
    core = admin.makeApiClient(CoreV1Api);
  });

  afterAll(async () => {
    if (cp) {
      report(`after the tests: ${memoryLine(cp)}`);
      await cp.stop();
    }
  });

  it('serves TLS that verifies only with its own CA', async () => {
    const version = await admin.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    report(`kube-apiserver ${version.gitVersion}`);

    // Without caData the system trust store is used: the self-made CA fails.
    const untrusted = kubeConfig(cp, { token: cp.adminToken }, null);
    await expect(untrusted.makeApiClient(VersionApi).getCode()).rejects.toThrow(
      /self[- ]signed|certificate/i,
    );

    // The kubeconfig file carries the same CA and the admin token.
    const fromFile = new KubeConfig();
    fromFile.loadFromFile(cp.kubeconfigPath);
    expect(fromFile.getCurrentUser()?.token).toBe(cp.adminToken);
    const ns = await fromFile.makeApiClient(CoreV1Api).readNamespace({
      name: 'default',
    });
    expect(ns.metadata?.name).toBe('default');
  });

  it('creates a namespace, a Deployment and Pods; lists with a label selector, limit and continue', async () => {
    await core.createNamespace({ body: { metadata: { name: NS } } });
    const apps = admin.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'app', image: 'registry.example/web:1.0.0' },
              ],
            },
          },
        },
      },
    });
    const deployment = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: NS,
    });
    expect(deployment.spec?.replicas).toBe(3);

    for (let i = 0; i < 5; i++) {
      await core.createNamespacedPod({
        namespace: NS,
        body: pod(`web-${i}`, { app: 'web', tier: 'frontend' }),
      });
    }
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('other', { app: 'other' }),
    });

    const names: string[] = [];
    let pages = 0;
    let next: string | undefined;
    do {
      const page = await core.listNamespacedPod({
        namespace: NS,
        labelSelector: 'app=web,tier in (frontend)',
        limit: 2,
        _continue: next,
      });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map(p => p.metadata!.name!));
      next = page.metadata?._continue || undefined;
    } while (next);
    expect(pages).toBe(3);
    expect(names.sort()).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);

    // No kube-controller-manager: the Deployment never gets a ReplicaSet.
    const replicaSets = await apps.listNamespacedReplicaSet({ namespace: NS });
    expect(replicaSets.items).toEqual([]);
  });

  it('watches from a resourceVersion: ADDED, MODIFIED, DELETED', async () => {
    const list = await core.listNamespacedPod({ namespace: NS });
    const from = list.metadata!.resourceVersion!;
    const seen: string[] = [];
    const controller = await new Watch(admin).watch(
      `/api/v1/namespaces/${NS}/pods`,
      { resourceVersion: from, fieldSelector: 'metadata.name=watched' },
      (type, obj: V1Pod) => {
        seen.push(`${type} ${obj.metadata?.name} ${obj.status?.phase ?? ''}`);
      },
      () => {},
    );
    try {
      const created = await core.createNamespacedPod({
        namespace: NS,
        body: pod('watched', { app: 'watched' }),
      });
      // Tests set status themselves (no kubelet): through the status subresource.
      await core.replaceNamespacedPodStatus({
        name: 'watched',
        namespace: NS,
        body: {
          ...created,
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        },
      });
      await core.deleteNamespacedPod({
        name: 'watched',
        namespace: NS,
        gracePeriodSeconds: 0,
      });
      await waitFor('DELETED', () => seen.some(s => s.startsWith('DELETED')));
    } finally {
      controller.abort();
    }
    // Deleting sets deletionTimestamp first (a second MODIFIED), then DELETED.
    expect(seen[0]).toBe('ADDED watched Pending');
    expect(seen[1]).toBe('MODIFIED watched Running');
    expect(seen.slice(2, -1).every(s => s.startsWith('MODIFIED'))).toBe(true);
    expect(seen[seen.length - 1]).toMatch(/^DELETED watched/);
  });

  it('answers 410 Gone for a watch and a list from a resourceVersion etcd has compacted away', async () => {
    const configMaps = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'settings' }, data: { mode: 'a' } },
    });
    const old = configMaps.metadata!.resourceVersion!;
    const pods = await core.listNamespacedPod({ namespace: NS });
    const oldPods = pods.metadata!.resourceVersion!;
    await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: NS,
      body: { metadata: { name: 'settings' }, data: { mode: 'b' } },
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('after-compaction', { app: 'compaction' }),
    });
    const revision = await cp.compactEtcd();
    expect(revision).toBeGreaterThan(Number(old));

    // Uncached (served by etcd): an ERROR event with Status 410 Expired.
    const events: Array<{ type: string; code?: number; reason?: string }> = [];
    let failed: number | undefined;
    const controller = await new Watch(admin).watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: old },
      (type, obj: { code?: number; reason?: string }) => {
        events.push({ type, code: obj?.code, reason: obj?.reason });
      },
      (err: { statusCode?: number } | null) => {
        failed = err?.statusCode ?? 0;
      },
    );
    try {
      await waitFor(
        'an ERROR event or a failed watch',
        () => events.some(e => e.type === 'ERROR') || failed !== undefined,
      );
    } finally {
      controller.abort();
    }
    expect(events).toEqual([{ type: 'ERROR', code: 410, reason: 'Expired' }]);

    // Cached (pods): an exact list at a compacted resourceVersion is 410
    // once the watch cache has seen the compaction (it polls every 15 s).
    await waitFor(
      'a 410 for a list at a compacted resourceVersion',
      async () =>
        (await statusOf(
          core.listNamespacedPod({
            namespace: NS,
            resourceVersion: oldPods,
            resourceVersionMatch: 'Exact',
          }),
        )) === 410,
    );
  });

  it('enforces RBAC: 403 for the restricted user until a Role is bound; client certificates map user and groups', async () => {
    const viewer = kubeConfig(cp, { token: cp.viewerToken }).makeApiClient(
      CoreV1Api,
    );
    expect(await statusOf(viewer.listNamespacedPod({ namespace: NS }))).toBe(
      403,
    );
    expect(await statusOf(viewer.listNamespacedSecret({ namespace: NS }))).toBe(
      403,
    );

    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: NS,
      body: {
        metadata: { name: 'pod-reader' },
        rules: [
          {
            apiGroups: [''],
            resources: ['pods'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'viewers-read-pods' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'pod-reader',
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: 'paved:viewers',
          },
        ],
      },
    });
    // RBAC's authorizer reads bindings from an informer: allow a moment.
    await waitFor(
      'the binding to take effect',
      async () =>
        (await statusOf(viewer.listNamespacedPod({ namespace: NS }))) === 200,
    );
    expect(await statusOf(viewer.listNamespacedSecret({ namespace: NS }))).toBe(
      403,
    );
    expect(
      await statusOf(viewer.listNamespacedPod({ namespace: 'default' })),
    ).toBe(403);

    // A user made now, by client certificate: CN = user, O = groups.
    const carol = kubeConfig(
      cp,
      await cp.createClientCertificate('carol', ['paved:viewers']),
    ).makeApiClient(CoreV1Api);
    expect(await statusOf(carol.listNamespacedPod({ namespace: NS }))).toBe(
      200,
    );
    const dave = kubeConfig(
      cp,
      await cp.createClientCertificate('dave', ['paved:others']),
    ).makeApiClient(CoreV1Api);
    expect(await statusOf(dave.listNamespacedPod({ namespace: NS }))).toBe(403);
  });

  it('installs CRDs (Argo CD Application, Flux Kustomization) that show in discovery', async () => {
    const crd = (
      group: string,
      version: string,
      kind: string,
      plural: string,
    ): V1CustomResourceDefinition => ({
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: {
          kind,
          plural,
          singular: kind.toLowerCase(),
          listKind: `${kind}List`,
        },
        versions: [
          {
            name: version,
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                x_kubernetes_preserve_unknown_fields: true,
              },
            },
          },
        ],
      },
    });
    const ext = admin.makeApiClient(ApiextensionsV1Api);
    const crds = [
      crd('argoproj.io', 'v1alpha1', 'Application', 'applications'),
      crd(
        'kustomize.toolkit.fluxcd.io',
        'v1',
        'Kustomization',
        'kustomizations',
      ),
    ];
    for (const body of crds) {
      await ext.createCustomResourceDefinition({ body });
    }
    for (const body of crds) {
      await waitFor(`${body.metadata!.name} Established`, async () => {
        const got = await ext.readCustomResourceDefinition({
          name: body.metadata!.name!,
        });
        return got.status?.conditions?.some(
          c => c.type === 'Established' && c.status === 'True',
        );
      });
    }

    const groups = await waitFor('the groups in discovery', async () => {
      const list = await admin.makeApiClient(ApisApi).getAPIVersions();
      const names = list.groups.map(g => g.name);
      return names.includes('argoproj.io') &&
        names.includes('kustomize.toolkit.fluxcd.io')
        ? list.groups
        : undefined;
    });
    expect(
      groups.find(g => g.name === 'argoproj.io')?.preferredVersion?.version,
    ).toBe('v1alpha1');

    const custom = admin.makeApiClient(CustomObjectsApi);
    const resources = await custom.getAPIResources({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
    });
    expect(resources.resources.map(r => r.name)).toEqual(
      expect.arrayContaining(['kustomizations', 'kustomizations/status']),
    );

    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: NS,
      plural: 'applications',
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'shop' },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example/shop.git', path: 'deploy' },
          destination: { namespace: 'shop' },
        },
      },
    });
    const app = (await custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: NS,
      plural: 'applications',
      name: 'shop',
    })) as { spec: { source: { path: string } } };
    // preserve-unknown-fields: nothing pruned.
    expect(app.spec.source.path).toBe('deploy');
  });

  it('restarts kube-apiserver on the same port, keeping what etcd stores', async () => {
    const before = await core.readNamespace({ name: NS });
    const pid = cp.pids.apiserver;
    await cp.stopApiserver();
    expect(cp.apiserverRunning).toBe(false);
    // Down: connections to the port are refused.
    await expect(core.readNamespace({ name: NS })).rejects.toThrow(
      /ECONNREFUSED|connect/i,
    );
    await cp.startApiserver();
    expect(cp.apiserverRunning).toBe(true);
    expect(cp.pids.apiserver).not.toBe(pid);
    const after = await core.readNamespace({ name: NS });
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    report(`after a restart: ${memoryLine(cp)}`);
  });

  it('a TCP proxy passes verified TLS through, and can be taken down and up on the same port', async () => {
    const proxy = await startTcpProxy(cp.url);
    try {
      const through = new KubeConfig();
      through.loadFromOptions({
        clusters: [{ name: 'p', server: proxy.url, caData: cp.caData }],
        users: [{ name: 'u', token: cp.adminToken }],
        contexts: [{ name: 'p', cluster: 'p', user: 'u' }],
        currentContext: 'p',
      });
      const viaProxy = through.makeApiClient(CoreV1Api);
      expect((await viaProxy.readNamespace({ name: NS })).metadata?.name).toBe(
        NS,
      );
      await proxy.setDown(true);
      await expect(viaProxy.readNamespace({ name: NS })).rejects.toThrow(
        /ECONNREFUSED|ECONNRESET|connect|socket/i,
      );
      // The control plane itself is still there.
      expect((await core.readNamespace({ name: NS })).metadata?.name).toBe(NS);
      await proxy.setDown(false);
      expect((await viaProxy.readNamespace({ name: NS })).metadata?.name).toBe(
        NS,
      );
      expect(proxy.connections).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });
});
