/**
 * Paved's Kubernetes status frontend (legacy exports; the new frontend
 * system entry is at `/alpha`).
 *
 * @packageDocumentation
 */
export {
  kubernetesStatusPlugin,
  KubernetesClustersPage,
  EntityKubernetesStatusContent,
  EntityKubernetesHealthCard,
} from './plugin';
export {
  kubernetesStatusApiRef,
  KubernetesStatusClient,
} from './api/KubernetesStatusApi';
export type { KubernetesStatusApi } from './api/KubernetesStatusApi';
export { useEntityKubernetesStatus } from './hooks/useEntityKubernetesStatus';
export { isKubernetesStatusAvailable } from './isKubernetesAvailable';
export { clustersRouteRef } from './routes';
