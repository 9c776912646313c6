import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterEntityStatus,
  ClustersResponse,
  EntityDiagnosticsResponse,
  EntityKubernetesSelector,
  EntityStatusResponse,
  PodLogsRequest,
  PodLogsResponse,
  ResourceSummary,
  WorkloadStatus,
  clusterHealth,
  detectProblems,
  entityKubernetesSelector,
  worstHealth,
} from '@paved/plugin-kubernetes-status-common';
import {
  CachedKubernetesObject,
  KubernetesObjectCacheService,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';
import {
  replicaSetOwners,
  summarizeEvent,
  summarizeGitOps,
  summarizePod,
  summarizeResource,
  summarizeWorkload,
} from './summarize';

const NO_ANNOTATION_REASON =
  'This entity has no Kubernetes annotation. Add backstage.io/kubernetes-id (objects labelled backstage.io/kubernetes-id=<id>) or backstage.io/kubernetes-label-selector to its catalog-info.yaml.';

const WORKLOAD_TYPES: Array<[WatchedResourceKey, WorkloadStatus['kind']]> = [
  ['deployments', 'Deployment'],
  ['statefulsets', 'StatefulSet'],
  ['daemonsets', 'DaemonSet'],
];
const RESOURCE_TYPES: Array<[WatchedResourceKey, string]> = [
  ['services', 'Service'],
  ['ingresses', 'Ingress'],
  ['horizontalpodautoscalers', 'HorizontalPodAutoscaler'],
  ['jobs', 'Job'],
  ['cronjobs', 'CronJob'],
];
const GITOPS_TYPES: Array<
  [WatchedResourceKey, 'Application' | 'Kustomization' | 'HelmRelease']
> = [
  ['applications', 'Application'],
  ['kustomizations', 'Kustomization'],
  ['helmreleases', 'HelmRelease'],
];
const COUNTED_TYPES: WatchedResourceKey[] = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'pods',
  'services',
  'ingresses',
  'horizontalpodautoscalers',
  'jobs',
  'cronjobs',
  'applications',
  'kustomizations',
  'helmreleases',
];
const MAX_EVENTS = 50;
// Summaries kept per cluster and selector (the entities viewed recently).
const MAX_MEMOIZED_SUMMARIES = 2000;

type ClusterSummaries = Pick<
  ClusterEntityStatus,
  'workloads' | 'pods' | 'events' | 'resources' | 'gitops' | 'problems'
>;

// Pods that are not ready first, then by name.
const byProblemThenName = (
  a: { ready: boolean; name: string },
  b: { ready: boolean; name: string },
) => Number(a.ready) - Number(b.ready) || a.name.localeCompare(b.name);

/** Builds the status, diagnostics and cluster answers from the caches (memory only). */
export class EntityStatusService {
  // The caches answer the same array while a type has not changed, so the
  // summaries of a cluster are rebuilt only when one of the lists they were
  // made from is a new one; a page view otherwise only assembles them.
  private readonly summaries = new Map<
    string,
    { inputs: unknown[]; value: ClusterSummaries }
  >();

  constructor(
    private readonly options: { cache: KubernetesObjectCacheService },
  ) {}

  status(entity: Entity): EntityStatusResponse {
    const entityRef = stringifyEntityRef(entity);
    const selector = entityKubernetesSelector(entity);
    const generatedAt = new Date().toISOString();
    if (!selector) {
      return {
        entityRef,
        reason: NO_ANNOTATION_REASON,
        health: 'unknown',
        clusters: [],
        drift: [],
        generatedAt,
      };
    }
    const clusters = this.askedClusters(selector).map(name =>
      this.clusterStatus(name, selector),
    );
    const relevant = clusters.filter(
      c => c.workloads.length || c.pods.length || c.errors.length,
    );
    return {
      entityRef,
      selector,
      health: worstHealth(relevant.map(c => c.health)),
      clusters,
      drift: versionDrift(clusters),
      generatedAt,
    };
  }

