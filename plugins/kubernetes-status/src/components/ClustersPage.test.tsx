import { screen } from '@testing-library/react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ClustersResponse } from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '../api/KubernetesStatusApi';
import { clusterLabel, ClustersPage } from './ClustersPage';
import { KubernetesHealthCard } from './KubernetesHealthCard';

const api = (over: Partial<KubernetesStatusApi>) =>
  ({
    getEntityStatus: jest.fn(),
    getEntityDiagnostics: jest.fn(),
    getClusters: jest.fn(),
    getPodLogs: jest.fn(),
    ...over,
  } as KubernetesStatusApi);

describe('ClustersPage', () => {
  it('lists clusters with version, nodes, pods, and errors of an unreachable one', async () => {
    const clusters: ClustersResponse = {
      clusters: [
        {
          cluster: { name: 'demo-prod-eu-1', simulated: true },
          reachable: true,
          version: 'v1.31.0+paved-simulator',
          nodeCount: 3,
          podsByPhase: { Running: 12, Pending: 1 },
          freshness: { stale: false, lastSyncAt: new Date().toISOString() },
          errors: [],
        },
        {
          cluster: { name: 'prod-us-1', simulated: false },
          reachable: false,
          podsByPhase: {},
          freshness: { stale: true },
          errors: [
            {
              type: 'unreachable',
              message: 'connect ECONNREFUSED',
              since: new Date().toISOString(),
            },
          ],
        },
      ],
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kubernetesStatusApiRef, api({ getClusters: async () => clusters })],
        ]}
      >
        <ClustersPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('demo-prod-eu-1 (simulated)'),
    ).toBeInTheDocument();
    expect(screen.getByText('v1.31.0+paved-simulator')).toBeInTheDocument();
    expect(screen.getByText('12 Running, 1 Pending')).toBeInTheDocument();
    expect(
      screen.getByText('unreachable: connect ECONNREFUSED'),
    ).toBeInTheDocument();
    expect(screen.getByText('Failing')).toBeInTheDocument();
  });

  it('labels a simulated cluster "(simulated)" once, also when its title already says so', async () => {
    const overview = (
      cluster: ClustersResponse['clusters'][number]['cluster'],
    ): ClustersResponse['clusters'][number] => ({
      cluster,
      reachable: true,
      podsByPhase: {},
      freshness: { stale: false, lastSyncAt: new Date().toISOString() },
      errors: [],
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kubernetesStatusApiRef,
            api({
              getClusters: async () => ({
                clusters: [
                  // Titles as the demo configuration used to set them.
                  overview({
                    name: 'demo-prod-eu-1',
                    title: 'demo-prod-eu-1 (simulated)',
                    simulated: true,
                  }),
                  overview({ name: 'demo-staging-eu-1', simulated: true }),
                  overview({
                    name: 'prod-us-1',
                    title: 'US',
                    simulated: false,
                  }),
                ],
              }),
            }),
          ],
        ]}
      >
        <ClustersPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('demo-prod-eu-1 (simulated)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('demo-staging-eu-1 (simulated)'),
    ).toBeInTheDocument();
    expect(screen.getByText('US')).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(
      /\(simulated\)\s*\(simulated\)/,
    );
  });

  it('explains how to add clusters when none is configured', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kubernetesStatusApiRef,
            api({ getClusters: async () => ({ clusters: [] }) }),
          ],
        ]}
      >
        <ClustersPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('No clusters configured'),
    ).toBeInTheDocument();
  });
});

describe('KubernetesHealthCard', () => {
  it('says why an entity without annotation has no status', async () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kubernetesStatusApiRef,
            api({
              getEntityStatus: async () => ({
                entityRef: 'component:default/x',
                reason: 'This entity has no Kubernetes annotation.',
                health: 'unknown',
                clusters: [],
                drift: [],
                generatedAt: new Date().toISOString(),
              }),
            }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <KubernetesHealthCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('This entity has no Kubernetes annotation.'),
    ).toBeInTheDocument();
  });
});

describe('clusterLabel', () => {
  it('adds the label only to simulated clusters, whatever their title says', () => {
    expect(
      clusterLabel({ name: 'a', title: 'A (Simulated) ', simulated: true }),
    ).toBe('A (simulated)');
    expect(clusterLabel({ name: 'a', simulated: true })).toBe('a (simulated)');
    expect(clusterLabel({ name: 'a', title: 'A', simulated: false })).toBe('A');
  });
});
