import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { PolicyApi } from '../api/PolicyApi';
import {
  mockPolicyApi,
  Providers,
  backendError,
} from '../__testUtils__/fixtures';
import { EngineHealthPanel } from './EngineHealthPanel';

// Permission answers are cached per permission for the whole file: every test here is an admin.
async function renderPanel(triggerRun: PolicyApi['triggerRun']) {
  const api = mockPolicyApi({
    getEngineHealth: async () => ({
      engine: { configured: true, reachable: true },
    }),
    triggerRun,
  });
  await renderInTestApp(
    <Providers api={api}>
      <EngineHealthPanel />
    </Providers>,
  );
  return api;
}

describe('Run now (policy admins)', () => {
  it('starts a fleet run and says how to see its result', async () => {
    const api = await renderPanel(async () => ({ taskId: 'policy:evaluate' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run now' }),
    );
    expect(await screen.findByTestId('run-requested')).toHaveTextContent(
      'Run requested',
    );
    expect(api.triggerRun).toHaveBeenCalledTimes(1);
  });

  it('shows why a run could not start', async () => {
    await renderPanel(async () => {
      throw await backendError(
        503,
        'ServiceUnavailableError',
        'No policy engine configured.',
      );
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run now' }),
    );
    expect(await screen.findByTestId('run-error')).toHaveTextContent(
      'Could not start a run: No policy engine configured.',
    );
  });

  it('refreshes the engine health on demand', async () => {
    const api = await renderPanel(async () => ({ taskId: 't' }));
    await screen.findByText('reachable');
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh engine health' }),
    );
    expect(api.getEngineHealth).toHaveBeenCalledTimes(2);
  });
});
