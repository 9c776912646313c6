import {
  CachedKubernetesObject,
  StampedKubernetesObject,
  WatchedResource,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';

// What the caches keep of each object: the fields their readers use, and
// nothing else. Readers: the status views (status/summarize.ts,
// ChangeNotifier), the policy backend's workload manifests (metadata name,
// namespace, labels, annotations, ownerReferences and the whole spec of
// objects without a controller) and its Gatekeeper mapping (kind, namespace,
// name). Dropped everywhere: managedFields, the last-applied-configuration
// annotation, generateName, finalizers, selfLink. Per kind, large parts no
// reader uses are dropped too (a Node's image list, an Argo CD Application's
// resource tree, a Flux inventory, a pod's conditions and IPs). A field a
// new reader needs is added here.

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * One copy of strings many objects repeat (namespaces, label keys and
 * values, images, owner names and uids, reasons). Unique strings (object
 * names, uids, resourceVersions) are not interned: a pool entry would cost
 * more than it saves. Bounded: cleared when full, which only loses sharing.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();
  constructor(private readonly maxSize = 100_000) {}

  intern<T>(value: T): T {
    if (typeof value !== 'string') return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    if (this.strings.size >= this.maxSize) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }

  get size() {
    return this.strings.size;
  }
}

type Obj = Record<string, any>;

const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function internRecord(
  record: unknown,
  pool: StringPool,
  skip?: string,
): Record<string, string> | undefined {
  if (!isObject(record)) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    if (key === skip) continue;
    // Long values (JSON blobs in annotations) are rarely shared.
    const value = record[key];
    out[pool.intern(key)] =
      typeof value === 'string' && value.length <= 256
        ? pool.intern(value)
        : value;
  }
  return out;
}

function compactMetadata(
  metadata: Obj | undefined,
  pool: StringPool,
): CachedKubernetesObject['metadata'] {
  const m = metadata ?? {};
  const out: Obj = { name: m.name };
  if (m.namespace !== undefined) out.namespace = pool.intern(m.namespace);
  if (m.uid !== undefined) out.uid = m.uid;
  if (m.resourceVersion !== undefined) out.resourceVersion = m.resourceVersion;
  if (m.generation !== undefined) out.generation = m.generation;
  // A typed client may hand over a Date; the cache keeps the API's string.
  if (m.creationTimestamp !== undefined)
    out.creationTimestamp = timestamp(m.creationTimestamp, pool);
  if (m.deletionTimestamp !== undefined)
    out.deletionTimestamp = timestamp(m.deletionTimestamp, pool);
  const labels = internRecord(m.labels, pool);
  if (labels) out.labels = labels;
  const annotations = internRecord(m.annotations, pool, LAST_APPLIED);
  if (annotations) out.annotations = annotations;
  if (Array.isArray(m.ownerReferences)) {
    out.ownerReferences = m.ownerReferences.map((o: Obj) => {
      const ref: Obj = {
        apiVersion: pool.intern(o.apiVersion),
        kind: pool.intern(o.kind),
        name: pool.intern(o.name),
        uid: pool.intern(o.uid),
      };
      if (o.controller !== undefined) ref.controller = o.controller;
      return ref;
    });
  }
  return out;
}

function timestamp(value: unknown, pool: StringPool) {
  if (value instanceof Date)
    return pool.intern(value.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  return pool.intern(value);
}

/** True when a controller owns the object (policy skips those; their spec is summarized only). */
const controllerOwned = (metadata: Obj | undefined) =>
  Array.isArray(metadata?.ownerReferences) &&
  metadata!.ownerReferences.some((o: Obj) => o?.controller);

/** Containers reduced to what the views read: name and image. */
function containerNames(containers: unknown, pool: StringPool) {
  if (!Array.isArray(containers)) return undefined;
  return containers.map((c: Obj) => ({
    name: pool.intern(c?.name),
    image: pool.intern(c?.image),
  }));
}

function pick(
  source: unknown,
  keys: string[],
  pool?: StringPool,
): Obj | undefined {
  if (!isObject(source)) return undefined;
  const out: Obj = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined) out[key] = pool ? pool.intern(value) : value;
  }
  return out;
}

function containerState(state: unknown, pool: StringPool): Obj | undefined {
  if (!isObject(state)) return undefined;
  const out: Obj = {};
  if (state.running) out.running = pick(state.running, ['startedAt'], pool);
  if (state.waiting)
    out.waiting = pick(state.waiting, ['reason', 'message'], pool);
  if (state.terminated) {
    out.terminated = pick(
      state.terminated,
      ['reason', 'exitCode', 'finishedAt', 'startedAt', 'message'],
      pool,
    );
  }
  return out;
}

function containerStatuses(statuses: unknown, pool: StringPool) {
  if (!Array.isArray(statuses)) return undefined;
  return statuses.map((s: Obj) => {
    const out: Obj = {
      name: pool.intern(s?.name),
      image: pool.intern(s?.image),
      ready: s?.ready,
      restartCount: s?.restartCount,
    };
    const state = containerState(s?.state, pool);
    if (state) out.state = state;
    const last = containerState(s?.lastState, pool);
    if (last?.terminated) out.lastState = { terminated: last.terminated };
    return out;
  });
}

