import { useState } from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PodLogsResponse,
  PodStatus,
} from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '../api/KubernetesStatusApi';
import { PodsTable } from './PodsTable';

const pod: PodStatus = {
  kind: 'Pod',
  uid: 'uid-orders-1',
  name: 'orders-1',
  namespace: 'commerce',
  phase: 'Running',
  ready: true,
  readyContainers: 2,
  totalContainers: 2,
  restarts: 0,
  containers: [
    { name: 'app', image: 'x', ready: true, restarts: 0, state: 'running' },
    { name: 'proxy', image: 'y', ready: true, restarts: 0, state: 'running' },
  ],
};

const logs = (lines: string[]): PodLogsResponse => ({
  cluster: 'prod-eu-1',
  namespace: 'commerce',
  pod: 'orders-1',
  container: 'app',
  previous: false,
  lines,
});

async function openLogs(lines: string[]) {
  const getPodLogs = jest.fn(async () => logs(lines));
  // The pods the backend answers; a live update changes them in place.
  let setPods: (pods: PodStatus[]) => void = () => {};
  const LivePods = () => {
    const [pods, set] = useState([pod]);
    setPods = p => act(() => set(p));
    return <PodsTable cluster="prod-eu-1" pods={pods} />;
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          kubernetesStatusApiRef,
          { getPodLogs } as Partial<KubernetesStatusApi> as KubernetesStatusApi,
        ],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders-service', namespace: 'default' },
        }}
      >
        <LivePods />
      </EntityProvider>
    </TestApiProvider>,
  );
  const button = await screen.findByRole('button', {
    name: 'logs of orders-1',
  });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  const dialog = await screen.findByRole('dialog', {
    name: 'Logs of orders-1 (prod-eu-1)',
  });
  return {
    button,
    dialog,
    getPodLogs,
    setPods: (pods: PodStatus[]) => setPods(pods),
  };
}

describe('PodLogsDialog', () => {
  it('has a Close button, and closing it returns focus to the LOGS button', async () => {
    const { button, dialog } = await openLogs(['started']);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(button);
  });

  it('returns focus to the LOGS button after Escape', async () => {
    const { button } = await openLogs(['started']);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(button);
  });

  it('moves focus to the pods table when the pod went away while its logs were open', async () => {
    const { setPods } = await openLogs(['started']);
    // The crash-looping pod was replaced by its ReplicaSet meanwhile.
    setPods([{ ...pod, uid: 'uid-orders-2', name: 'orders-2' }]);
    // The page behind the modal dialog is aria-hidden meanwhile.
    expect(
      await screen.findByRole('button', {
        name: 'logs of orders-2',
        hidden: true,
      }),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement).toContainElement(
      screen.getByRole('button', { name: 'logs of orders-2' }),
    );
  });

  it('shows the log as one labelled, focusable region whose lines are no tab stops', async () => {
    const { dialog } = await openLogs([
      'listening on :8080',
      '\u001b[31mERROR\u001b[0m cpu limit exceeded',
      'shutting down',
    ]);
    const log = await within(dialog).findByRole('log', {
      name: 'Log lines of app (current instance)',
    });
    expect(log).toHaveAttribute('tabindex', '0');
    // Terminal colour codes are not shown as text.
    expect(within(log).getByText('ERROR cpu limit exceeded')).toBeVisible();
    expect(log.querySelectorAll('[tabindex], a[href], button')).toHaveLength(0);
    expect(within(log).getAllByText(/./)).toHaveLength(3);
    within(log)
      .getAllByText(/./)
      .forEach(line => expect(line).not.toHaveAttribute('tabindex'));
  });

  it('filters lines with a named control and says when none matches', async () => {
    const { dialog } = await openLogs([
      'GET /orders 200',
      'GET /health 200',
      'POST /orders 500',
    ]);
    const filter = within(dialog).getByRole('searchbox', {
      name: 'Filter lines',
    });
    expect(
      within(dialog).getByRole('button', { name: /Container/ }),
    ).toHaveTextContent('app');
    await userEvent.type(filter, 'orders');
    const log = within(dialog).getByRole('log');
    expect(within(log).getAllByText(/orders/)).toHaveLength(2);
    expect(within(log).queryByText('GET /health 200')).toBeNull();
    expect(within(dialog).getByText('2 of 3 lines')).toBeInTheDocument();
    await userEvent.clear(filter);
    await userEvent.type(filter, 'timeout');
    expect(log).toHaveTextContent('(no line contains "timeout")');
  });

  it('says so when the container wrote no lines', async () => {
    const { dialog } = await openLogs([]);
    expect(await within(dialog).findByRole('log')).toHaveTextContent(
      '(no log lines)',
    );
  });
});
