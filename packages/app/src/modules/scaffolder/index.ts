import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** Paved's scaffolder form fields (`ui:field: PavedEntityName`). */
export const scaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    FormFieldBlueprint.make({
      name: 'paved-entity-name',
      params: {
        field: () =>
          import('./pavedEntityNameField').then(m => m.pavedEntityNameField),
      },
    }),
  ],
});
