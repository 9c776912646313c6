import { screen } from '@testing-library/react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { PodStatus } from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '../api/KubernetesStatusApi';
import { PodsTable, podRowId } from './PodsTable';

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
    expect(podRowId({ ...pod('a'), uid: '6f1c-42' })).toBe('6f1c-42');
  });

  it('is namespace/name otherwise', () => {
    expect(podRowId(pod('orders-abc'))).toBe('commerce/orders-abc');
    expect(podRowId(pod('orders-abc', { namespace: undefined }))).toBe(
      '/orders-abc',
    );
  });

  it('differs for pods of the same name in two namespaces', () => {
    expect(podRowId(pod('x', { namespace: 'a' }))).not.toBe(
      podRowId(pod('x', { namespace: 'b' })),
    );
  });
});

describe('PodsTable', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
    jest.restoreAllMocks();
  });

  it('gives every row an id, so the table does not warn about rows without one', async () => {
    // The table checks row ids only in development builds.
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
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
          <PodsTable
            cluster="prod-eu-1"
            pods={[pod('orders-1'), pod('orders-2')]}
          />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('orders-1')).toBeInTheDocument();
    expect(screen.getByText('orders-2')).toBeInTheDocument();
    expect(screen.getByText('Pods (2)')).toBeInTheDocument();
    expect(
      warn.mock.calls.filter(args => String(args[0]).includes('unique id')),
    ).toEqual([]);
  });
});
