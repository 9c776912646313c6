import {
  ClusterError,
  ClusterRef,
  Freshness,
  PodLogsRequest,
} from '@paved/plugin-kubernetes-status-common';

/** How the backend authenticates to a cluster. Never sent to the browser. @public */
export type KubernetesClusterAuth =
  | { type: 'serviceAccount'; token: string }
  | { type: 'kubeconfig'; path?: string; context?: string }
  | { type: 'inCluster' };

/** A cluster the status backend watches. @public */
export interface KubernetesClusterDetails {
  name: string;
  title?: string;
  /** API server URL; ignored for `kubeconfig` and `inCluster` auth. */
  url?: string;
  caData?: string;
  skipTLSVerify?: boolean;
  auth: KubernetesClusterAuth;
  /** Limit the watches to these namespaces (bounds memory); all when absent. */
  namespaces?: string[];
  /** Limit the watches to objects matching this label selector. */
  labelSelector?: string;
  /** True for Paved's simulated clusters; the UI labels their data. */
  simulated?: boolean;
}

/** Supplies clusters (from config, the catalog, or elsewhere). @public */
export interface KubernetesClusterSupplier {
  getClusters(): Promise<KubernetesClusterDetails[]>;
}

/** A Kubernetes object as stored in the caches. @public */
export interface CachedKubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
    }>;
    creationTimestamp?: string | Date;
    generation?: number;
    resourceVersion?: string;
  };
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** Object types kept in the caches. @public */
export type WatchedResourceKey =
  | 'pods'
  | 'services'
  | 'events'
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'ingresses'
  | 'horizontalpodautoscalers'
  | 'jobs'
  | 'cronjobs'
  | 'nodes'
  | 'applications'
  | 'kustomizations'
  | 'helmreleases';

/** State of one cluster's caches. @public */
export interface ClusterCacheState {
  cluster: ClusterRef;
  freshness: Freshness;
  errors: ClusterError[];
  /** Types that are in sync. */
  syncedTypes: WatchedResourceKey[];
  /** Optional types (CRDs) the cluster does not serve. */
  absentTypes: WatchedResourceKey[];
  version?: string;
}

/** A change seen by a watch. @public */
export interface CachedObjectChange {
  cluster: string;
  resource: WatchedResourceKey;
  type: 'added' | 'updated' | 'deleted';
  object: CachedKubernetesObject;
}

/**
 * Read access to the watch-backed caches of every cluster, shared by all
 * backend plugins in the process (the policy backend reads workload
 * manifests from here). Reads are served from memory.
 * @public
 */
export interface KubernetesObjectCacheService {
  /** Adds clusters from another source (the catalog, for example). */
  addClusterSupplier(supplier: KubernetesClusterSupplier): Promise<void>;
  clusters(): ClusterRef[];
  state(cluster: string): ClusterCacheState | undefined;
  /** Objects of one type matching namespace and label selector. */
  list(options: {
    cluster: string;
    resource: WatchedResourceKey;
    namespaces?: string[];
    labelSelector?: string;
  }): CachedKubernetesObject[];
  /** Called on every change; returns an unsubscribe function. */
  onChange(listener: (change: CachedObjectChange) => void): () => void;
  /** Reads container logs (not cached: always a live call, with a timeout). */
  readPodLogs(options: PodLogsRequest): Promise<string>;
  /**
   * Reads every Gatekeeper constraint of a cluster (all kinds served under
   * `constraints.gatekeeper.sh/v1beta1`) with its audit status. Not cached:
   * a live call per kind, with a timeout.
   */
  listGatekeeperConstraints(cluster: string): Promise<GatekeeperConstraintList>;
}

/** The Gatekeeper constraints of one cluster. @public */
export interface GatekeeperConstraintList {
  /** False when the cluster does not serve `constraints.gatekeeper.sh/v1beta1` (Gatekeeper not installed). */
  installed: boolean;
  /** Constraints with `kind`, `metadata`, `spec` and `status` (`auditTimestamp`, `totalViolations`, `violations`). */
  constraints: CachedKubernetesObject[];
}
