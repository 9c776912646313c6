/**
 * Scaffolder module with the `policy:check` action: checks the files a
 * template generated against Paved's OPA policies.
 *
 * @packageDocumentation
 */
export { scaffolderModulePolicy as default } from './module';
export {
  createPolicyCheckAction,
  POLICY_CHECK_ACTION_ID,
} from './actions/policyCheck';
export type { PolicyCheckActionOptions } from './actions/policyCheck';
export type { PolicyCheckFinding } from './actions/policyEvaluation';
export { DEFAULT_POLICY_CHECK_FILES } from './actions/workspaceFiles';
export { readPolicyCheckConfig } from './config';
export type { EngineUnavailableMode, PolicyCheckConfig } from './config';
