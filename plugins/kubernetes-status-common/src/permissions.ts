import { createPermission } from '@backstage/plugin-permission-common';

/** Read the Kubernetes status of an entity. @public */
export const kubernetesStatusReadPermission = createPermission({
  name: 'kubernetes-status.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Read container logs of an entity's pods (may contain secrets). @public */
export const kubernetesLogsReadPermission = createPermission({
  name: 'kubernetes-status.logs.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Read the cluster overview. @public */
export const kubernetesClustersReadPermission = createPermission({
  name: 'kubernetes-status.clusters.read',
  attributes: { action: 'read' },
});

/** @public */
export const kubernetesStatusPermissions = [
  kubernetesStatusReadPermission,
  kubernetesLogsReadPermission,
  kubernetesClustersReadPermission,
];
