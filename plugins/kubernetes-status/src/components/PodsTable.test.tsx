import { useState } from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { PodStatus } from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '../api/KubernetesStatusApi';
import { logsDeniedReason, PodsTable, podRowId } from './PodsTable';

const pod = (name: string, over: Partial<PodStatus> = {}): PodStatus => ({
  kind: 'Pod',
  name,
  namespace: 'commerce',
  phase: 'Running',
  ready: true,
  readyContainers: 1,
  totalContainers: 1,
  restarts: 0,
  containers: [
    { name: 'app', image: 'x', ready: true, restarts: 0, state: 'running' },
  ],
  ...over,
});

describe('podRowId', () => {
  it("is the pod's metadata.uid when the status carries one", () => {
    expect(podRowId({ ...pod('a'), uid: '6f1c-42' }, 'prod-eu-1')).toBe(
      '6f1c-42',
    );
  });

  it('is cluster/namespace/name otherwise', () => {
    expect(podRowId(pod('orders-abc'), 'prod-eu-1')).toBe(
      'prod-eu-1/commerce/orders-abc',
    );
    expect(
      podRowId(pod('orders-abc', { namespace: undefined }), 'prod-eu-1'),
    ).toBe('prod-eu-1//orders-abc');
  });

  it('differs for pods of the same name in two namespaces or two clusters', () => {
    expect(podRowId(pod('x', { namespace: 'a' }), 'c')).not.toBe(
      podRowId(pod('x', { namespace: 'b' }), 'c'),
    );
    expect(podRowId(pod('orders-1'), 'prod-eu-1')).not.toBe(
      podRowId(pod('orders-1'), 'staging-eu-1'),
    );
  });
});

describe('PodsTable', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
    jest.restoreAllMocks();
  });

  it('warns neither about row ids nor about keys, for the same pod name in two clusters and across a live update', async () => {
    // The table checks row ids only in development builds.
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    let setPods: (pods: PodStatus[]) => void = () => {};
    // One entity's tab: a table per cluster, refetched by live updates.
    const Clusters = () => {
      const [pods, set] = useState([pod('orders-1'), pod('orders-2')]);
      setPods = p => act(() => set(p));
      return (
        <>
          <PodsTable cluster="prod-eu-1" pods={pods} />
          <PodsTable cluster="staging-eu-1" pods={pods} />
        </>
      );
    };
    renderInTestApp(
      <TestApiProvider
        apis={[[kubernetesStatusApiRef, {} as KubernetesStatusApi]]}
      >
        <EntityProvider
          entity={{
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders' },
          }}
        >
          <Clusters />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findAllByText('orders-1')).toHaveLength(2);
    setPods([pod('orders-1', { restarts: 3 }), pod('orders-2')]);
    expect(await screen.findAllByText('3')).toHaveLength(2);
    expect(screen.getAllByText('Pods (2)')).toHaveLength(2);
    const complaints = [...warn.mock.calls, ...error.mock.calls]
      .map(args => String(args[0]))
      .filter(m => /unique id|same key|unique "key"/.test(m));
    expect(complaints).toEqual([]);
  });
});

