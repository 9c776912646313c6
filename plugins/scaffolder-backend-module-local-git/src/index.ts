/**
 * Scaffolder actions for Paved's offline golden paths.
 *
 * @packageDocumentation
 */
export { scaffolderModuleLocalGit as default } from './module';
export { createPublishLocalGitAction } from './actions/publishLocalGit';
export type { PublishLocalGitActionOptions } from './actions/publishLocalGit';
export { createValidateAction } from './actions/validate';
export type { ValidateActionOptions } from './actions/validate';
export {
  TEMPLATE_NAME_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from './annotations';
