import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  POLICY_QUERY_PARAM,
  RULE_ID_QUERY_PARAM,
  policyLibraryRouteRef,
} from '../routes';

/**
 * Link to a rule (and a finding id inside it) in the Policy library, or
 * undefined when the app does not mount the Compliance page (the rule is
 * then shown without a link).
 */
export function useLibraryLink(
  policy: string,
  ruleId?: string,
): string | undefined {
  const base = useRouteRef(policyLibraryRouteRef)?.();
  if (!base) return undefined;
  const params = new URLSearchParams({ [POLICY_QUERY_PARAM]: policy });
  if (ruleId) params.set(RULE_ID_QUERY_PARAM, ruleId);
  return `${base}?${params}`;
}
