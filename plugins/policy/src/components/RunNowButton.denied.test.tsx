import { screen, waitFor } from '@testing-library/react';
import {
  renderInTestApp,
  TestApiProvider,
  mockApis,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { policyAdminPermission } from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';
import { mockPolicyApi } from '../__testUtils__/fixtures';
import { EngineHealthPanel } from './EngineHealthPanel';

// A file of its own: permission answers are cached per permission for the whole file.
describe('Run now (not an admin)', () => {
  it('is hidden without policy.admin', async () => {
    const requests: EvaluatePermissionRequest[] = [];
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            policyApiRef,
            mockPolicyApi({
              getEngineHealth: async () => ({
                engine: { configured: true, reachable: true },
              }),
            }),
          ],
          [
            permissionApiRef,
            mockApis.permission({
              authorize: request => {
                requests.push(request);
                return AuthorizeResult.DENY;
              },
            }),
          ],
        ]}
      >
        <EngineHealthPanel />
      </TestApiProvider>,
    );
    expect(await screen.findByText('reachable')).toBeInTheDocument();
    await waitFor(() =>
      expect(requests.map(r => r.permission.name)).toContain(
        policyAdminPermission.name,
      ),
    );
    await new Promise(r => setTimeout(r, 50));
    expect(
      screen.queryByRole('button', { name: 'Run now' }),
    ).not.toBeInTheDocument();
  });
});
