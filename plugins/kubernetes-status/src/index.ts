/**
 * Paved's Kubernetes status frontend, for Backstage's new frontend system
 * only. The default export is the plugin (also at `/alpha`).
 *
 * @packageDocumentation
 */
export { kubernetesStatusPlugin as default } from './plugin';
export {
  kubernetesStatusApiRef,
  KubernetesStatusClient,
} from './api/KubernetesStatusApi';
export type { KubernetesStatusApi } from './api/KubernetesStatusApi';
export { useEntityKubernetesStatus } from './hooks/useEntityKubernetesStatus';
export type { EntityKubernetesStatusState } from './hooks/useEntityKubernetesStatus';
export { isKubernetesStatusAvailable } from './isKubernetesAvailable';
export { HealthChip } from './components/HealthChip';
export { clustersRouteRef } from './routes';
