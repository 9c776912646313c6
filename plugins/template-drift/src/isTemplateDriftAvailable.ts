import type { Entity } from '@backstage/catalog-model';
import { templateNameOf } from '@paved/plugin-template-drift-common';

/** True when the entity records the golden-path template it was created from. @public */
export const isTemplateDriftAvailable = (entity: Entity) =>
  !!templateNameOf(entity);
