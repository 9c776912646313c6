/**
 * Annotations every golden path writes into the catalog-info.yaml it
 * generates, and that template entities carry themselves, so the portal can
 * tell which template (and which version of it) a component came from.
 *
 * @public
 */
export const TEMPLATE_NAME_ANNOTATION = 'paved.dev/template';
/** @public */
export const TEMPLATE_VERSION_ANNOTATION = 'paved.dev/template-version';
