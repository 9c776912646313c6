import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesSimulator } from '@paved/kubernetes-simulator';
import {
  startKubeControlPlane,
  startTcpProxy,
  type KubeControlPlane,
  type TcpProxy,
} from '@paved/kube-control-plane';
import { WATCHED_RESOURCES } from '@paved/plugin-kubernetes-status-node';
import { waitFor } from '@paved/test-timing';

/** A Kubernetes object as the tests write it. */
export interface TestObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ uid: string; [key: string]: unknown }>;
    [key: string]: unknown;
  };
  [key: string]: any;
}

/** Which object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * The same operations on a simulated and on a real API server, so one
 * test suite runs against both. Everything a test changes goes through
 * here; the backend under test only gets {@link TestCluster.clusterConfig}.
 */
export interface TestCluster {
  readonly flavour: 'simulator' | 'kube-apiserver';
  /** Cluster name in the backend's configuration. */
  readonly name: string;
  /** What the backend is given: URL, CA (base64 PEM) and bearer token. */
  readonly url: string;
  readonly caData: string;
  readonly token: string;
  /** A `kubernetesStatus.clusters[]` entry: TLS verified with caData (never skipTLSVerify). */
  clusterConfig(): Record<string, string | boolean>;
  /**
   * Creates or replaces objects, in order, then their `status` (through the
   * status subresource on a real server). Namespaces are created as needed;
   * ownerReferences and involvedObject uids of objects in the same call (or an
   * earlier one) are mapped to the uids the server gave them.
   */
  apply(objects: TestObject[]): Promise<void>;
  /** JSON merge patch of an object's status (through the status subresource where the type has one). */
  setStatus(ref: ObjectRef, status: Record<string, unknown>): Promise<void>;
  /** Deletes an object at once (grace period 0; dependents stay, as without a garbage collector); gone already is fine. */
  delete(ref: ObjectRef): Promise<void>;
  /** The backend's identity may no longer get, list or watch `resource` (plural); resolves once new requests get 403. */
  forbid(resource: string): Promise<void>;
  /** Lifts every {@link TestCluster.forbid}; resolves once requests are allowed again. */
  allowAll(): Promise<void>;
  /** Installs the Argo CD Application and Flux Kustomization CRDs (absent until then). */
  installGitOpsCrds(): Promise<void>;
  /**
   * `true`: the backend can no longer reach the API server (open connections
   * cut, new ones refused) while the test still changes the cluster;
   * `false`: reachable again on the same address.
   */
  setUnreachable(down: boolean): Promise<void>;
  /**
   * Forgets the change history (etcd compaction on a real server): a watch
   * that resumes from an older resourceVersion gets 410 Gone.
   */
  expireHistory(): Promise<void>;
  /** Stops the API server itself (connections refused on its port). */
  stopServer(): Promise<void>;
  /** Starts it again on the same port. */
  startServer(): Promise<void>;
  /** Requests for `resource` the server has answered so far (at steady state: the watches of that type). */
  requestCount(resource: string): Promise<number>;
  stop(): Promise<void>;
}

// The CRDs installGitOpsCrds() installs, as upstream defines them: Argo
// CD's Application CRD has no status subresource (`subresources: {}`,
// status is written with the object), Flux's Kustomization has one.
const GITOPS_CRDS = [
  { ...WATCHED_RESOURCES.applications, statusSubresource: false },
  { ...WATCHED_RESOURCES.kustomizations, statusSubresource: true },
];
/** Kinds whose status is part of the object itself (no status subresource). */
const STATUS_IN_OBJECT = new Set([
  'Event',
  'ConfigMap',
  ...GITOPS_CRDS.filter(c => !c.statusSubresource).map(c => c.kind),
]);
const GITOPS_PLURALS = Object.values(WATCHED_RESOURCES)
  .filter(r => r.optional)
  .map(r => r.plural);

/** RFC 7386 JSON merge patch. */
function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return patch;
  const out: any =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Simulator

/**
 * A {@link KubernetesSimulator} behind the TestCluster operations, changed
 * through its in-process API. GitOps CRDs are "absent" until installed: the
 * simulator always serves their types, so their requests answer the 404 a
 * kube-apiserver without the CRD gives until {@link TestCluster.installGitOpsCrds}.
 */
