import { Entity } from '@backstage/catalog-model';
import {
  ClusterError,
  ClusterRef,
  EntityKubernetesSelector,
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

/**
 * An object read from the caches: `apiVersion` and `kind` are always set.
 * The caches stamp them from {@link WATCHED_RESOURCES} as an object enters
 * (list items from the API server carry neither), so readers take an
 * object's kind from the object, not from the list it came from.
 * @public
 */
export type StampedKubernetesObject = CachedKubernetesObject & {
  apiVersion: string;
  kind: string;
};

/** Object types kept in the caches; {@link WATCHED_RESOURCES} describes each. @public */
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
  object: StampedKubernetesObject;
}

/**
 * Whether cached objects can be trusted, as the caches model it:
 *
 * - `ok`: in sync;
 * - `stale`: not in sync (still starting, or its watch fails and retries):
 *   the objects are the last seen, none before the first sync;
 * - `forbidden`: the cluster's RBAC refuses to list the type: the objects
 *   are from before it did, none if it always did;
 * - `absent`: an optional type (CRD) the cluster does not serve: there are none;
 * - `unreachable`: the whole cluster cannot be read (unreachable, credentials
 *   rejected or timing out): the objects are the last seen.
 * @public
 */
export type CacheReadState =
  | 'ok'
  | 'stale'
  | 'forbidden'
  | 'absent'
  | 'unreachable';

/** What {@link KubernetesObjectCacheService.listForEntity} reads. @public */
export interface EntityObjectsOptions<
  K extends WatchedResourceKey = WatchedResourceKey,
> {
  /**
   * The types to read. How each type's objects belong to the entity is its
   * {@link WatchedResource.entityScope}: `events` are the warning events
   * about the entity's namespaced objects; `nodes` are never an entity's.
   */
  resources: readonly K[];
  /** Only these clusters (within those the entity's annotation asks for). */
  clusters?: readonly string[];
  /** Ignore the entity's namespace annotation (diagnostics: matches in other namespaces). */
  allNamespaces?: boolean;
}

/** An entity's objects in one cluster. @public */
export interface EntityClusterObjects<
  K extends WatchedResourceKey = WatchedResourceKey,
> {
  cluster: ClusterRef;
  /**
   * The worst state of the asked types (`unreachable`, `forbidden`, `stale`,
   * `ok`, in that order); `absent` only when every asked type is absent.
   */
  state: CacheReadState;
  /** The state of each asked type. */
  resourceStates: Record<K, CacheReadState>;
  /** The cluster's whole cache state (errors and freshness as the status API reports them). */
  cacheState: ClusterCacheState;
  /**
   * The entity's objects of each asked type, stamped. The same arrays are
   * answered while the types they are made from have not changed, so
   * callers may memoize on their identity.
   */
  objects: Record<K, StampedKubernetesObject[]>;
}

/** Answer of {@link KubernetesObjectCacheService.listForEntity}. @public */
export interface EntityObjects<
  K extends WatchedResourceKey = WatchedResourceKey,
> {
  /** From the entity's Kubernetes annotations; undefined when it has none (then no clusters). */
  selector?: EntityKubernetesSelector;
  /** The clusters the entity asks for (all without `backstage.io/kubernetes-cluster`) that the caches know, in the caches' order. */
  clusters: EntityClusterObjects<K>[];
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
  }): StampedKubernetesObject[];
  /**
   * The objects of the asked types that belong to an entity, per cluster it
   * asks for, with each cluster's state. The entity's annotations
   * (`backstage.io/kubernetes-id` or `-label-selector`, `-namespace`,
   * `-cluster`) select them, as {@link WatchedResource.entityScope} says
   * per type. Served from memory.
   */
  listForEntity<K extends WatchedResourceKey>(
    entity: Entity,
    options: EntityObjectsOptions<K>,
  ): EntityObjects<K>;
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
  constraints: StampedKubernetesObject[];
}
