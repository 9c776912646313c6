import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { PolicyModule } from '@paved/plugin-policy-common';
import plugin from './index';
import alphaPlugin from './alpha';
import { policyApiRef } from './api/PolicyApi';
import {
  entity,
  finding,
  findings,
  mockPolicyApi,
} from './__testUtils__/fixtures';
import { complianceRouteRef } from './routes';
import { EntityPoliciesContent } from './components/EntityPoliciesContent';
import { scaledMs } from '@paved/test-timing';

const workloadModule: PolicyModule = {
  id: 'policies/workload/workload.rego',
  packageName: 'paved.workload',
  raw: 'package paved.workload\n\nviolations contains v if {\n  false\n}',
  rules: [
    {
      policy: 'paved.workload/violations',
      name: 'violations',
      line: 3,
      flaggedEntities: [],
    },
  ],
};

const api = () =>
  mockPolicyApi({
    getPolicies: async () => ({
      engine: { configured: true, reachable: true },
      modules: [workloadModule],
    }),
    getCompliance: async () => ({
      engine: { configured: true },
      items: [],
      totalCount: 0,
      offset: 0,
      limit: 25,
    }),
    getTrend: async () => ({ points: [] }),
    getEngineHealth: async () => ({
      engine: { configured: true, reachable: true },
    }),
  });

describe('policy plugin (new frontend system)', () => {
  it('is the default export of the package, and the same plugin at /alpha', () => {
    expect(alphaPlugin).toBe(plugin);
    expect(plugin.id).toBe('policy');
  });

  it("mounts the Compliance page at /compliance with a 'Compliance' sidebar item", async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/compliance'],
      apis: [[policyApiRef, api()]],
    });
    // the page is lazy-loaded: the first load compiles it
    expect(
      await screen.findByText('No evaluated entities yet', undefined, {
        timeout: scaledMs(15_000),
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Compliance' })).toHaveAttribute(
      'href',
      '/compliance',
    );
    expect(
      screen.getByRole('tab', { name: 'Policy library' }),
    ).toBeInTheDocument();
  });

  it('resolves library links to the Policy library tab', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: [
        '/compliance/library?policy=paved.workload%2Fviolations',
      ],
      apis: [[policyApiRef, api()]],
    });
    const source = await screen.findByTestId('rego-source');
    expect(source.querySelector('[data-highlighted]')).toHaveAttribute(
      'data-line',
      '3',
    );
  });

  it("provides the 'Policies' entity tab and the compliance card", () => {
    const content = createExtensionTester(
      plugin.getExtension('entity-content:policy'),
    );
    expect(content.get(coreExtensionData.routePath)).toBe('policies');
    expect(content.get(EntityContentBlueprint.dataRefs.title)).toBe('Policies');
    const card = createExtensionTester(
      plugin.getExtension('entity-card:policy/compliance'),
    );
    expect(card.get(coreExtensionData.reactElement)).toBeDefined();
    expect(plugin.getExtension('api:policy')).toBeDefined();
  });

  it('links findings to the Policy library through the new route resolution', async () => {
    const policyApi = mockPolicyApi({
      getEntityFindings: async () =>
        findings({
          compliance: {
            status: 'failing',
            counts: { error: 1, warning: 0, info: 0 },
          },
          findings: [finding()],
        }),
    });
    renderInTestApp(
      <EntityProvider entity={entity}>
        <EntityPoliciesContent />
      </EntityProvider>,
      {
        apis: [[policyApiRef, policyApi]],
        mountedRoutes: {
          '/compliance': complianceRouteRef,
        },
      },
    );
    expect(
      (await screen.findByText('paved.catalog/violations')).closest('a'),
    ).toHaveAttribute(
      'href',
      '/compliance/library?policy=paved.catalog%2Fviolations&rule=owner-resolvable',
    );
  });

  it('shows rules without a link when the app does not mount the Compliance page', async () => {
    const policyApi = mockPolicyApi({
      getEntityFindings: async () =>
        findings({
          compliance: {
            status: 'failing',
            counts: { error: 1, warning: 0, info: 0 },
          },
          findings: [finding()],
        }),
    });
    renderInTestApp(
      <EntityProvider entity={entity}>
        <EntityPoliciesContent />
      </EntityProvider>,
      { apis: [[policyApiRef, policyApi]] },
    );
    expect(
      (await screen.findByText('paved.catalog/violations')).closest('a'),
    ).toBeNull();
  });
});