describe('PodsTable LOGS button', () => {
  // Permission answers are cached per permission and resource: each test
  // uses an entity of its own.
  const component = (name: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner: 'group:team-insights' },
  });

  function renderTable(entity: Entity, permissionApi: PermissionApi) {
    const getPodLogs = jest.fn(async () => ({
      cluster: 'prod-eu-1',
      namespace: 'commerce',
      pod: 'api-1',
      container: 'app',
      previous: false,
      lines: ['started'],
    }));
    renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kubernetesStatusApiRef,
            {
              getPodLogs,
            } as Partial<KubernetesStatusApi> as KubernetesStatusApi,
          ],
          [permissionApiRef, permissionApi],
        ]}
      >
        <EntityProvider entity={entity}>
          <PodsTable cluster="prod-eu-1" pods={[pod('api-1')]} />
        </EntityProvider>
      </TestApiProvider>,
    );
    return { getPodLogs };
  }

  it('asks for kubernetes-status.logs.read on the entity and opens the logs when allowed', async () => {
    const requests: EvaluatePermissionRequest[] = [];
    const { getPodLogs } = renderTable(
      component('logs-allowed'),
      mockApis.permission({
        authorize: request => {
          requests.push(request);
          return AuthorizeResult.ALLOW;
        },
      }),
    );
    const button = await screen.findByRole('button', { name: 'logs of api-1' });
    await waitFor(() => expect(button).toBeEnabled());
    expect(requests).toEqual([
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'kubernetes-status.logs.read',
        }),
        resourceRef: 'component:default/logs-allowed',
      }),
    ]);
    expect(screen.queryByTestId('logs-reason')).toBeNull();
    await userEvent.click(button);
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(getPodLogs).toHaveBeenCalledTimes(1);
  });

  it('disables the button before any click and says who may read the logs when denied', async () => {
    const entity = component('logs-denied');
    const { getPodLogs } = renderTable(
      entity,
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    const reason = await screen.findByTestId('logs-reason');
    expect(reason).toHaveTextContent(
      'Logs: Only owners of logs-denied (group:team-insights) and Paved admins may read its pod logs.',
    );
    const button = screen.getByRole('button', { name: 'logs of api-1' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      `Logs: ${logsDeniedReason(entity)}`,
    );
    // The tooltip's wrapper carries the same reason for pointer users.
    expect(screen.getByTestId('logs-denied')).toHaveAttribute(
      'title',
      logsDeniedReason(entity),
    );
    await userEvent.click(button).catch(() => undefined);
    expect(getPodLogs).not.toHaveBeenCalled();
  });

  it('keeps the button disabled without a reason while the permission is loading', async () => {
    renderTable(
      component('logs-loading'),
      mockApis.permission.mock({ authorize: () => new Promise(() => {}) }),
    );
    const button = await screen.findByRole('button', { name: 'logs of api-1' });
    expect(button).toBeDisabled();
    expect(screen.queryByTestId('logs-reason')).toBeNull();
    expect(screen.queryByTestId('logs-denied')).toBeNull();
  });

  it('names a failed permission check instead of blaming ownership', async () => {
    renderTable(
      component('logs-error'),
      mockApis.permission.mock({
        authorize: async () => {
          throw new Error('permission backend unavailable');
        },
      }),
    );
    expect(await screen.findByTestId('logs-reason')).toHaveTextContent(
      'Could not check whether you may read pod logs: permission backend unavailable',
    );
    expect(
      screen.getByRole('button', { name: 'logs of api-1' }),
    ).toBeDisabled();
  });
});

describe('logsDeniedReason', () => {
  it('uses the title and leaves out an owner the entity does not name', () => {
    expect(
      logsDeniedReason({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders', title: 'Orders service' },
      }),
    ).toBe(
      'Only owners of Orders service and Paved admins may read its pod logs.',
    );
  });
});

describe('PodsTable cells', () => {
  it('keeps one-word states and reasons whole (they wrap at spaces only, never mid-word)', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kubernetesStatusApiRef,
            {} as Partial<KubernetesStatusApi> as KubernetesStatusApi,
          ],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider
          entity={{
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders', namespace: 'default' },
          }}
        >
          <PodsTable
            cluster="prod-eu-1"
            pods={[
              pod('api-1', {
                ready: false,
                containers: [
                  {
                    name: 'app',
                    image: 'x',
                    ready: false,
                    restarts: 4,
                    state: 'waiting',
                    waitingReason: 'CrashLoopBackOff',
                  },
                ],
              }),
            ]}
          />
        </EntityProvider>
      </TestApiProvider>,
    );
    const reason = (await screen.findAllByText('CrashLoopBackOff'))[0];
    const cell = reason.closest('td')!;
    expect(cell).toHaveStyle({ wordBreak: 'normal', overflowWrap: 'normal' });
  });
});
