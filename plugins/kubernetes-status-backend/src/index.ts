/**
 * Paved's Kubernetes status backend: watch-backed caches per cluster and
 * object type, entity status, diagnostics, cluster overview, live updates.
 *
 * @packageDocumentation
 */
export { kubernetesStatusPlugin as default } from './plugin';
export { kubernetesObjectCacheServiceFactory } from './cache/serviceFactory';
export { KubernetesObjectCache } from './cache/KubernetesObjectCache';
