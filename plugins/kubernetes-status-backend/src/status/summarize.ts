import {
  ContainerStatus,
  GitOpsStatus,
  PodStatus,
  ReplicaSetSummary,
  ResourceSummary,
  RolloutStatus,
  WarningEvent,
  WorkloadStatus,
} from '@paved/plugin-kubernetes-status-common';
import { CachedKubernetesObject } from '@paved/plugin-kubernetes-status-node';
import type {
  CoreV1Event,
  CoreV1EventSeries,
  V1Condition,
  V1Container,
  V1ContainerState,
  V1ContainerStatus,
  V1DeploymentCondition,
  V1IngressRule,
  V1ObjectReference,
  V1PodSpec,
  V1ServicePort,
} from '@kubernetes/client-node';

// Pure functions from cached Kubernetes objects to the API's summaries.

const iso = (value: unknown): string | undefined => {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const imageVersion = (image: string) => {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 20);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
};

// The caches keep objects as the API server sends them (JSON: timestamps
// are strings where client-node's types say Date; `iso` reads both), cut
// to the fields the views read.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOr = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const numberOr = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;

/**
 * The object an event is about (`involvedObject`), when it names one.
 * Events carry no workload labels: their object says whose they are.
 */
export function involvedObjectOf(
  event: CachedKubernetesObject,
): Pick<V1ObjectReference, 'kind' | 'name' | 'namespace'> | undefined {
  const involved: unknown = event.involvedObject;
  if (!isRecord(involved)) return undefined;
  return {
    kind: stringOr(involved.kind),
    name: stringOr(involved.name),
    namespace: stringOr(involved.namespace),
  };
}

const containerImages = (podSpec: V1PodSpec | undefined): string[] =>
  (podSpec?.containers ?? []).map(c => String(c.image ?? ''));

function containerState(state: V1ContainerState): ContainerStatus['state'] {
  if (state.running) return 'running';
  if (state.waiting) return 'waiting';
  if (state.terminated) return 'terminated';
  return 'unknown';
}

function simpleRolloutState(
  desired: number,
  done: boolean,
): RolloutStatus['state'] {
  if (desired === 0) return 'scaled-down';
  return done ? 'complete' : 'progressing';
}

function containerStatus(
  spec: V1Container,
  status: V1ContainerStatus | undefined,
): ContainerStatus {
  const state = status?.state ?? {};
  const last = status?.lastState?.terminated;
  return {
    name: spec.name,
    image: status?.image ?? spec.image ?? '',
    ready: !!status?.ready,
    restarts: status?.restartCount ?? 0,
    state: containerState(state),
    waitingReason: state.waiting?.reason,
    lastTerminationReason: last?.reason ?? state.terminated?.reason,
    lastTerminationExitCode: last?.exitCode ?? state.terminated?.exitCode,
    lastTerminatedAt: iso(last?.finishedAt ?? state.terminated?.finishedAt),
  };
}

/** Maps each ReplicaSet name to the Deployment that controls it. */
export function replicaSetOwners(
  replicaSets: CachedKubernetesObject[],
): Map<string, { kind: string; name: string }> {
  const owners = new Map<string, { kind: string; name: string }>();
  for (const rs of replicaSets) {
    const owner =
      rs.metadata?.ownerReferences?.find(o => o.controller) ??
      rs.metadata?.ownerReferences?.[0];
    if (owner)
      owners.set(`${rs.metadata?.namespace}/${rs.metadata?.name}`, {
        kind: owner.kind,
        name: owner.name,
      });
  }
  return owners;
}

export function summarizePod(
  pod: CachedKubernetesObject,
  rsOwners: Map<string, { kind: string; name: string }>,
): PodStatus {
  const specContainers: V1Container[] = pod.spec?.containers ?? [];
  const statuses: V1ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const containers = specContainers.map(c =>
    containerStatus(
      c,
      statuses.find(s => s.name === c.name),
    ),
  );
  const owner =
    pod.metadata?.ownerReferences?.find(o => o.controller) ??
    pod.metadata?.ownerReferences?.[0];
  const namespace = pod.metadata?.namespace;
  const workload =
    owner?.kind === 'ReplicaSet'
      ? rsOwners.get(`${namespace}/${owner.name}`) ?? owner
      : owner;
  const readyContainers = containers.filter(c => c.ready).length;
  return {
    kind: 'Pod',
    name: pod.metadata?.name ?? '',
    namespace,
    ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
    phase: pod.status?.phase ?? 'Unknown',
    ready: containers.length > 0 && readyContainers === containers.length,
    readyContainers,
    totalContainers: containers.length,
    restarts: containers.reduce((sum, c) => sum + c.restarts, 0),
    node: pod.spec?.nodeName,
    createdAt: iso(pod.metadata?.creationTimestamp),
    owner: workload
      ? { kind: workload.kind, name: workload.name, namespace }
      : undefined,
    containers,
  };
}