function podSpec(spec: Obj | undefined, owned: boolean, pool: StringPool) {
  if (!spec) return undefined;
  // Pods without a controller are manifests people wrote: the policy reads them whole.
  if (!owned) return spec;
  const out: Obj = { containers: containerNames(spec.containers, pool) ?? [] };
  const init = containerNames(spec.initContainers, pool);
  if (init) out.initContainers = init;
  if (spec.nodeName !== undefined) out.nodeName = pool.intern(spec.nodeName);
  return out;
}

function podStatus(status: Obj | undefined, pool: StringPool) {
  if (!status) return undefined;
  const out: Obj = {};
  if (status.phase !== undefined) out.phase = pool.intern(status.phase);
  if (status.reason !== undefined) out.reason = pool.intern(status.reason);
  if (status.message !== undefined) out.message = status.message;
  const containers = containerStatuses(status.containerStatuses, pool);
  if (containers) out.containerStatuses = containers;
  const init = containerStatuses(status.initContainerStatuses, pool);
  if (init) out.initContainerStatuses = init;
  return out;
}

function conditions(
  list: unknown,
  pool: StringPool,
  keys = ['type', 'status', 'reason', 'message'],
) {
  if (!Array.isArray(list)) return undefined;
  return list.map(c => pick(c, keys, pool));
}

type Compactor = (object: Obj, pool: StringPool) => Obj;

const WORKLOAD_STATUS = [
  'observedGeneration',
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'currentReplicas',
  'desiredNumberScheduled',
  'updatedNumberScheduled',
  'numberReady',
  'numberAvailable',
  'currentNumberScheduled',
];

/** Spec whole (policy input), status cut to counts and conditions. */
const workload: Compactor = (o, pool) => ({
  spec: o.spec,
  status: o.status && {
    ...pick(o.status, WORKLOAD_STATUS),
    ...(o.status.conditions
      ? { conditions: conditions(o.status.conditions, pool) }
      : {}),
  },
});

const COMPACTORS: Partial<Record<WatchedResourceKey, Compactor>> = {
  pods: (o, pool) => ({
    spec: podSpec(o.spec, controllerOwned(o.metadata), pool),
    status: podStatus(o.status, pool),
  }),
  replicasets: (o, pool) => ({
    spec: o.spec && {
      replicas: o.spec.replicas,
      template: {
        spec: {
          containers:
            containerNames(o.spec.template?.spec?.containers, pool) ?? [],
        },
      },
    },
    status: pick(o.status, [
      'replicas',
      'readyReplicas',
      'availableReplicas',
      'observedGeneration',
    ]),
  }),
  deployments: workload,
  statefulsets: workload,
  daemonsets: workload,
  jobs: o => ({ spec: o.spec, status: o.status }),
  cronjobs: o => ({
    spec: o.spec,
    status: pick(o.status, [
      'lastScheduleTime',
      'lastSuccessfulTime',
      'active',
    ]),
  }),
  horizontalpodautoscalers: o => ({ spec: o.spec, status: o.status }),
  services: o => ({ spec: o.spec }),
  ingresses: o => ({ spec: o.spec }),
  nodes: (o, pool) => ({
    spec: pick(o.spec, ['unschedulable', 'taints']),
    status: o.status && { conditions: conditions(o.status.conditions, pool) },
  }),
  events: (o, pool) => {
    const out: Obj = {
      type: pool.intern(o.type),
      reason: pool.intern(o.reason),
      message: o.message,
      involvedObject: pick(
        o.involvedObject,
        ['kind', 'name', 'namespace', 'uid'],
        pool,
      ),
    };
    for (const key of [
      'count',
      'firstTimestamp',
      'lastTimestamp',
      'eventTime',
    ]) {
      if (o[key] !== undefined && o[key] !== null)
        out[key] = pool.intern(o[key]);
    }
    if (o.series) out.series = pick(o.series, ['count', 'lastObservedTime']);
    return out;
  },
  applications: (o, pool) => ({
    spec: o.spec,
    status: o.status && {
      sync: pick(o.status.sync, ['status', 'revision'], pool),
      health: pick(o.status.health, ['status', 'message'], pool),
      operationState: pick(
        o.status.operationState,
        ['phase', 'message', 'finishedAt', 'startedAt'],
        pool,
      ),
      reconciledAt: o.status.reconciledAt,
      conditions: conditions(o.status.conditions, pool, ['type', 'message']),
    },
  }),
  kustomizations: gitopsToolkit,
  helmreleases: gitopsToolkit,
};

function gitopsToolkit(o: Obj, pool: StringPool): Obj {
  return {
    spec: o.spec,
    status: o.status && {
      ...pick(o.status, [
        'observedGeneration',
        'lastAttemptedRevision',
        'lastAppliedRevision',
      ]),
      conditions: conditions(o.status.conditions, pool, [
        'type',
        'status',
        'reason',
        'message',
        'lastTransitionTime',
      ]),
    },
  };
}

/**
 * The part of a listed or watched object the caches keep, as a new object
 * (the parsed response can then be collected), stamped with the type's
 * `apiVersion` and `kind` (list items from kube-apiserver carry neither).
 */
export function compactObject(
  resource: Pick<WatchedResource, 'key' | 'apiVersion' | 'kind'>,
  object: Obj,
  pool: StringPool,
): StampedKubernetesObject {
  const compact = COMPACTORS[resource.key];
  const rest = compact
    ? compact(object, pool)
    : { spec: object.spec, status: object.status };
  const out: StampedKubernetesObject = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: compactMetadata(object.metadata, pool),
  };
  for (const key of Object.keys(rest)) {
    if (rest[key] !== undefined) out[key] = rest[key];
  }
  return out;
}
