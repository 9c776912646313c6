import { Entity } from '@backstage/catalog-model';

/** Upstream annotation names, reused so existing catalogs work unchanged. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
/** Comma-separated list of namespaces. @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** Comma-separated list of cluster names. @public */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
/** Label that `backstage.io/kubernetes-id` selects on, as upstream does. @public */
export const LABEL_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** Which objects belong to an entity. @public */
export interface EntityKubernetesSelector {
  labelSelector: string;
  /** Undefined means every namespace. */
  namespaces?: string[];
  /** Undefined means every cluster. */
  clusters?: string[];
}

const splitList = (value?: string) => {
  const items = (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
};

/**
 * The entity's Kubernetes selector from its annotations, or undefined when
 * it has neither `kubernetes-id` nor `kubernetes-label-selector`.
 * @public
 */
export function entityKubernetesSelector(
  entity: Entity,
): EntityKubernetesSelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const explicit = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim();
  const id = annotations[ANNOTATION_KUBERNETES_ID]?.trim();
  const labelSelector =
    explicit || (id ? `${LABEL_KUBERNETES_ID}=${id}` : undefined);
  if (!labelSelector) return undefined;
  return {
    labelSelector,
    namespaces: splitList(annotations[ANNOTATION_KUBERNETES_NAMESPACE]),
    clusters: splitList(annotations[ANNOTATION_KUBERNETES_CLUSTER]),
  };
}
