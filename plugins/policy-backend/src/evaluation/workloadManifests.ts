import { Entity } from '@backstage/catalog-model';
import { entityKubernetesSelector } from '@paved/plugin-kubernetes-status-common';
import {
  CachedKubernetesObject,
  KubernetesObjectCacheService,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';

/** The manifests of one entity in one cluster, as the workload rules receive them. */
export interface ClusterManifests {
  cluster: string;
  simulated: boolean;
  manifests: CachedKubernetesObject[];
}

// What people write: the workload rules skip controller-owned objects anyway,
// and leaving them out keeps pod churn from changing the input hash.
const WORKLOAD_RESOURCES: Array<{
  key: WatchedResourceKey;
  apiVersion: string;
  kind: string;
}> = [
  { key: 'deployments', apiVersion: 'apps/v1', kind: 'Deployment' },
  { key: 'statefulsets', apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { key: 'daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { key: 'cronjobs', apiVersion: 'batch/v1', kind: 'CronJob' },
  { key: 'jobs', apiVersion: 'batch/v1', kind: 'Job' },
  { key: 'pods', apiVersion: 'v1', kind: 'Pod' },
  {
    key: 'horizontalpodautoscalers',
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
  },
];

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The declared part of an object: no status, no server-managed metadata. */
function declared(
  object: CachedKubernetesObject,
  apiVersion: string,
  kind: string,
): CachedKubernetesObject {
  const { [LAST_APPLIED]: _lastApplied, ...annotations } =
    object.metadata?.annotations ?? {};
  return {
    apiVersion: object.apiVersion ?? apiVersion,
    kind: object.kind ?? kind,
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
  const selector = entityKubernetesSelector(entity);
  if (!selector) return undefined;
  const result: ClusterManifests[] = [];
  for (const cluster of cache.clusters()) {
    if (selector.clusters && !selector.clusters.includes(cluster.name))
      continue;
    const manifests: CachedKubernetesObject[] = [];
    for (const resource of WORKLOAD_RESOURCES) {
      const objects = cache.list({
        cluster: cluster.name,
        resource: resource.key,
        namespaces: selector.namespaces,
        labelSelector: selector.labelSelector,
      });
      for (const object of objects) {
        if (object.metadata?.ownerReferences?.some(ref => ref.controller))
          continue;
        manifests.push(declared(object, resource.apiVersion, resource.kind));
      }
    }
    if (manifests.length)
      result.push({
        cluster: cluster.name,
        simulated: cluster.simulated,
        manifests,
      });
  }
  return result.sort((a, b) => a.cluster.localeCompare(b.cluster));
}
