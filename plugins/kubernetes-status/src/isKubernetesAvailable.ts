import { Entity } from '@backstage/catalog-model';
import { entityKubernetesSelector } from '@paved/plugin-kubernetes-status-common';

/** True when the entity has a Kubernetes annotation. @public */
export const isKubernetesStatusAvailable = (entity: Entity) =>
  !!entityKubernetesSelector(entity);
