/**
 * Paved's permission policy module for the permission backend: the Paved
 * policy, or (opt-in) OPA decisions with the Paved policy as fallback.
 *
 * @packageDocumentation
 */
export { permissionModulePavedPolicy as default } from './module';
export { PavedPermissionPolicy } from './PavedPermissionPolicy';
export type { PavedPermissionPolicyOptions } from './PavedPermissionPolicy';
export { OpaPermissionPolicy, opaPermissionInput } from './OpaPermissionPolicy';
export type {
  OpaPermissionInput,
  OpaPermissionPolicyOptions,
} from './OpaPermissionPolicy';
export {
  readOpaPermissionConfig,
  DEFAULT_PERMISSION_ENTRYPOINT,
  DEFAULT_PERMISSION_TIMEOUT_MS,
} from './config';
export type { OpaPermissionConfig, OpaPermissionFallback } from './config';
