import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** Options of {@link CatalogVisibility}. */
export interface CatalogVisibilityOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  /** How long the refs a caller may read are reused. Default 30 s. */
  ttlMs?: number;
}

/** Entity refs a caller may read; `all` when the catalog shows them everything. */
export type VisibleEntities = { all: true } | { all: false; refs: Set<string> };

const ALL: VisibleEntities = { all: true };

/**
 * Which catalog entities a caller may read, so fleet-wide answers (the
 * compliance list, the library's flagged entities) show no finding of an
 * entity the catalog would not show them. An unconditional `catalog.entity.read`
 * (Paved's own policy) costs one permission check; a conditional one is
 * resolved by asking the catalog, with the caller's credentials, for the
 * refs it shows them (the catalog applies its own conditions), kept for a
 * short time per caller.
 */
export class CatalogVisibility {
  private readonly options: CatalogVisibilityOptions;
  private readonly cache = new Map<
    string,
    { at: number; value: Promise<VisibleEntities> }
  >();

  constructor(options: CatalogVisibilityOptions) {
    this.options = options;
  }

  async of(credentials: BackstageCredentials): Promise<VisibleEntities> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return ALL;
    if (decision.result === AuthorizeResult.DENY)
      return { all: false, refs: new Set() };
    const key = principalKey(credentials);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.options.ttlMs ?? 30_000))
      return cached.value;
    const value = this.readableRefs(credentials);
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    if (this.cache.size > 1000)
      this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async readableRefs(
    credentials: BackstageCredentials,
  ): Promise<VisibleEntities> {
    const refs = new Set<string>();
    for await (const page of this.options.catalog.streamEntities(
      { fields: ['kind', 'metadata.namespace', 'metadata.name'] },
      { credentials },
    )) {
      for (const entity of page) refs.add(stringifyEntityRef(entity));
    }
    return { all: false, refs };
  }
}

function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }`;
}