  diagnostics(entity: Entity): EntityDiagnosticsResponse {
    const entityRef = stringifyEntityRef(entity);
    const selector = entityKubernetesSelector(entity);
    const { cache } = this.options;
    const asked = selector
      ? new Set(this.askedClusters(selector))
      : new Set<string>();
    return {
      entityRef,
      selector,
      reason: selector ? undefined : NO_ANNOTATION_REASON,
      clusters: cache.clusters().map(cluster => {
        const state = cache.state(cluster.name);
        if (!selector || !asked.has(cluster.name)) {
          return {
            cluster,
            asked: false,
            skippedReason: selector
              ? `Not in the entity's backstage.io/kubernetes-cluster annotation (${selector.clusters?.join(
                  ', ',
                )})`
              : NO_ANNOTATION_REASON,
            countsByType: {},
            matchesOutsideNamespaces: 0,
            errors: state?.errors ?? [],
          };
        }
        const countsByType: Record<string, number> = {};
        for (const type of COUNTED_TYPES) {
          countsByType[type] = cache.list({
            cluster: cluster.name,
            resource: type,
            namespaces: selector.namespaces,
            labelSelector: selector.labelSelector,
          }).length;
        }
        const anywhere = ['pods', 'deployments'].reduce(
          (sum, type) =>
            sum +
            cache.list({
              cluster: cluster.name,
              resource: type as WatchedResourceKey,
              labelSelector: selector.labelSelector,
            }).length,
          0,
        );
        return {
          cluster,
          asked: true,
          countsByType,
          matchesOutsideNamespaces:
            anywhere - (countsByType.pods + countsByType.deployments),
          errors: state?.errors ?? [],
        };
      }),
    };
  }

  clusters(): ClustersResponse {
    const { cache } = this.options;
    return {
      clusters: cache.clusters().map(cluster => {
        const state = cache.state(cluster.name)!;
        const pods = cache.list({ cluster: cluster.name, resource: 'pods' });
        const podsByPhase: Record<string, number> = {};
        for (const pod of pods) {
          const phase = pod.status?.phase ?? 'Unknown';
          podsByPhase[phase] = (podsByPhase[phase] ?? 0) + 1;
        }
        const nodesSynced = state.syncedTypes.includes('nodes');
        return {
          cluster,
          reachable:
            state.syncedTypes.length > 0 &&
            !state.errors.some(e => !e.resource),
          version: state.version,
          nodeCount: nodesSynced
            ? cache.list({ cluster: cluster.name, resource: 'nodes' }).length
            : undefined,
          podsByPhase,
          freshness: state.freshness,
          errors: state.errors,
        };
      }),
    };
  }

  async logs(
    entity: Entity,
    request: PodLogsRequest,
  ): Promise<PodLogsResponse> {
    const selector = entityKubernetesSelector(entity);
    const belongs =
      selector &&
      this.askedClusters(selector).includes(request.cluster) &&
      this.options.cache
        .list({
          cluster: request.cluster,
          resource: 'pods',
          namespaces: selector.namespaces,
          labelSelector: selector.labelSelector,
        })
        .some(
          p =>
            p.metadata?.name === request.pod &&
            p.metadata?.namespace === request.namespace,
        );
    if (!belongs) {
      throw new NotFoundError(
        `Pod ${request.namespace}/${request.pod} in cluster ${
          request.cluster
        } does not belong to ${stringifyEntityRef(entity)}`,
      );
    }
    const text = await this.options.cache.readPodLogs({
      ...request,
      tailLines: request.tailLines ?? 200,
    });
    return {
      cluster: request.cluster,
      namespace: request.namespace,
      pod: request.pod,
      container: request.container,
      previous: !!request.previous,
      lines: text
        .split('\n')
        .filter((line, i, all) => line !== '' || i < all.length - 1),
    };
  }

  private askedClusters(selector: EntityKubernetesSelector): string[] {
    const all = this.options.cache.clusters().map(c => c.name);
    return selector.clusters
      ? all.filter(name => selector.clusters!.includes(name))
      : all;
  }

