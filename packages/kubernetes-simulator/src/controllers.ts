import { randomBytes } from 'node:crypto';
import { isoSeconds, type KubeObject, type OwnerReference } from './store';

/** The mutation API the controllers and scenarios need from a simulated cluster. */
export interface ClusterAccess {
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  apply(object: KubeObject): KubeObject;
  delete(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
}

/** Label the Deployment controller puts on ReplicaSets and their pods. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** Annotation with the rollout revision of a Deployment and its ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

// The alphabet kube's rand.SafeEncodeString uses: no vowels, no 0/1/3.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a hash of a string. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Maps each character onto the safe alphabet, as kube's SafeEncodeString does. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  }
  return out;
}

/** A deterministic random-looking suffix of `length` safe characters (pod names). */
export function nameSuffix(seed: string, length = 5): string {
  let state = fnv1a(seed) || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    // xorshift32: cheap and deterministic per seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out += SAFE_ALPHABET[(state >>> 0) % SAFE_ALPHABET.length];
  }
  return out;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stableStringify(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The pod-template-hash of a Deployment's pod template: the FNV-32a hash of
 * the template, written with the safe alphabet, like the Deployment controller.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv1a(stableStringify(template))));
}

/** Whether the object is being deleted (has a deletionTimestamp). */
export function isTerminating(object: KubeObject): boolean {
  return Boolean(object.metadata.deletionTimestamp);
}

/** Whether `object` has an ownerReference to `owner` (by uid). */
export function isOwnedBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    ref => ref.uid === owner.metadata.uid,
  );
}

/** A controller ownerReference to `owner`. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether a pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) =>
      c.type === 'Ready' && c.status === 'True',
  );
}

function intOrPercent(
  value: unknown,
  total: number,
  roundUp: boolean,
  fallback: string,
): number {
  const v = value ?? fallback;
  if (typeof v === 'number') {
    return v;
  }
  const match = /^(\d+)%$/.exec(String(v));
  if (!match) {
    return Number(v) || 0;
  }
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable of a Deployment's RollingUpdate strategy, resolved to counts. */
export function rollingUpdateLimits(deployment: KubeObject): {
  maxSurge: number;
  maxUnavailable: number;
} {
  const replicas = deployment.spec?.replicas ?? 1;
  const rolling = deployment.spec?.strategy?.rollingUpdate ?? {};
  let maxSurge = intOrPercent(rolling.maxSurge, replicas, true, '25%');
  const maxUnavailable = intOrPercent(
    rolling.maxUnavailable,
    replicas,
    false,
    '25%',
  );
  // Both zero would deadlock a rollout; the apiserver rejects that, so do too.
  if (maxSurge === 0 && maxUnavailable === 0) {
    maxSurge = 1;
  }
  return { maxSurge, maxUnavailable };
}

/** ReplicaSet status derived from its (non-terminating) pods. */
export function replicaSetStatus(
  replicaSet: KubeObject,
  pods: readonly KubeObject[],
): Record<string, unknown> {
  const live = pods.filter(p => !isTerminating(p));
  const ready = live.filter(isPodReady).length;
  return omitZero(
    {
      replicas: live.length,
      fullyLabeledReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: replicaSet.metadata.generation ?? 1,
    },
    ['replicas'],
  );
}

/** A condition, keeping lastTransitionTime when the status did not change. */
export function condition(
  previous: readonly any[] | undefined,
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  now: Date,
): Record<string, string> {
  const old = (previous ?? []).find(c => c.type === type);
  const at = isoSeconds(now);
  return {
    type,
    status,
    lastUpdateTime: at,
    lastTransitionTime:
      old && old.status === status ? old.lastTransitionTime ?? at : at,
    reason,
    message,
  };
}

/** Which of a Deployment's ReplicaSets matches its current pod template. */
export function newReplicaSetOf(
  deployment: KubeObject,
  replicaSets: readonly KubeObject[],
): KubeObject | undefined {
  const hash = podTemplateHash(deployment.spec?.template);
  return replicaSets.find(
    rs => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash,
  );
}

/**
 * Deployment status derived from its ReplicaSets (whose status must be
 * current). The Progressing condition is the caller's (rollouts set it);
 * when none is given the previous one is kept.
 */
export function deploymentStatus(
  deployment: KubeObject,
  replicaSets: readonly KubeObject[],
  now: Date,
  progressing?: { status: 'True' | 'False'; reason: string; message: string },
): Record<string, unknown> {
  const desired = deployment.spec?.replicas ?? 1;
  const newRs = newReplicaSetOf(deployment, replicaSets);
  const sum = (field: string) =>
    replicaSets.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
  const available = sum('availableReplicas');
  const { maxUnavailable } = rollingUpdateLimits(deployment);
  const previous = deployment.status?.conditions as any[] | undefined;
  const availableCondition =
    available >= desired - maxUnavailable
      ? condition(
          previous,
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          now,
        )
      : condition(
          previous,
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          now,
        );
  const oldProgressing = previous?.find(c => c.type === 'Progressing');
  const progressingCondition = progressing
    ? condition(
        previous,
        'Progressing',
        progressing.status,
        progressing.reason,
        progressing.message,
        now,
      )
    : oldProgressing;
  return omitZero({
    observedGeneration: deployment.metadata.generation ?? 1,
    replicas: sum('replicas'),
    updatedReplicas: newRs?.status?.replicas ?? 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, desired - available),
    conditions: [availableCondition, progressingCondition].filter(Boolean),
  });
}

