import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  computeTemplateDrift,
  isBehind,
  TEMPLATE_NAME_ANNOTATION,
  templateRefOf,
  type TemplateDrift,
} from '@paved/plugin-template-drift-common';
import useAsync from 'react-use/esm/useAsync';

/** Drift of one entity against the current version of its template. @public */
export function useEntityTemplateDrift(entity: Entity): {
  value?: TemplateDrift;
  loading: boolean;
  error?: Error;
} {
  const catalogApi = useApi(catalogApiRef);
  const templateRef = templateRefOf(entity);
  return useAsync(async () => {
    const template = templateRef
      ? await catalogApi.getEntityByRef(templateRef)
      : undefined;
    return computeTemplateDrift(entity, template);
  }, [catalogApi, entity, templateRef]);
}

const ORDER: Record<TemplateDrift['gap'], number> = {
  major: 0,
  minor: 1,
  patch: 2,
  unknown: 3,
  ahead: 4,
  none: 5,
};

/**
 * Drift of every entity created from a golden-path template, most behind
 * first. Two catalog queries: entities with the template annotation, and
 * the templates.
 * @public
 */
export function useTemplateDriftList(): {
  value?: { drifts: TemplateDrift[]; behind: number };
  loading: boolean;
  error?: Error;
} {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const [created, templates] = await Promise.all([
      catalogApi.getEntities({
        filter: {
          [`metadata.annotations.${TEMPLATE_NAME_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      }),
      catalogApi.getEntities({
        filter: { kind: 'Template' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      }),
    ]);
    const byRef = new Map(templates.items.map(t => [templateRefKey(t), t]));
    const drifts = created.items
      .map(entity =>
        computeTemplateDrift(entity, byRef.get(templateRefOf(entity) ?? '')),
      )
      .sort(
        (a, b) =>
          ORDER[a.gap] - ORDER[b.gap] || a.entityRef.localeCompare(b.entityRef),
      );
    return { drifts, behind: drifts.filter(isBehind).length };
  }, [catalogApi]);
}

function templateRefKey(template: Entity): string {
  return `template:${template.metadata.namespace ?? 'default'}/${
    template.metadata.name
  }`.toLocaleLowerCase('en-US');
}
