/**
 * Scaffolder actions of Paved's golden paths: publish:paved,
 * publish:local-git and paved:validate.
 *
 * @packageDocumentation
 */
export { scaffolderModulePaved as default } from './module';
export { createPublishLocalGitAction } from './actions/publishLocalGit';
export type { PublishLocalGitActionOptions } from './actions/publishLocalGit';
export { createPublishPavedAction } from './actions/publishPaved';
export type {
  GitHostPublishAction,
  PublishPavedActionOptions,
} from './actions/publishPaved';
export type { PublishTarget, GitHostTarget } from './publishTarget';
export { createValidateAction } from './actions/validate';
export type { ValidateActionOptions } from './actions/validate';
export {
  TEMPLATE_NAME_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from './annotations';
export { checkCatalogEntities } from './validation/catalogEntities';
export type { EntityCheckResult } from './validation/catalogEntities';
export { checkKubernetesObjects } from './validation/kubernetesManifests';
export type { ManifestCheckResult } from './validation/kubernetesManifests';