export async function startSimulatorCluster(options: {
  name: string;
  token: string;
  bookmarkIntervalMs?: number;
}): Promise<TestCluster & { simulator: KubernetesSimulator }> {
  const sim = new KubernetesSimulator({
    name: options.name,
    token: options.token,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 500,
  });
  await sim.start({ port: 0, host: '127.0.0.1' });
  for (const resource of GITOPS_PLURALS) {
    sim.faults.failNext({ status: 404, resource, count: 1e9 });
  }
  // HTTPS with a CA of the simulator's own: the backend verifies with it.
  const caData = sim.caData;
  const ref = (r: ObjectRef) =>
    [r.apiVersion, r.kind, r.namespace, r.name] as const;
  return {
    flavour: 'simulator',
    simulator: sim,
    name: options.name,
    url: sim.url,
    caData,
    token: options.token,
    clusterConfig() {
      return {
        name: options.name,
        url: sim.url,
        serviceAccountToken: options.token,
        simulated: true,
        caData,
      };
    },
    async apply(objects) {
      sim.apply(objects as any);
    },
    async setStatus(r, status) {
      sim.update(...ref(r), o => ({
        ...o,
        status: mergePatch(o.status, status),
      }));
    },
    async delete(r) {
      sim.delete(...ref(r), { cascade: false });
    },
    async forbid(resource) {
      sim.forbid({ resource });
    },
    async allowAll() {
      sim.allowAll();
    },
    async installGitOpsCrds() {
      // Drops the pending 404s (the only failures this cluster injects).
      sim.faults.reset();
      for (const resource of GITOPS_PLURALS.filter(
        p => !GITOPS_CRDS.some(c => c.plural === p),
      )) {
        sim.faults.failNext({ status: 404, resource, count: 1e9 });
      }
    },
    async setUnreachable(down) {
      await sim.faults.setDown(down);
    },
    async expireHistory() {
      sim.compact();
    },
    async stopServer() {
      await sim.faults.setDown(true);
    },
    async startServer() {
      await sim.faults.setDown(false);
    },
    async requestCount(resource) {
      return sim.counters.byResource[resource] ?? 0;
    },
    async stop() {
      await sim.stop();
    },
  };
}

// ---------------------------------------------------------------------------
// Real kube-apiserver

interface HttpAnswer {
  status: number;
  body: any;
  text: string;
}

/** Raw HTTPS through client-node's config (CA verified, bearer token). */
async function kubeRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<HttpAnswer> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const options: https.RequestOptions = {
    method,
    hostname: server.hostname,
    port: server.port,
    path,
    headers: { accept: 'application/json' },
  };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload !== undefined) {
    options.headers = {
      ...options.headers,
      'content-type': contentType,
      'content-length': Buffer.byteLength(payload),
    };
  }
  return new Promise((resolve, reject) => {
    const req = https.request(options, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () =>
      req.destroy(new Error(`${method} ${path} timed out`)),
    );
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function expectOk(answer: HttpAnswer, what: string, allowed: number[] = []) {
  if (
    (answer.status >= 200 && answer.status < 300) ||
    allowed.includes(answer.status)
  )
    return answer;
  throw new Error(
    `${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`,
  );
}

interface TypeInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const KNOWN_TYPES: TypeInfo[] = [
  ...Object.values(WATCHED_RESOURCES).map(r => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    plural: r.plural,
    namespaced: r.namespaced,
  })),
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
  },
];

function typeOf(apiVersion: string, kind: string): TypeInfo {
  const t = KNOWN_TYPES.find(
    k => k.apiVersion === apiVersion && k.kind === kind,
  );
  if (!t) throw new Error(`TestCluster does not know ${apiVersion} ${kind}`);
  return t;
}

