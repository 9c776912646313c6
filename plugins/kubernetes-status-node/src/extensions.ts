import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { KubernetesClusterSupplier } from './types';

/** Lets backend modules add cluster suppliers. @public */
export interface KubernetesStatusClusterSupplierExtensionPoint {
  addClusterSupplier(supplier: KubernetesClusterSupplier): void;
}

/** @public */
export const kubernetesStatusClusterSupplierExtensionPoint =
  createExtensionPoint<KubernetesStatusClusterSupplierExtensionPoint>({
    id: 'kubernetes-status.cluster-supplier',
  });
