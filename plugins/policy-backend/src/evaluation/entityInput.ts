import { createHash } from 'node:crypto';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import stableStringify from 'fast-json-stable-stringify';
import { CatalogPolicyInput, relatedRefs } from '@paved/plugin-policy-node';
import { StoredEntityMeta } from '../store/PolicyStore';

export function entityMeta(entity: Entity): StoredEntityMeta {
  const { owner, system } = relatedRefs(entity);
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    title: entity.metadata.title,
    owner,
    system,
  };
}

/** Drops what changes without the content changing (the catalog's etag). */
function withoutVolatile(entity: Entity | null): unknown {
  if (!entity) return null;
  const { etag: _etag, ...metadata } = entity.metadata;
  return { ...entity, metadata };
}

/** sha256 of the input: a re-run skips the entity while it and the revision are unchanged. */
export function inputHash(input: CatalogPolicyInput): string {
  return createHash('sha256')
    .update(
      stableStringify({
        entity: withoutVolatile(input.entity),
        owner: withoutVolatile(input.owner),
        system: withoutVolatile(input.system),
      }),
    )
    .digest('hex');
}
