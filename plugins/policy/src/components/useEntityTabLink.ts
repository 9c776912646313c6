import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { CompoundEntityRef } from '@backstage/catalog-model';

/** Link to the entity's Policies tab. */
export function usePoliciesTabLink(entity: CompoundEntityRef): string {
  const entityLink = useEntityRefLink();
  return `${entityLink(entity).replace(/\/$/, '')}/policies`;
}
