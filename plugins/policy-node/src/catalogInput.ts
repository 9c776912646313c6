import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * What the catalog entry point receives: the entity with its resolved owner
 * and system (null when unset or not in the catalog).
 * @public
 */
export interface CatalogPolicyInput {
  entity: Entity;
  owner: Entity | null;
  system: Entity | null;
}

function refOf(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Full refs of an entity's owner and system, resolved the way the catalog does.
 * @public
 */
export function relatedRefs(entity: Entity): {
  owner?: string;
  system?: string;
} {
  const namespace = entity.metadata?.namespace ?? 'default';
  return {
    owner: refOf(entity.spec?.owner, 'group', namespace),
    system: refOf(entity.spec?.system, 'system', namespace),
  };
}

/**
 * `paved/catalog/violations` → `paved.catalog/violations` (package/rule), as findings name rules.
 * @public
 */
export function policyNameOf(entrypoint: string): string {
  const parts = entrypoint.replace(/^\/+|\/+$/g, '').split('/');
  const rule = parts.pop() ?? '';
  return `${parts.join('.')}/${rule}`;
}
