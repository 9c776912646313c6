/**
 * Paved's policy frontend, for Backstage's new frontend system only. The
 * default export is the plugin (also at `/alpha`).
 *
 * @packageDocumentation
 */
export { policyPlugin as default } from './plugin';
export { policyApiRef, PolicyClient } from './api/PolicyApi';
export type {
  PolicyApi,
  ComplianceTrendQuery,
  TriggerRunResponse,
} from './api/PolicyApi';
export { useEntityPolicyFindings } from './hooks/useEntityPolicyFindings';
export type { EntityPolicyFindingsState } from './hooks/useEntityPolicyFindings';
export {
  useComplianceList,
  useEngineHealth,
  usePolicyLibrary,
} from './hooks/usePolicyData';
export type { AsyncState } from './hooks/usePolicyData';
export { useComplianceTrend } from './hooks/useComplianceTrend';
export { complianceRouteRef, policyLibraryRouteRef } from './routes';
