import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
import { policyEvaluatePermission } from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';
import { findings, mockPolicyApi } from '../__testUtils__/fixtures';
import { ReevaluateButton } from './ReevaluateButton';

// Permission answers are cached per permission and resource, so each test uses its own entity.
async function renderButton(
  name: string,
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  const requests: EvaluatePermissionRequest[] = [];
  const api = mockPolicyApi({ evaluateEntity: async () => findings() });
  const onResult = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [policyApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request => {
              requests.push(request);
              return result;
            },
          }),
        ],
      ]}
    >
      <ReevaluateButton
        entity={{ kind: 'Component', namespace: 'default', name }}
        onResult={onResult}
      />
    </TestApiProvider>,
  );
  return { requests, api, onResult };
}

describe('ReevaluateButton', () => {
  it('asks for policy.evaluate on the entity and hides the button when denied', async () => {
    const { requests } = await renderButton(
      'locked-service',
      AuthorizeResult.DENY,
    );
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].permission.name).toBe(policyEvaluatePermission.name);
    expect((requests[0] as { resourceRef?: string }).resourceRef).toBe(
      'component:default/locked-service',
    );
    // let the denial render
    await new Promise(r => setTimeout(r, 50));
    expect(
      screen.queryByRole('button', { name: 'Re-evaluate' }),
    ).not.toBeInTheDocument();
  });

  it('shows the button when allowed and hands the result over', async () => {
    const { api, onResult } = await renderButton(
      'open-service',
      AuthorizeResult.ALLOW,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate' }),
    );
    await waitFor(() =>
      expect(onResult).toHaveBeenCalledWith(
        expect.objectContaining({
          entityRef: 'component:default/orders-service',
        }),
      ),
    );
    expect(api.evaluateEntity).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'open-service',
    });
    expect(screen.getByTestId('reevaluate-result')).toHaveTextContent(
      'Re-evaluated: passing, 0 errors, 0 warnings, 0 info.',
    );
  });
});
