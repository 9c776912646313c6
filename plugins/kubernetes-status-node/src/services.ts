import { createServiceRef } from '@backstage/backend-plugin-api';
import { KubernetesObjectCacheService } from './types';

/**
 * The shared cluster caches. Root-scoped, so every plugin in the backend
 * process reads the same caches; the implementation is
 * `kubernetesObjectCacheServiceFactory` from the status backend.
 * @public
 */
export const kubernetesObjectCacheServiceRef =
  createServiceRef<KubernetesObjectCacheService>({
    id: 'paved.kubernetes-status.object-cache',
    scope: 'root',
  });
