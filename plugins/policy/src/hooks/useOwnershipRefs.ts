import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { AsyncState } from './usePolicyData';

/** The signed-in user's ownership refs (the user and their groups). @public */
export function useOwnershipRefs(): Omit<AsyncState<string[]>, 'retry'> {
  const identityApi = useApi(identityApiRef);
  const { value, loading, error } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).ownershipEntityRefs,
    [identityApi],
  );
  return { value, loading, error };
}
