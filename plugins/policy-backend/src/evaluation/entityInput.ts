import { createHash } from 'node:crypto';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { StoredEntityMeta } from '../store/PolicyStore';

/** What the catalog entry point receives: the entity with its resolved owner and system. */
export interface CatalogPolicyInput {
  entity: Entity;
  /** The owner entity, or null when `spec.owner` is missing or not in the catalog. */
  owner: Entity | null;
  /** The system entity, or null when `spec.system` is missing or not in the catalog. */
  system: Entity | null;
}

function refOf(value: unknown, defaultKind: string, defaultNamespace: string): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind, defaultNamespace }));
  } catch {
    return undefined;
  }
}

/** Full refs of an entity's owner and system, resolved the way the catalog does. */
export function relatedRefs(entity: Entity): { owner?: string; system?: string } {
  const namespace = entity.metadata.namespace ?? 'default';
  return {
    owner: refOf(entity.spec?.owner, 'group', namespace),
    system: refOf(entity.spec?.system, 'system', namespace),
  };
}

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

// Locale-independent, so a hash stored by one replica matches another's.
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** JSON with sorted object keys, so equal inputs hash equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareCodeUnits(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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

/** `paved/catalog/violations` → `paved.catalog/violations` (package/rule). */
export function policyNameOf(entrypoint: string): string {
  const parts = entrypoint.replace(/^\/+|\/+$/g, '').split('/');
  const rule = parts.pop() ?? '';
  return `${parts.join('.')}/${rule}`;
}
