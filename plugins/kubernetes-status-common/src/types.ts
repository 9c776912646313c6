/** Overall health of an entity in one cluster or across clusters. @public */
export type HealthState = 'ok' | 'degraded' | 'failing' | 'unknown';

/** Why a cluster (or one object type in it) could not be read. @public */
export type ClusterErrorType =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'timeout'
  | 'not-synced'
  | 'unknown';

/** @public */
export interface ClusterError {
  type: ClusterErrorType;
  /** Object type the error is about (for example `pods`); absent for the whole cluster. */
  resource?: string;
  message: string;
  /** When the error was first seen (ISO 8601). */
  since: string;
}

/** @public */
export interface ClusterRef {
  name: string;
  title?: string;
  /** True for Paved's simulated clusters: the UI labels their data as simulated. */
  simulated: boolean;
}

/** How fresh the cached view of a cluster is. @public */
export interface Freshness {
  /** Last time every watched type was in sync (ISO 8601). */
  lastSyncAt?: string;
  /** True when some watched type has been out of sync longer than the stale threshold. */
  stale: boolean;
  staleSince?: string;
}

/** @public */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** @public */
export type RolloutState =
  | 'complete'
  | 'progressing'
  | 'stalled'
  | 'paused'
  | 'scaled-down';

/** @public */
export interface ReplicaSetSummary {
  name: string;
  revision?: string;
  images: string[];
  desired: number;
  ready: number;
}

/** @public */
export interface RolloutStatus {
  state: RolloutState;
  message?: string;
  /** Desired generation applied by the controller? */
  observed: boolean;
  progressDeadlineExceeded: boolean;
  newReplicaSet?: ReplicaSetSummary;
  oldReplicaSets: ReplicaSetSummary[];
}

/** A Deployment, StatefulSet or DaemonSet of the entity. @public */
export interface WorkloadStatus extends ObjectRef {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  images: string[];
  /** Image tags or digests, in container order. */
  versions: string[];
  desired: number;
  updated: number;
  ready: number;
  available: number;
  generation: number;
  observedGeneration: number;
  rollout: RolloutStatus;
  createdAt?: string;
}

/** @public */
export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** For example CrashLoopBackOff, ImagePullBackOff, ContainerCreating. */
  waitingReason?: string;
  /** For example OOMKilled, Error, Completed. */
  lastTerminationReason?: string;
  lastTerminationExitCode?: number;
  lastTerminatedAt?: string;
}

/** @public */
export interface PodStatus extends ObjectRef {
  kind: 'Pod';
  /** `metadata.uid`: a pod's identity across restarts of the same name. */
  uid?: string;
  phase: string;
  ready: boolean;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  node?: string;
  createdAt?: string;
  /** The workload that owns it, through its ReplicaSet. */
  owner?: ObjectRef;
  containers: ContainerStatus[];
}

/** @public */
export interface WarningEvent {
  reason: string;
  message: string;
  count: number;
  involvedObject: ObjectRef;
  firstSeen?: string;
  lastSeen?: string;
}

/** Services, Ingresses, HPAs, Jobs, CronJobs: a one-line summary each. @public */
export interface ResourceSummary extends ObjectRef {
  summary: string;
}

/** Argo CD Application or Flux Kustomization/HelmRelease deploying the entity. @public */
export interface GitOpsStatus extends ObjectRef {
  tool: 'argocd' | 'flux';
  sync: string;
  health: string;
  targetRevision?: string;
  liveRevision?: string;
  lastSyncAt?: string;
  message?: string;
}

/** @public */
export type ProblemSeverity = 'error' | 'warning';

/** A detected problem with a plain-language hint. @public */
export interface Problem {
  id: string;
  severity: ProblemSeverity;
  object: ObjectRef;
  message: string;
  hint: string;
}

/** The entity in one cluster. @public */
export interface ClusterEntityStatus {
  cluster: ClusterRef;
  health: HealthState;
  freshness: Freshness;
  errors: ClusterError[];
  workloads: WorkloadStatus[];
  pods: PodStatus[];
  events: WarningEvent[];
  resources: ResourceSummary[];
  gitops: GitOpsStatus[];
  problems: Problem[];
}

/** Response of `GET /entities/{kind}/{namespace}/{name}/status`. @public */
export interface EntityStatusResponse {
  entityRef: string;
  /** Absent when the entity has no Kubernetes annotation; `reason` says so. */
  selector?: {
    labelSelector: string;
    namespaces?: string[];
    clusters?: string[];
  };
  reason?: string;
  health: HealthState;
  clusters: ClusterEntityStatus[];
  /** Images that differ between clusters for the same workload name. */
  drift: Array<{
    workload: string;
    versionsByCluster: Record<string, string[]>;
  }>;
  generatedAt: string;
}

/** Response of `GET /entities/{kind}/{namespace}/{name}/diagnostics`. @public */
export interface EntityDiagnosticsResponse {
  entityRef: string;
  selector?: {
    labelSelector: string;
    namespaces?: string[];
    clusters?: string[];
  };
  /** Plain-language reason when the entity has no Kubernetes annotation. */
  reason?: string;
  clusters: Array<{
    cluster: ClusterRef;
    asked: boolean;
    skippedReason?: string;
    countsByType: Record<string, number>;
    /** Objects with the entity's label in any namespace, to spot a wrong namespace annotation. */
    matchesOutsideNamespaces: number;
    errors: ClusterError[];
  }>;
}

/** One cluster in the overview. @public */
export interface ClusterOverview {
  cluster: ClusterRef;
  reachable: boolean;
  version?: string;
  nodeCount?: number;
  podsByPhase: Record<string, number>;
  freshness: Freshness;
  errors: ClusterError[];
}

/** Response of `GET /clusters`. @public */
export interface ClustersResponse {
  clusters: ClusterOverview[];
}

/** Which container's logs to read. @public */
export interface PodLogsRequest {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  /** The previous (crashed) instance of the container. */
  previous?: boolean;
  tailLines?: number;
}

/** Response of `GET /entities/{kind}/{namespace}/{name}/logs`. @public */
export interface PodLogsResponse {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
}

/** Signal channel on which the backend announces changes of an entity's objects. @public */
export const kubernetesStatusSignalChannel = (entityRef: string) =>
  `kubernetes-status:${entityRef.toLocaleLowerCase('en-US')}`;

/** Message published on {@link kubernetesStatusSignalChannel}. @public */
export interface KubernetesStatusSignal {
  entityRef: string;
  clusters: string[];
  changedAt: string;
}
