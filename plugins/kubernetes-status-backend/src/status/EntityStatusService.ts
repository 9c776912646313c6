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
  worstHealth,
} from '@paved/plugin-kubernetes-status-common';
import {
  EntityClusterObjects,
  KubernetesObjectCacheService,
  StampedKubernetesObject,
  WATCHED_RESOURCES,
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

const WORKLOAD_TYPES = ['deployments', 'statefulsets', 'daemonsets'] as const;
const RESOURCE_TYPES = [
  'services',
  'ingresses',
  'horizontalpodautoscalers',
  'jobs',
  'cronjobs',
] as const;
const GITOPS_TYPES = [
  'applications',
  'kustomizations',
  'helmreleases',
] as const;
/** Everything the status view reads of an entity, in a fixed order (memo inputs). */
const STATUS_TYPES = [
  'replicasets',
  'pods',
  'events',
  ...WORKLOAD_TYPES,
  ...RESOURCE_TYPES,
  ...GITOPS_TYPES,
] as const;
type StatusType = (typeof STATUS_TYPES)[number];
/** Diagnostics count every type an entity selects by label. */
const COUNTED_TYPES = Object.values(WATCHED_RESOURCES)
  .filter(
    r => r.entityScope === 'labels-in-namespaces' || r.entityScope === 'labels',
  )
  .map(r => r.key);
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
    const { selector, clusters: found } = this.options.cache.listForEntity(
      entity,
      { resources: STATUS_TYPES },
    );
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
    const clusters = found.map(c => this.clusterStatus(c, selector));
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
    const { cache } = this.options;
    const { selector, clusters: found } = cache.listForEntity(entity, {
      resources: COUNTED_TYPES,
    });
    const asked = new Map(found.map(c => [c.cluster.name, c]));
    // What the label selector matches without the namespace annotation.
    const anywhere = new Map(
      cache
        .listForEntity(entity, {
          resources: ['pods', 'deployments'],
          allNamespaces: true,
        })
        .clusters.map(c => [
          c.cluster.name,
          c.objects.pods.length + c.objects.deployments.length,
        ]),
    );
    return {
      entityRef,
      selector,
      reason: selector ? undefined : NO_ANNOTATION_REASON,
      clusters: cache.clusters().map(cluster => {
        const state = cache.state(cluster.name);
        const objects = asked.get(cluster.name)?.objects;
        if (!selector || !objects) {
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
          countsByType[type] = objects[type].length;
        }
        return {
          cluster,
          asked: true,
          countsByType,
          matchesOutsideNamespaces:
            (anywhere.get(cluster.name) ?? 0) -
            (countsByType.pods + countsByType.deployments),
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
    const belongs = this.options.cache
      .listForEntity(entity, {
        resources: ['pods'],
        clusters: [request.cluster],
      })
      .clusters.some(c =>
        c.objects.pods.some(
          p =>
            p.metadata?.name === request.pod &&
            p.metadata?.namespace === request.namespace,
        ),
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

  private clusterStatus(
    found: EntityClusterObjects<StatusType>,
    selector: EntityKubernetesSelector,
  ): ClusterEntityStatus {
    const state = found.cacheState;
    const inputs = STATUS_TYPES.map(type => found.objects[type]);
    const key = JSON.stringify([
      found.cluster.name,
      selector.labelSelector,
      selector.namespaces ?? null,
    ]);
    let memo = this.summaries.get(key);
    if (
      !memo ||
      memo.inputs.length !== inputs.length ||
      memo.inputs.some((list, i) => list !== inputs[i])
    ) {
      const value = summarizeCluster(found.objects);
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

/**
 * The summaries of one cluster's objects of an entity (pure). Each object's
 * kind is its own (the caches stamp it); the events are already those
 * about the entity's objects.
 */
function summarizeCluster(
  objects: Record<StatusType, StampedKubernetesObject[]>,
): ClusterSummaries {
  const { replicasets: replicaSets, pods: podObjects } = objects;
  const rsOwners = replicaSetOwners(replicaSets);
  const workloads = WORKLOAD_TYPES.flatMap(type =>
    objects[type].map(w =>
      summarizeWorkload(w, w.kind as WorkloadStatus['kind'], replicaSets),
    ),
  );
  const pods = podObjects.map(p => summarizePod(p, rsOwners));
  const resources: ResourceSummary[] = RESOURCE_TYPES.flatMap(type =>
    objects[type].map(o => summarizeResource(o.kind, o)),
  );
  const gitops = GITOPS_TYPES.flatMap(type =>
    objects[type].map(o =>
      summarizeGitOps(o.kind as Parameters<typeof summarizeGitOps>[0], o),
    ),
  );
  const events = objects.events
    .map(summarizeEvent)
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
