/**
 * Catalog module: announces changed entities on the events service
 * (`paved.policy.entity-changed`) for the policy backend to re-evaluate.
 *
 * @packageDocumentation
 */
export { catalogModulePolicyChanges as default } from './module';
export { EntityChangeProcessor } from './EntityChangeProcessor';
export type { EntityChangeProcessorOptions } from './EntityChangeProcessor';
export { readPolicyChangesConfig } from './config';
export type { PolicyChangesConfig } from './config';
