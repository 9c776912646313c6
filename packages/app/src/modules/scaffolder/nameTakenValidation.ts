import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/catalog-client';

/**
 * Adds an error to the field when an entity of any kind already has `name`
 * in `namespace`: a golden path must not shadow an existing service (the
 * catalog would keep the existing entity and the new one would only be a
 * conflict in the backend log). `paved:validate` checks the same again on the
 * server, for entities the user cannot see too.
 */
export async function validateNameNotTaken(options: {
  name: string | undefined;
  namespace?: string;
  catalogApi: Pick<CatalogApi, 'getEntities'>;
  /** The form field's errors (rjsf's FieldValidation). */
  field: { addError(message: string): void };
}): Promise<void> {
  const { name, catalogApi, field } = options;
  if (!name) return;
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const { items } = await catalogApi.getEntities({
    filter: { 'metadata.name': name, 'metadata.namespace': namespace },
    fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
  });
  for (const existing of items) {
    const owner =
      typeof existing.spec?.owner === 'string'
        ? `, owned by ${existing.spec.owner}`
        : '';
    field.addError(
      `The name '${name}' is taken by ${stringifyEntityRef(
        existing,
      )}${owner}. Choose another name.`,
    );
  }
}
