/**
 * Typed client of OPA's REST API, shared by Paved's policy backend, the
 * scaffolder `policy:check` action and the OPA permission module; and the
 * scaffolder workspace's YAML reader that `policy:check` and `paved:validate`
 * share.
 *
 * @packageDocumentation
 */
export * from './OpaClient';
export * from './OpaService';
export * from './errors';
export * from './types';
export * from './config';
export * from './entityChangedEvent';
export * from './catalogInput';
export * from './violations';
export * from './rego/parseRegoModule';
export * from './workspace/workspaceYaml';
