import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ComplianceListQuery,
  ComplianceListResponse,
  EngineHealthResponse,
  PoliciesResponse,
} from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';

/** What every data hook of this plugin returns. @public */
export interface AsyncState<T> {
  value?: T;
  loading: boolean;
  error?: Error;
  retry(): void;
}

/**
 * One page of the fleet compliance list. While the next page or filter
 * loads, the previous page stays visible (`loading` is true). With `skip`
 * nothing is requested (e.g. while the query is not known yet).
 * @public
 */
export function useComplianceList(
  query: ComplianceListQuery,
  options: { skip?: boolean } = {},
): AsyncState<ComplianceListResponse> {
  const api = useApi(policyApiRef);
  const key = JSON.stringify(query);
  const skip = !!options.skip;
  const [previous, setPrevious] = useState<ComplianceListResponse>();
  const state = useAsyncRetry(
    async () => (skip ? undefined : api.getCompliance(query)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, skip],
  );
  useEffect(() => {
    if (state.value) setPrevious(state.value);
  }, [state.value]);
  return {
    value: state.value ?? previous,
    loading: state.loading || skip,
    error: state.error,
    retry: state.retry,
  };
}

/** Whether the policy engine is configured and reachable, and the last run. @public */
export function useEngineHealth(): AsyncState<EngineHealthResponse> {
  const api = useApi(policyApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEngineHealth(),
    [api],
  );
  return { value, loading, error, retry };
}

/** The Rego modules loaded in the policy engine, with their rules. @public */
export function usePolicyLibrary(): AsyncState<PoliciesResponse> {
  const api = useApi(policyApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getPolicies(),
    [api],
  );
  return { value, loading, error, retry };
}
