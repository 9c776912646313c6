/**
 * Template annotations and template drift, shared by the scaffolder module
 * and the template drift frontend.
 *
 * @packageDocumentation
 */
export {
  TEMPLATE_NAME_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from './annotations';
export {
  computeTemplateDrift,
  isBehind,
  templateNameOf,
  templateRefOf,
} from './drift';
export type { DriftGap, TemplateDrift } from './drift';