function replicaSetSummary(rs: CachedKubernetesObject): ReplicaSetSummary {
  return {
    name: rs.metadata?.name ?? '',
    revision: rs.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    images: containerImages(rs.spec?.template?.spec),
    desired: rs.spec?.replicas ?? 0,
    ready: rs.status?.readyReplicas ?? 0,
  };
}

function deploymentRollout(
  deployment: CachedKubernetesObject,
  replicaSets: CachedKubernetesObject[],
): RolloutStatus {
  const owned = replicaSets
    .filter(rs =>
      rs.metadata?.ownerReferences?.some(
        o =>
          o.uid === deployment.metadata?.uid ||
          (o.kind === 'Deployment' && o.name === deployment.metadata?.name),
      ),
    )
    .sort(
      (a, b) =>
        Number(
          b.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
        ) -
        Number(
          a.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
        ),
    );
  const [newest, ...older] = owned;
  const conditions: V1DeploymentCondition[] =
    deployment.status?.conditions ?? [];
  const progressing = conditions.find(c => c.type === 'Progressing');
  const progressDeadlineExceeded =
    progressing?.reason === 'ProgressDeadlineExceeded';
  const desired = deployment.spec?.replicas ?? 1;
  const observed =
    (deployment.status?.observedGeneration ?? 0) >=
    (deployment.metadata?.generation ?? 0);
  const updated = deployment.status?.updatedReplicas ?? 0;
  const total = deployment.status?.replicas ?? 0;
  const oldActive = older.filter(
    rs => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0,
  );
  let state: RolloutStatus['state'];
  if (deployment.spec?.paused) state = 'paused';
  else if (progressDeadlineExceeded) state = 'stalled';
  else if (desired === 0) state = 'scaled-down';
  // Unready pods of a finished rollout are a health problem, not a rollout in progress.
  else if (
    !observed ||
    updated < desired ||
    total > updated ||
    oldActive.length > 0
  )
    state = 'progressing';
  else state = 'complete';
  return {
    state,
    message: progressing?.message,
    observed,
    progressDeadlineExceeded,
    newReplicaSet: newest ? replicaSetSummary(newest) : undefined,
    oldReplicaSets: oldActive.map(replicaSetSummary),
  };
}

export function summarizeWorkload(
  workload: CachedKubernetesObject,
  kind: WorkloadStatus['kind'],
  replicaSets: CachedKubernetesObject[],
): WorkloadStatus {
  const images = containerImages(workload.spec?.template?.spec);
  const s = workload.status ?? {};
  const generation = workload.metadata?.generation ?? 0;
  const observedGeneration = s.observedGeneration ?? 0;
  let desired: number;
  let updated: number;
  let ready: number;
  let available: number;
  if (kind === 'DaemonSet') {
    desired = s.desiredNumberScheduled ?? 0;
    updated = s.updatedNumberScheduled ?? 0;
    ready = s.numberReady ?? 0;
    available = s.numberAvailable ?? 0;
  } else {
    desired = workload.spec?.replicas ?? 1;
    updated = s.updatedReplicas ?? 0;
    ready = s.readyReplicas ?? 0;
    available = s.availableReplicas ?? (kind === 'StatefulSet' ? ready : 0);
  }
  const rollout =
    kind === 'Deployment'
      ? deploymentRollout(workload, replicaSets)
      : {
          state: simpleRolloutState(
            desired,
            observedGeneration >= generation &&
              updated >= desired &&
              ready >= desired,
          ),
          observed: observedGeneration >= generation,
          progressDeadlineExceeded: false,
          oldReplicaSets: [],
        };
  return {
    kind,
    name: workload.metadata?.name ?? '',
    namespace: workload.metadata?.namespace,
    images,
    versions: images.map(imageVersion),
    desired,
    updated,
    ready,
    available,
    generation,
    observedGeneration,
    rollout,
    createdAt: iso(workload.metadata?.creationTimestamp),
  };
}

// The fields of a core/v1 Event the summary reads, as the caches keep them.
type EventField = keyof Pick<
  CoreV1Event,
  | 'reason'
  | 'message'
  | 'count'
  | 'firstTimestamp'
  | 'lastTimestamp'
  | 'eventTime'