  private clusterStatus(
    clusterName: string,
    selector: EntityKubernetesSelector,
  ): ClusterEntityStatus {
    const { cache } = this.options;
    const state = cache.state(clusterName)!;
    const scoped = (resource: WatchedResourceKey, namespaced = true) =>
      cache.list({
        cluster: clusterName,
        resource,
        namespaces: namespaced ? selector.namespaces : undefined,
        labelSelector: selector.labelSelector,
      });
    const replicaSets = scoped('replicasets');
    const workloadLists = WORKLOAD_TYPES.map(([type]) => scoped(type));
    const podObjects = scoped('pods');
    const resourceLists = RESOURCE_TYPES.map(([type]) => scoped(type));
    // GitOps objects live in their tool's namespace, so only the label scopes them.
    const gitopsLists = GITOPS_TYPES.map(([type]) => scoped(type, false));
    const eventObjects = cache.list({
      cluster: clusterName,
      resource: 'events',
      namespaces: selector.namespaces,
    });
    const inputs = [
      replicaSets,
      podObjects,
      eventObjects,
      ...workloadLists,
      ...resourceLists,
      ...gitopsLists,
    ];
    const key = JSON.stringify([
      clusterName,
      selector.labelSelector,
      selector.namespaces ?? null,
    ]);
    let memo = this.summaries.get(key);
    if (
      !memo ||
      memo.inputs.length !== inputs.length ||
      memo.inputs.some((list, i) => list !== inputs[i])
    ) {
      const value = summarizeCluster({
        replicaSets,
        workloadLists,
        podObjects,
        resourceLists,
        gitopsLists,
        eventObjects,
      });
      memo = { inputs, value };
      if (this.summaries.size >= MAX_MEMOIZED_SUMMARIES) {
        this.summaries.delete(this.summaries.keys().next().value!);
      }
    } else {
      this.summaries.delete(key); // kept in the order of use
    }
    this.summaries.set(key, memo);
    const { workloads, pods, events, resources, gitops, problems } = memo.value;
    const errors = state.errors;
    return {
      cluster: state.cluster,
      health: clusterHealth({ workloads, pods, problems, errors }),
      freshness: state.freshness,
      errors,
      workloads,
      pods,
      events,
      resources,
      gitops,
      problems,
    };
  }
}

/** The summaries of one cluster's objects of an entity (pure). */
function summarizeCluster(lists: {
  replicaSets: CachedKubernetesObject[];
  workloadLists: CachedKubernetesObject[][];
  podObjects: CachedKubernetesObject[];
  resourceLists: CachedKubernetesObject[][];
  gitopsLists: CachedKubernetesObject[][];
  eventObjects: CachedKubernetesObject[];
}): ClusterSummaries {
  const { replicaSets, podObjects } = lists;
  const rsOwners = replicaSetOwners(replicaSets);
  const workloads = WORKLOAD_TYPES.flatMap(([, kind], i) =>
    lists.workloadLists[i].map(w => summarizeWorkload(w, kind, replicaSets)),
  );
  const pods = podObjects.map(p => summarizePod(p, rsOwners));
  const resources: ResourceSummary[] = RESOURCE_TYPES.flatMap(([, kind], i) =>
    lists.resourceLists[i].map(o => summarizeResource(kind, o)),
  );
  const gitops = GITOPS_TYPES.flatMap(([, kind], i) =>
    lists.gitopsLists[i].map(o => summarizeGitOps(kind, o)),
  );
  const owned = new Set([
    ...podObjects.map(o => `Pod/${o.metadata?.namespace}/${o.metadata?.name}`),
    ...replicaSets.map(
      o => `ReplicaSet/${o.metadata?.namespace}/${o.metadata?.name}`,
    ),
    ...workloads.map(w => `${w.kind}/${w.namespace}/${w.name}`),
    ...resources.map(r => `${r.kind}/${r.namespace}/${r.name}`),
  ]);
  const events = lists.eventObjects
    .map(summarizeEvent)
    .filter(e =>
      owned.has(
        `${e.involvedObject.kind}/${e.involvedObject.namespace}/${e.involvedObject.name}`,
      ),
    )
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
    .slice(0, MAX_EVENTS);
  const problems = detectProblems({ workloads, pods, events, gitops });
  return {
    workloads,
    pods: pods.sort(byProblemThenName),
    events,
    resources,
    gitops,
    problems,
  };
}

function versionDrift(
  clusters: ClusterEntityStatus[],
): EntityStatusResponse['drift'] {
  const byWorkload = new Map<string, Record<string, string[]>>();
  for (const c of clusters) {
    for (const w of c.workloads) {
      const key = `${w.kind}/${w.name}`;
      const entry = byWorkload.get(key) ?? {};
      entry[c.cluster.name] = w.versions;
      byWorkload.set(key, entry);
    }
  }
  return [...byWorkload.entries()]
    .filter(
      ([, versions]) =>
        new Set(Object.values(versions).map(v => v.join(','))).size > 1,
    )
    .map(([workload, versionsByCluster]) => ({ workload, versionsByCluster }));
}
