import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { policyApiRef } from '../api/PolicyApi';
import { entity, findings, mockPolicyApi } from '../__testUtils__/fixtures';
import { useEntityPolicyFindings } from './useEntityPolicyFindings';

describe('useEntityPolicyFindings', () => {
  it('shows a replacement (a re-evaluation) until the next refetch, which wins', async () => {
    let revision = 'rev-1';
    const api = mockPolicyApi({
      getEntityFindings: async () => findings({ policyRevision: revision }),
    });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[policyApiRef, api]]}>
        <EntityProvider entity={entity}>{children}</EntityProvider>
      </TestApiProvider>
    );
    const { result } = renderHook(() => useEntityPolicyFindings(), { wrapper });
    await waitFor(() =>
      expect(result.current.value?.policyRevision).toBe('rev-1'),
    );

    act(() => result.current.replace(findings({ policyRevision: 'rev-2' })));
    expect(result.current.value?.policyRevision).toBe('rev-2');

    revision = 'rev-3';
    act(() => result.current.retry());
    await waitFor(() =>
      expect(result.current.value?.policyRevision).toBe('rev-3'),
    );
    expect(api.getEntityFindings).toHaveBeenCalledTimes(2);
  });
});
