/**
 * Annotation every golden path writes into the catalog-info.yaml it
 * generates: the name of the template.
 *
 * @public
 */
export const TEMPLATE_NAME_ANNOTATION = 'paved.dev/template';

/**
 * The version of the template that generated the entity, and, on Template
 * entities, the template's current version (semver).
 *
 * @public
 */
export const TEMPLATE_VERSION_ANNOTATION = 'paved.dev/template-version';
