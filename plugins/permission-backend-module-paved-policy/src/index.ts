/**
 * Paved's permission policy module for the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModulePavedPolicy as default } from './module';
export { PavedPermissionPolicy } from './PavedPermissionPolicy';
export type { PavedPermissionPolicyOptions } from './PavedPermissionPolicy';