// Go's omitempty drops zero counts from status; clients see them missing.
function omitZero(
  status: Record<string, unknown>,
  keep: string[] = [],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(status).filter(
      ([key, value]) => value !== 0 || keep.includes(key),
    ),
  );
}

/** The pods a ReplicaSet owns. */
export function podsOf(cluster: ClusterAccess, replicaSet: KubeObject) {
  return cluster
    .list('v1', 'Pod', replicaSet.metadata.namespace)
    .filter(pod => isOwnedBy(pod, replicaSet));
}

/** The ReplicaSets a Deployment owns. */
export function replicaSetsOf(cluster: ClusterAccess, deployment: KubeObject) {
  return cluster
    .list('apps/v1', 'ReplicaSet', deployment.metadata.namespace)
    .filter(rs => isOwnedBy(rs, deployment));
}

/**
 * Recomputes the status of a Deployment's ReplicaSets from their pods and of
 * the Deployment from its ReplicaSets, as the ReplicaSet and Deployment
 * controllers would after pods changed. Writes only what changed.
 */
export function syncDeploymentStatus(
  cluster: ClusterAccess,
  namespace: string,
  name: string,
  progressing?: { status: 'True' | 'False'; reason: string; message: string },
  now: Date = new Date(),
): KubeObject | undefined {
  const deployment = cluster.get('apps/v1', 'Deployment', namespace, name);
  if (!deployment) {
    return undefined;
  }
  const replicaSets = replicaSetsOf(cluster, deployment).map(rs => {
    const status = replicaSetStatus(rs, podsOf(cluster, rs));
    if (JSON.stringify(status) === JSON.stringify(rs.status)) {
      return rs;
    }
    return cluster.apply({ ...rs, status });
  });
  const status = deploymentStatus(deployment, replicaSets, now, progressing);
  if (sameIgnoringTimes(status, deployment.status)) {
    return deployment;
  }
  return cluster.apply({ ...deployment, status });
}

function sameIgnoringTimes(a: unknown, b: unknown): boolean {
  const strip = (v: unknown) =>
    JSON.stringify(v, (key, value) =>
      key === 'lastUpdateTime' || key === 'lastTransitionTime'
        ? undefined
        : value,
    );
  return strip(a) === strip(b);
}

/** What an event is about and what it says. */
export interface EventSpec {
  involvedObject: KubeObject;
  /** `spec.containers{name}` for container events. */
  fieldPath?: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Reporting component: `kubelet`, `deployment-controller`, ... */
  component: string;
  /** Node name for kubelet events. */
  host?: string;
  now?: Date;
}

/**
 * Records a core/v1 Event the way client-go's recorder does: a repeat of the
 * same reason and message about the same object bumps `count` and
 * `lastTimestamp` of the existing Event instead of creating a new one.
 */
export function recordEvent(
  cluster: ClusterAccess,
  spec: EventSpec,
): KubeObject {
  const subject = spec.involvedObject;
  const namespace = subject.metadata.namespace ?? 'default';
  const at = isoSeconds(spec.now ?? new Date());
  const existing = cluster
    .list('v1', 'Event', namespace)
    .find(
      e =>
        e.involvedObject?.uid === subject.metadata.uid &&
        e.reason === spec.reason &&
        e.message === spec.message &&
        e.source?.component === spec.component,
    );
  if (existing) {
    return cluster.apply({
      ...existing,
      count: (existing.count ?? 1) + 1,
      lastTimestamp: at,
    });
  }
  return cluster.apply({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      // client-go names events <object>.<unix nanos in hex>.
      name: `${subject.metadata.name}.${randomBytes(8).toString('hex')}`,
      namespace,
    },
    involvedObject: {
      apiVersion: subject.apiVersion,
      kind: subject.kind,
      name: subject.metadata.name,
      namespace: subject.metadata.namespace,
      uid: subject.metadata.uid,
      resourceVersion: subject.metadata.resourceVersion,
      ...(spec.fieldPath ? { fieldPath: spec.fieldPath } : {}),
    },
    reason: spec.reason,
    message: spec.message,
    source: {
      component: spec.component,
      ...(spec.host ? { host: spec.host } : {}),
    },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    type: spec.type,
    eventTime: null,
    reportingComponent: spec.component,
    reportingInstance: spec.host ?? '',
  });
}
