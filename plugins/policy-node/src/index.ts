/**
 * Typed client of OPA's REST API, shared by Paved's policy backend, the
 * scaffolder `policy:check` action and the OPA permission module.
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
