import { act, screen, waitFor } from '@testing-library/react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import { ResponseError } from '@backstage/errors';
import {
  ClusterEntityStatus,
  EntityDiagnosticsResponse,
  EntityStatusResponse,
} from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '../api/KubernetesStatusApi';
import { KubernetesStatusContent } from './KubernetesStatusContent';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'orders-service' },
  },
  spec: { type: 'service', owner: 'team-commerce', lifecycle: 'production' },
};

const cluster = (
  over: Partial<ClusterEntityStatus> = {},
): ClusterEntityStatus => ({
  cluster: { name: 'prod-eu-1', simulated: false },
  health: 'ok',
  freshness: { lastSyncAt: new Date().toISOString(), stale: false },
  errors: [],
  workloads: [
    {
      kind: 'Deployment',
      name: 'orders-service',
      namespace: 'commerce',
      images: ['registry/orders:1.4.0'],
      versions: ['1.4.0'],
      desired: 4,
      updated: 2,
      ready: 3,
      available: 3,
      generation: 5,
      observedGeneration: 5,
      rollout: {
        state: 'progressing',
        observed: true,
        progressDeadlineExceeded: false,
        oldReplicaSets: [],
      },
    },
  ],
  pods: [
    {
      kind: 'Pod',
      name: 'orders-service-abc',
      namespace: 'commerce',
      phase: 'Running',
      ready: false,
      readyContainers: 0,
      totalContainers: 1,
      restarts: 9,
      containers: [
        {
          name: 'app',
          image: 'x',
          ready: false,
          restarts: 9,
          state: 'waiting',
          waitingReason: 'CrashLoopBackOff',
        },
      ],
    },
  ],
  events: [],
  resources: [],
  gitops: [],
  problems: [
    {
      id: 'p1',
      severity: 'error',
      object: {
        kind: 'Pod',
        name: 'orders-service-abc',
        namespace: 'commerce',
      },
      message: 'Container app is in CrashLoopBackOff (9 restarts)',
      hint: 'Read its previous logs.',
    },
  ],
  ...over,
});

const status = (
  over: Partial<EntityStatusResponse> = {},
): EntityStatusResponse => ({
  entityRef: 'component:default/orders-service',
  selector: { labelSelector: 'backstage.io/kubernetes-id=orders-service' },
  health: 'degraded',
  clusters: [cluster()],
  drift: [],
  generatedAt: new Date().toISOString(),
  ...over,
});

function apiWith(overrides: Partial<KubernetesStatusApi>): KubernetesStatusApi {
  return {
    getEntityStatus: jest.fn(async () => status()),
    getEntityDiagnostics: jest.fn(),
    getClusters: jest.fn(),
    getPodLogs: jest.fn(),
    ...overrides,
  } as KubernetesStatusApi;
}

