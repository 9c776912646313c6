import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { PavedEntityNameField } from './PavedEntityNameField';
import { validateNameNotTaken } from './nameTakenValidation';

/**
 * `ui:field: PavedEntityName`: the new entity's name, refused before Create
 * when an entity of any kind already has it in the namespace
 * (`ui:options.namespace`, default `default`).
 */
export const pavedEntityNameField = createFormField({
  name: 'PavedEntityName',
  component: PavedEntityNameField,
  validation: async (value, field, { apiHolder, uiSchema }) => {
    const catalogApi = apiHolder.get(catalogApiRef);
    // Without the catalog API the server-side paved:validate still refuses it.
    if (!catalogApi) return;
    const namespace = uiSchema?.['ui:options']?.namespace;
    await validateNameNotTaken({
      name: value,
      namespace: typeof namespace === 'string' ? namespace : undefined,
      catalogApi,
      field,
    });
  },
});
