/**
 * Paved's policy frontend (legacy exports; the new frontend system entry
 * is at `/alpha`).
 *
 * @packageDocumentation
 */
export {
  policyPlugin,
  PolicyCompliancePage,
  EntityPoliciesContent,
  EntityPolicyComplianceCard,
} from './plugin';
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