async function renderContent(api: KubernetesStatusApi, signals?: SignalApi) {
  const apis: any[] = [[kubernetesStatusApiRef, api]];
  if (signals) apis.push([signalApiRef, signals]);
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <EntityProvider entity={entity}>
        <KubernetesStatusContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('KubernetesStatusContent', () => {
  it('shows a progress indicator while loading', async () => {
    const api = apiWith({ getEntityStatus: () => new Promise(() => {}) });
    await renderContent(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const response = new Response(
      JSON.stringify({ error: { name: 'Error', message: 'boom' } }),
      {
        status: 500,
        statusText: 'Internal Server Error',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response as any);
    await renderContent(
      apiWith({ getEntityStatus: async () => Promise.reject(error) }),
    );
    expect((await screen.findAllByText(/boom/)).length).toBeGreaterThan(0);
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
  });

  it('flags a crash-looping pod and shows rollout progress', async () => {
    await renderContent(apiWith({}));
    expect(
      await screen.findByText(
        'Container app is in CrashLoopBackOff (9 restarts)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rollout-orders-service')).toHaveTextContent(
      'progressing: 2/4 updated, 3 ready',
    );
    expect(screen.getByText(/Polling every 15 s/)).toBeInTheDocument();
  });

  it('labels simulated clusters, shows drift, staleness and per-cluster errors', async () => {
    const api = apiWith({
      getEntityStatus: async () =>
        status({
          clusters: [
            cluster({ cluster: { name: 'sim-a', simulated: true } }),
            cluster({
              cluster: { name: 'prod-us-1', simulated: false },
              health: 'unknown',
              workloads: [],
              pods: [],
              problems: [],
              freshness: {
                stale: true,
                lastSyncAt: new Date(Date.now() - 600_000).toISOString(),
                staleSince: new Date(Date.now() - 300_000).toISOString(),
              },
              errors: [
                {
                  type: 'unreachable',
                  message: 'connect ECONNREFUSED',
                  since: new Date().toISOString(),
                },
              ],
            }),
          ],
          drift: [
            {
              workload: 'Deployment/orders-service',
              versionsByCluster: { 'sim-a': ['1.4.0'], 'prod-us-1': ['1.3.9'] },
            },
          ],
        }),
    });
    await renderContent(api);
    expect(await screen.findByTestId('simulated-banner')).toHaveTextContent(
      'sim-a',
    );
    expect(screen.getByTestId('drift')).toHaveTextContent(
      'sim-a 1.4.0 vs prod-us-1 1.3.9',
    );
    expect(screen.getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText(/Stale data/)).toBeInTheDocument();
  });

  it('explains an empty result with diagnostics', async () => {
    const diagnostics: EntityDiagnosticsResponse = {
      entityRef: 'component:default/orders-service',
      selector: {
        labelSelector: 'backstage.io/kubernetes-id=orders-service',
        namespaces: ['commerce'],
      },
      clusters: [
        {
          cluster: { name: 'prod-eu-1', simulated: false },
          asked: true,
          countsByType: { pods: 0 },
          matchesOutsideNamespaces: 3,
          errors: [
            {
              type: 'forbidden',
              resource: 'pods',
              message: 'pods is forbidden',
              since: new Date().toISOString(),
            },
          ],
        },
      ],
    };
    const api = apiWith({
      getEntityStatus: async () =>
        status({
          health: 'unknown',
          clusters: [cluster({ workloads: [], pods: [], problems: [] })],
        }),
      getEntityDiagnostics: async () => diagnostics,
    });
    await renderContent(api);
    expect(
      await screen.findByText('No Kubernetes objects found for this entity'),
    ).toBeInTheDocument();
    const panel = await screen.findByTestId('diagnostics');
    expect(panel).toHaveTextContent('3 matching objects in other namespaces');
    expect(panel).toHaveTextContent('forbidden pods: pods is forbidden');
  });

  it('refetches when the backend signals a change, without polling', async () => {
    let push: (m: any) => void = () => {};
    const signals: SignalApi = {
      subscribe: (_channel, onMessage) => {
        push = onMessage;
        return { unsubscribe: () => {} };
      },
    };
    const getEntityStatus = jest
      .fn()
      .mockResolvedValueOnce(status())
      .mockResolvedValue(
        status({
          clusters: [
            cluster({
              workloads: [
                {
                  ...cluster().workloads[0],
                  updated: 4,
                  ready: 4,
                  available: 4,
                  rollout: {
                    state: 'complete',
                    observed: true,
                    progressDeadlineExceeded: false,
                    oldReplicaSets: [],
                  },
                },
              ],
            }),
          ],
        }),
      );
    await renderContent(apiWith({ getEntityStatus }), signals);
    expect(
      await screen.findByTestId('rollout-orders-service'),
    ).toHaveTextContent('2/4 updated');
    expect(screen.getByText(/Live updates/)).toBeInTheDocument();
    act(() =>
      push({
        entityRef: 'component:default/orders-service',
        clusters: ['prod-eu-1'],
        changedAt: 'now',
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('rollout-orders-service')).toHaveTextContent(
        'complete: 4/4 updated',
      ),
    );
    expect(getEntityStatus).toHaveBeenCalledTimes(2);
  });
});
