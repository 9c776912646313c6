import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EntityFindingsResponse } from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';

/** @public */
export interface EntityPolicyFindingsState {
  value?: EntityFindingsResponse;
  loading: boolean;
  error?: Error;
  retry(): void;
  /** Shows a newer answer (e.g. of a re-evaluation) without refetching. */
  replace(value: EntityFindingsResponse): void;
}

/** Stored policy findings and compliance of the current entity. @public */
export function useEntityPolicyFindings(): EntityPolicyFindingsState {
  const { entity } = useEntity();
  const api = useApi(policyApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [replaced, setReplaced] = useState<{
    entityRef: string;
    value: EntityFindingsResponse;
  }>();
  const state = useAsyncRetry(
    () => api.getEntityFindings(getCompoundEntityRef(entity)),
    [api, entityRef],
  );
  const replace = useCallback(
    (value: EntityFindingsResponse) => setReplaced({ entityRef, value }),
    [entityRef],
  );
  const { retry: refetch } = state;
  // A refetch is newer than a replacement: drop it.
  const retry = useCallback(() => {
    setReplaced(undefined);
    refetch();
  }, [refetch]);
  const value =
    replaced?.entityRef === entityRef ? replaced.value : state.value;
  return { value, loading: state.loading, error: state.error, retry, replace };
}
