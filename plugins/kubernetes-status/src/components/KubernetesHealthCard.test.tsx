import { screen } from '@testing-library/react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import type { EntityStatusResponse } from '@paved/plugin-kubernetes-status-common';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '../api/KubernetesStatusApi';
import { KubernetesHealthCard } from './KubernetesHealthCard';

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

const healthy: EntityStatusResponse = {
  entityRef: 'component:default/orders-service',
  selector: { labelSelector: 'backstage.io/kubernetes-id=orders-service' },
  health: 'ok',
  clusters: [
    {
      cluster: { name: 'prod-eu-1', simulated: true },
      health: 'ok',
      freshness: { lastSyncAt: new Date().toISOString(), stale: false },
      errors: [],
      workloads: [],
      pods: [],
      events: [],
      resources: [],
      gitops: [],
      problems: [],
    },
  ],
  drift: [],
  generatedAt: new Date().toISOString(),
};

async function renderCard(
  getEntityStatus: () => Promise<EntityStatusResponse>,
) {
  const api: KubernetesStatusApi = {
    getEntityStatus: jest.fn(getEntityStatus),
    getEntityDiagnostics: jest.fn(),
    getClusters: jest.fn(),
    getPodLogs: jest.fn(),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[kubernetesStatusApiRef, api]]}>
      <EntityProvider entity={entity}>
        <KubernetesHealthCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('KubernetesHealthCard', () => {
  it('links to the Kubernetes tab of its entity and labels simulated data', async () => {
    await renderCard(async () => healthy);
    expect(await screen.findByText('prod-eu-1:')).toBeInTheDocument();
    expect(screen.getByText(/\(simulated data\)/)).toBeInTheDocument();
    expect(
      screen.getByText('View Kubernetes status').closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service/kubernetes',
    );
  });

  it('keeps the link when the backend fails, so the tab can explain', async () => {
    const response = new Response(
      '{"error":{"name":"Error","message":"boom"}}',
      {
        status: 500,
        statusText: 'Internal Server Error',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await renderCard(async () => Promise.reject(error));
    expect(await screen.findByText(/boom/)).toBeInTheDocument();
    expect(
      screen.getByText('View Kubernetes status').closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service/kubernetes',
    );
  });
});
