import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin from './index';
import alphaPlugin from './alpha';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from './api/KubernetesStatusApi';

const api = (): KubernetesStatusApi => ({
  getEntityStatus: jest.fn(),
  getEntityDiagnostics: jest.fn(),
  getClusters: jest.fn(async () => ({ clusters: [] })),
  getPodLogs: jest.fn(),
});

describe('kubernetes-status plugin (new frontend system)', () => {
  it('is the default export of the package, and the same plugin at /alpha', () => {
    expect(alphaPlugin).toBe(plugin);
    expect(plugin.id).toBe('kubernetes-status');
    expect(plugin.getExtension('api:kubernetes-status')).toBeDefined();
    expect(
      plugin.getExtension('entity-card:kubernetes-status/health'),
    ).toBeDefined();
  });

  it("provides the 'Kubernetes' entity tab", () => {
    const content = createExtensionTester(
      plugin.getExtension('entity-content:kubernetes-status'),
    );
    expect(content.get(coreExtensionData.routePath)).toBe('kubernetes');
    expect(content.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Kubernetes',
    );
  });

  it("mounts the Clusters page at /kubernetes-clusters with a 'Clusters' sidebar item", async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/kubernetes-clusters'],
      apis: [[kubernetesStatusApiRef, api()]],
    });
    expect(
      await screen.findByText('No clusters configured', undefined, {
        timeout: 15_000,
      }),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('link', { name: 'Clusters' })
        .map(link => link.getAttribute('href')),
    ).toContain('/kubernetes-clusters');
  }, 30_000);
});
