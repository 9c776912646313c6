import { WatchedResourceKey } from '@paved/plugin-kubernetes-status-node';

/** An object type kept in the caches. */
export interface WatchedResource {
  key: WatchedResourceKey;
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Served only when a CRD is installed (Argo CD, Flux): absence is not an error. */
  optional?: boolean;
  /** Only warning events are kept, to bound memory. */
  fieldSelector?: string;
}

export const WATCHED_RESOURCES: WatchedResource[] = [
  {
    key: 'pods',
    apiVersion: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
  },
  {
    key: 'services',
    apiVersion: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
  },
  {
    key: 'events',
    apiVersion: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    fieldSelector: 'type=Warning',
  },
  {
    key: 'nodes',
    apiVersion: 'v1',
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
  },
  {
    key: 'deployments',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  },
  {
    key: 'replicasets',
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
  },
  {
    key: 'statefulsets',
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
  },
  {
    key: 'daemonsets',
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
  },
  {
    key: 'ingresses',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
  },
  {
    key: 'horizontalpodautoscalers',
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  {
    key: 'jobs',
    apiVersion: 'batch/v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
  },
  {
    key: 'cronjobs',
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    namespaced: true,
  },
  {
    key: 'applications',
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    plural: 'applications',
    namespaced: true,
    optional: true,
  },
  {
    key: 'kustomizations',
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    plural: 'kustomizations',
    namespaced: true,
    optional: true,
  },
  {
    key: 'helmreleases',
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    plural: 'helmreleases',
    namespaced: true,
    optional: true,
  },
];

/** REST path of a type, cluster-wide or in one namespace. */
export function resourcePath(
  resource: WatchedResource,
  namespace?: string,
): string {
  const base = resource.apiVersion.includes('/')
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  const ns =
    namespace && resource.namespaced
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${base}${ns}/${resource.plural}`;
}