>;
type SeriesField = keyof Pick<CoreV1EventSeries, 'count' | 'lastObservedTime'>;

export function summarizeEvent(event: CachedKubernetesObject): WarningEvent {
  const field = (key: EventField): unknown => event[key];
  const series: unknown = event.series;
  const seriesField = (key: SeriesField): unknown =>
    isRecord(series) ? series[key] : undefined;
  const involved = involvedObjectOf(event);
  return {
    reason: stringOr(field('reason')) ?? '',
    message: stringOr(field('message')) ?? '',
    count: numberOr(field('count')) ?? numberOr(seriesField('count')) ?? 1,
    involvedObject: {
      kind: involved?.kind ?? '',
      name: involved?.name ?? '',
      namespace: involved?.namespace,
    },
    firstSeen: iso(
      field('firstTimestamp') ??
        field('eventTime') ??
        event.metadata?.creationTimestamp,
    ),
    lastSeen: iso(
      field('lastTimestamp') ??
        seriesField('lastObservedTime') ??
        field('eventTime'),
    ),
  };
}

export function summarizeResource(
  kind: string,
  o: CachedKubernetesObject,
): ResourceSummary {
  const base = {
    kind,
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace,
  };
  const spec = o.spec ?? {};
  const status = o.status ?? {};
  switch (kind) {
    case 'Service': {
      const servicePorts: V1ServicePort[] = spec.ports ?? [];
      const ports = servicePorts
        .map(p => `${p.port}/${p.protocol ?? 'TCP'}`)
        .join(', ');
      return {
        ...base,
        summary: `${spec.type ?? 'ClusterIP'} ${
          spec.clusterIP ?? ''
        } ${ports}`.trim(),
      };
    }
    case 'Ingress': {
      const rules: V1IngressRule[] = spec.rules ?? [];
      const hosts = rules.map(r => r.host).filter(Boolean);
      return { ...base, summary: hosts.length ? hosts.join(', ') : 'no hosts' };
    }
    case 'HorizontalPodAutoscaler':
      return {
        ...base,
        summary: `${status.currentReplicas ?? '?'} replicas (min ${
          spec.minReplicas ?? 1
        }, max ${spec.maxReplicas}), target ${spec.scaleTargetRef?.kind}/${
          spec.scaleTargetRef?.name
        }`,
      };
    case 'Job':
      return {
        ...base,
        summary: `${status.succeeded ?? 0} succeeded, ${
          status.failed ?? 0
        } failed, ${status.active ?? 0} active`,
      };
    case 'CronJob':
      return {
        ...base,
        summary: `schedule "${spec.schedule}"${
          spec.suspend ? ' (suspended)' : ''
        }, last run ${iso(status.lastScheduleTime) ?? 'never'}`,
      };
    default:
      return { ...base, summary: '' };
  }
}

function fluxReadiness(ready: Partial<V1Condition> | undefined): {
  sync: string;
  health: string;
} {
  if (!ready) return { sync: 'Unknown', health: 'Unknown' };
  if (ready.status === 'True') return { sync: 'Ready', health: 'Healthy' };
  return { sync: ready.reason ?? 'NotReady', health: 'Degraded' };
}

// Flux reports metav1.Conditions (the caches keep type, status, reason,
// message and lastTransitionTime).
const readyCondition = (
  o: CachedKubernetesObject,
): Partial<V1Condition> | undefined => {
  const conditions: Array<Partial<V1Condition>> = o.status?.conditions ?? [];
  return conditions.find(c => c.type === 'Ready');
};

export function summarizeGitOps(
  kind: 'Application' | 'Kustomization' | 'HelmRelease',
  o: CachedKubernetesObject,
): GitOpsStatus {
  const base = {
    kind,
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace,
  };
  const status = o.status ?? {};
  if (kind === 'Application') {
    return {
      ...base,
      tool: 'argocd',
      sync: status.sync?.status ?? 'Unknown',
      health: status.health?.status ?? 'Unknown',
      targetRevision: o.spec?.source?.targetRevision,
      liveRevision: status.sync?.revision,
      lastSyncAt: iso(status.operationState?.finishedAt ?? status.reconciledAt),
      message: status.operationState?.message,
    };
  }
  const ready = readyCondition(o);
  return {
    ...base,
    tool: 'flux',
    ...fluxReadiness(ready),
    targetRevision: status.lastAttemptedRevision,
    liveRevision: status.lastAppliedRevision,
    lastSyncAt: iso(ready?.lastTransitionTime),
    message: ready?.message,
  };
}
