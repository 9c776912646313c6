/**
 * Paved's policy backend: scheduled OPA evaluation of catalog entities,
 * stored findings and run history, fleet compliance, trend, engine health
 * and the policy library.
 *
 * @packageDocumentation
 */
export { policyPlugin as default, POLICY_CATALOG_TASK_ID } from './plugin';
