import { WatchedResourceKey } from './types';

/**
 * How objects of a type belong to a catalog entity (whose annotations give a
 * label selector, optionally namespaces and clusters):
 *
 * - `labels-in-namespaces`: they match the entity's label selector and are
 *   in one of its namespaces (any namespace when it names none);
 * - `labels`: they match the label selector in any namespace (GitOps
 *   objects live in their tool's namespace, not in the workload's);
 * - `involved-object`: events, which carry no workload labels: those in the
 *   entity's namespaces about one of its `labels-in-namespaces` objects;
 * - `none`: cluster-level objects (nodes), no entity's.
 *
 * Only `labels` and `labels-in-namespaces` types carry workload labels, so
 * only their watches apply a cluster's configured label selector.
 * @public
 */
export type EntityScope =
  | 'labels-in-namespaces'
  | 'labels'
  | 'involved-object'
  | 'none';

/** One Kubernetes object type Paved watches. @public */
export interface WatchedResource {
  /** Cache key; also the type's plural (resource name in REST paths). */
  key: WatchedResourceKey;
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** What the type's objects carry: `group/version`, or `version` for the core group. */
  apiVersion: string;
  kind: string;
  /** Resource name in REST paths and RBAC rules. */
  plural: string;
  namespaced: boolean;
  /** Served only when a CRD is installed (Argo CD, Flux): its absence is not an error. */
  optional: boolean;
  /** Field selector of its watch (only warning events are kept, to bound memory). */
  fieldSelector?: string;
  entityScope: EntityScope;
}

type Row = Pick<WatchedResource, 'group' | 'version' | 'kind'> &
  Partial<
    Pick<
      WatchedResource,
      'namespaced' | 'optional' | 'fieldSelector' | 'entityScope'
    >
  >;

// Namespaced, required and `labels-in-namespaces` unless a row says otherwise.
const ROWS: Record<WatchedResourceKey, Row> = {
  pods: { group: '', version: 'v1', kind: 'Pod' },
  services: { group: '', version: 'v1', kind: 'Service' },
  events: {
    group: '',
    version: 'v1',
    kind: 'Event',
    fieldSelector: 'type=Warning',
    entityScope: 'involved-object',
  },
  nodes: {
    group: '',
    version: 'v1',
    kind: 'Node',
    namespaced: false,
    entityScope: 'none',
  },
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment' },
  replicasets: { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  statefulsets: { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  daemonsets: { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  horizontalpodautoscalers: {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
  },
  jobs: { group: 'batch', version: 'v1', kind: 'Job' },
  cronjobs: { group: 'batch', version: 'v1', kind: 'CronJob' },
  applications: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Application',
    optional: true,
    entityScope: 'labels',
  },
  kustomizations: {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
    optional: true,
    entityScope: 'labels',
  },
  helmreleases: {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    kind: 'HelmRelease',
    optional: true,
    entityScope: 'labels',
  },
};

/**
 * Every object type the Kubernetes object caches keep, by key, in watch
 * order: group, version, kind, plural, scope, whether it is an optional CRD,
 * and how its objects belong to an entity. The one place these are written:
 * the watches, the object stamps, the entity queries and the policy backend
 * read them from here.
 * @public
 */
export const WATCHED_RESOURCES: Readonly<
  Record<WatchedResourceKey, Readonly<WatchedResource>>
> = Object.freeze(
  Object.fromEntries(
    Object.entries(ROWS).map(([key, row]) => [
      key,
      Object.freeze({
        key: key as WatchedResourceKey,
        group: row.group,
        version: row.version,
        apiVersion: row.group ? `${row.group}/${row.version}` : row.version,
        kind: row.kind,
        plural: key,
        namespaced: row.namespaced ?? true,
        optional: row.optional ?? false,
        ...(row.fieldSelector ? { fieldSelector: row.fieldSelector } : {}),
        entityScope: row.entityScope ?? 'labels-in-namespaces',
      }),
    ]),
  ) as Record<WatchedResourceKey, WatchedResource>,
);
