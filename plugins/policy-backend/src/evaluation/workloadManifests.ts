import { Entity } from '@backstage/catalog-model';
import {
  CachedKubernetesObject,
  KubernetesObjectCacheService,
  StampedKubernetesObject,
} from '@paved/plugin-kubernetes-status-node';

/** The manifests of one entity in one cluster, as the workload rules receive them. */
export interface ClusterManifests {
  cluster: string;
  simulated: boolean;
  manifests: CachedKubernetesObject[];
}

// What people write: the workload rules skip controller-owned objects anyway,
// and leaving them out keeps pod churn from changing the input hash.
const WORKLOAD_RESOURCES = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'cronjobs',
  'jobs',
  'pods',
  'horizontalpodautoscalers',
] as const;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The declared part of an object: no status, no server-managed metadata. */
function declared(object: StampedKubernetesObject): CachedKubernetesObject {
  const { [LAST_APPLIED]: _lastApplied, ...annotations } =
    object.metadata?.annotations ?? {};
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      labels: object.metadata?.labels,
      annotations,
      ownerReferences: object.metadata?.ownerReferences,
    },
    spec: object.spec,
  };
}

/**
 * The entity's live manifests per cluster, from the shared watch caches
 * (memory only). Undefined when the entity has no Kubernetes annotations.
 */
export function workloadManifests(
  cache: KubernetesObjectCacheService,
  entity: Entity,
): ClusterManifests[] | undefined {
  const { selector, clusters } = cache.listForEntity(entity, {
    resources: WORKLOAD_RESOURCES,
  });
  if (!selector) return undefined;
  const result: ClusterManifests[] = [];
  for (const { cluster, objects } of clusters) {
    const manifests = WORKLOAD_RESOURCES.flatMap(type => objects[type])
      .filter(o => !o.metadata?.ownerReferences?.some(ref => ref.controller))
      .map(declared);
    if (manifests.length)
      result.push({
        cluster: cluster.name,
        simulated: cluster.simulated,
        manifests,
      });
  }
  return result.sort((a, b) => a.cluster.localeCompare(b.cluster));
}