function collectionPath(t: TypeInfo, namespace?: string) {
  const base = t.apiVersion.includes('/')
    ? `/apis/${t.apiVersion}`
    : `/api/${t.apiVersion}`;
  return t.namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace ?? 'default')}/${
        t.plural
      }`
    : `${base}/${t.plural}`;
}

function objectPath(r: ObjectRef) {
  return `${collectionPath(
    typeOf(r.apiVersion, r.kind),
    r.namespace,
  )}/${encodeURIComponent(r.name)}`;
}

/** The RBAC rules the backend's service account needs (README: get, list, watch on the watched types, get on pods/log). */
function readerRules(forbidden: Set<string>) {
  const byGroup = new Map<string, string[]>();
  for (const r of Object.values(WATCHED_RESOURCES)) {
    if (forbidden.has(r.plural)) continue;
    byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.plural]);
  }
  return [
    ...[...byGroup.entries()].map(([group, resources]) => ({
      apiGroups: [group],
      resources,
      verbs: ['get', 'list', 'watch'],
    })),
    ...(forbidden.has('pods/log')
      ? []
      : [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]),
  ];
}

const READER_ROLE = 'paved-kubernetes-status-reader';
const FIELD_MANAGER = 'paved-test';

/**
 * A real kube-apiserver + etcd (`@paved/kube-control-plane`) behind the
 * TestCluster operations, written with client-node's config over verified
 * TLS. The backend talks to it as a static-token user bound to a ClusterRole
 * with exactly the README's permissions (forbid() takes a resource out of
 * it), through a TCP proxy that {@link TestCluster.setUnreachable} takes down.
 * Deployments and ReplicaSets are served without the watch cache, so after
 * {@link TestCluster.expireHistory} their watches resume into 410 Gone.
 */
export async function startRealCluster(options: {
  name: string;
}): Promise<TestCluster & { controlPlane: KubeControlPlane }> {
  const readerToken = `reader-${Math.random()
    .toString(36)
    .slice(2)}${Date.now().toString(36)}`;
  const cp = await startKubeControlPlane({
    users: [{ name: 'paved-reader', token: readerToken }],
    watchCacheDisabledFor: ['deployments.apps', 'replicasets.apps'],
    // Only expireHistory() compacts: resourceVersions stay valid otherwise.
    etcdCompactionIntervalSeconds: 0,
  });
  let proxy: TcpProxy | undefined;
  try {
    proxy = await startTcpProxy(cp.url);
  } catch (e) {
    await cp.stop();
    throw e;
  }
  const kubeConfig = (token: string) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'paved',
          server: cp.url,
          caData: cp.caData,
          skipTLSVerify: false,
        },
      ],
      users: [{ name: 'u', token }],
      contexts: [{ name: 'paved', cluster: 'paved', user: 'u' }],
      currentContext: 'paved',
    });
    return kc;
  };
  const admin = kubeConfig(cp.adminToken);
  const reader = kubeConfig(readerToken);
  const call = (
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ) => kubeRequest(admin, method, path, body, contentType);

  const forbidden = new Set<string>();
  const writeRole = async () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: READER_ROLE },
      rules: readerRules(forbidden),
    };
    expectOk(
      await call(
        'PATCH',
        `/apis/rbac.authorization.k8s.io/v1/clusterroles/${READER_ROLE}?fieldManager=${FIELD_MANAGER}&force=true`,
        role,
        'application/apply-patch+yaml',
      ),
      'apply the reader ClusterRole',
    );
  };
  /** Waits until the reader's list of `plural` answers `status` (RBAC reads roles from an informer). */
  const readerListAnswers = async (plural: string, status: number) => {
    const r = Object.values(WATCHED_RESOURCES).find(w => w.plural === plural);
    const path = `${r ? collectionPath(r) : `/api/v1/${plural}`}?limit=1`;
    await waitFor(
      `list ${plural} as the reader to answer ${status}`,
      async () =>
        (await kubeRequest(reader, 'GET', path)).status === status
          ? true
          : undefined,
    );
  };
  await writeRole();
  expectOk(
    await call(
      'PATCH',
      `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${READER_ROLE}?fieldManager=${FIELD_MANAGER}&force=true`,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: READER_ROLE },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: READER_ROLE,
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'User',
            name: 'paved-reader',
          },
        ],
      },
      'application/apply-patch+yaml',
    ),
    'bind the reader ClusterRole',
  );
  await readerListAnswers('pods', 200);

  // Test uids (from generators) -> the uids the server gave the objects.
  const uids = new Map<string, string>();
  const namespaces = new Set([
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ]);
  const ensureNamespace = async (name: string) => {
    if (namespaces.has(name)) return;
    expectOk(
      await call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      }),
      `create namespace ${name}`,
      [409],
    );
    namespaces.add(name);
  };
  const mapUid = (uid: unknown) =>
    typeof uid === 'string' ? uids.get(uid) ?? uid : uid;

  const cluster: TestCluster & { controlPlane: KubeControlPlane } = {
    flavour: 'kube-apiserver',
    controlPlane: cp,
    name: options.name,
    url: proxy.url,
    caData: cp.caData,
    token: readerToken,
    clusterConfig() {
      return {
        name: options.name,
        url: proxy!.url,
        caData: cp.caData,
        serviceAccountToken: readerToken,
      };
    },
    async apply(objects) {
      for (const original of objects) {
        const object = structuredClone(original);
        const t = typeOf(object.apiVersion, object.kind);
        if (t.namespaced) {
          object.metadata.namespace ??= 'default';
          await ensureNamespace(object.metadata.namespace);
        }
        const testUid = object.metadata.uid;
        const { status: withStatus, ...withoutStatus } = object;
        const statusInObject = STATUS_IN_OBJECT.has(object.kind);
        const status = statusInObject ? undefined : withStatus;
        const rest = statusInObject ? object : withoutStatus;
        const {
          uid,
          resourceVersion,
          creationTimestamp,
          generation,
          managedFields,
          ...metadata
        } = object.metadata as any;
        void uid;
        void resourceVersion;
        void creationTimestamp;
        void generation;
        void managedFields;
        metadata.ownerReferences = metadata.ownerReferences?.map((o: any) => ({
          ...o,
          uid: mapUid(o.uid),
        }));
        if (!metadata.ownerReferences) delete metadata.ownerReferences;
        const body: any = { ...rest, metadata };
        if (body.involvedObject?.uid)
          body.involvedObject = {
            ...body.involvedObject,
            uid: mapUid(body.involvedObject.uid),
          };
        const path = objectPath({
          ...object,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
        });
        const applied = expectOk(
          await call(
            'PATCH',
            `${path}?fieldManager=${FIELD_MANAGER}&force=true`,
            body,
            'application/apply-patch+yaml',
          ),
          `apply ${object.kind} ${object.metadata.namespace ?? ''}/${
            object.metadata.name
          }`,
        );
        if (testUid) uids.set(testUid, applied.body.metadata.uid);
        if (status) {
          expectOk(
            await call(
              'PATCH',
              `${path}/status?fieldManager=${FIELD_MANAGER}&force=true`,
              {
                apiVersion: object.apiVersion,
                kind: object.kind,
                metadata: {
                  name: object.metadata.name,
                  namespace: object.metadata.namespace,
                },
                status,
              },
              'application/apply-patch+yaml',
            ),
            `apply the status of ${object.kind} ${
              object.metadata.namespace ?? ''
            }/${object.metadata.name}`,
          );
        }
      }
    },
    async setStatus(r, status) {
      const path = STATUS_IN_OBJECT.has(r.kind)
        ? objectPath(r)
        : `${objectPath(r)}/status`;
      expectOk(
        await call('PATCH', path, { status }, 'application/merge-patch+json'),
        `patch the status of ${r.kind} ${r.namespace ?? ''}/${r.name}`,
      );
    },
    async delete(r) {
      expectOk(
        await call('DELETE', objectPath(r), {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          gracePeriodSeconds: 0,
        }),
        `delete ${r.kind} ${r.namespace ?? ''}/${r.name}`,
        [404],
      );
    },
    async forbid(resource) {
      forbidden.add(resource);
      await writeRole();
      await readerListAnswers(resource, 403);
    },
    async allowAll() {
      const was = [...forbidden];
      forbidden.clear();
      await writeRole();
      for (const resource of was) await readerListAnswers(resource, 200);
    },
    async installGitOpsCrds() {
      for (const c of GITOPS_CRDS) {
        expectOk(
          await call(
            'PATCH',
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c.plural}.${c.group}?fieldManager=${FIELD_MANAGER}&force=true`,
            {
              apiVersion: 'apiextensions.k8s.io/v1',
              kind: 'CustomResourceDefinition',
              metadata: { name: `${c.plural}.${c.group}` },
              spec: {
                group: c.group,
                scope: 'Namespaced',
                names: {
                  kind: c.kind,
                  plural: c.plural,
                  singular: c.kind.toLowerCase(),
                  listKind: `${c.kind}List`,
                },
                versions: [
                  {
                    name: c.version,
                    served: true,
                    storage: true,
                    subresources: c.statusSubresource ? { status: {} } : {},
                    schema: {
                      openAPIV3Schema: {
                        type: 'object',
                        'x-kubernetes-preserve-unknown-fields': true,
                      },
                    },
                  },
                ],
              },
            },
            'application/apply-patch+yaml',
          ),
          `install the ${c.plural}.${c.group} CRD`,
        );
        if (!KNOWN_TYPES.some(k => k.kind === c.kind)) {
          KNOWN_TYPES.push({
            apiVersion: `${c.group}/${c.version}`,
            kind: c.kind,
            plural: c.plural,
            namespaced: true,
          });
        }
      }
      // Established, and served to the reader.
      for (const c of GITOPS_CRDS) {
        await waitFor(`${c.plural}.${c.group} served`, async () =>
          (
            await kubeRequest(
              reader,
              'GET',
              `/apis/${c.group}/${c.version}/${c.plural}?limit=1`,
            )
          ).status === 200
            ? true
            : undefined,
        );
      }
    },
    async setUnreachable(down) {
      await proxy!.setDown(down);
    },
    async expireHistory() {
      await cp.compactEtcd();
    },
    async stopServer() {
      await cp.stopApiserver();
    },
    async startServer() {
      await cp.startApiserver();
    },
    async requestCount(resource) {
      const metrics = expectOk(
        await call('GET', '/metrics'),
        'read /metrics',
      ).text;
      let total = 0;
      for (const line of metrics.split('\n')) {
        if (!line.startsWith('apiserver_request_total{')) continue;
        if (
          !line.includes(`resource="${resource}"`) ||
          (line.includes('subresource="') && !line.includes('subresource=""'))
        )
          continue;
        // Only the backend's requests: the tests' own writes are not LIST/WATCH/GET.
        if (!/verb="(LIST|WATCH|GET)"/.test(line)) continue;
        total += Number(line.split(' ').pop());
      }
      return total;
    },
    async stop() {
      await proxy?.stop();
      await cp.stop();
    },
  };
  return cluster;
}
