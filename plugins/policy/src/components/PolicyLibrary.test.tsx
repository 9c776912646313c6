import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  NO_POLICY_ENGINE_MESSAGE,
  PoliciesResponse,
  PolicyModule,
} from '@paved/plugin-policy-common';
import {
  mockPolicyApi,
  mountedRoutes,
  Providers,
} from '../__testUtils__/fixtures';
import { linesNaming, PolicyLibrary } from './PolicyLibrary';
import { CompliancePage } from './CompliancePage';

const catalogModule: PolicyModule = {
  id: 'policies/catalog/catalog.rego',
  packageName: 'paved.catalog',
  title: 'Catalog rules',
  description: 'Rules every catalog entity must follow.',
  raw: [
    '# METADATA',
    '# title: Catalog rules',
    'package paved.catalog',
    '',
    'import rego.v1',
    '',
    '# METADATA',
    '# title: Owner is set',
    '# custom:',
    '#   id: owner-set',
    'violations contains v if {',
    '  not input.entity.spec.owner',
    '  v := {"id": "owner-set", "level": "error", "message": "No owner"}',
    '}',
  ].join('\n'),
  rules: [
    {
      policy: 'paved.catalog/violations',
      name: 'violations',
      title: 'Owner is set',
      description: 'Every entity names its owner.',
      line: 11,
      flaggedEntities: [
        'component:default/orders',
        'component:default/billing',
      ],
    },
  ],
};

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

async function renderLibrary(
  response: () => Promise<PoliciesResponse>,
  path = '/',
) {
  const api = mockPolicyApi({ getPolicies: response });
  await renderInTestApp(
    <Providers api={api}>
      <PolicyLibrary />
    </Providers>,
    { mountedRoutes, initialRouteEntries: [path] },
  );
  return api;
}

describe('linesNaming', () => {
  it('finds a finding id in a rule body and in METADATA custom.id', () => {
    expect(linesNaming(catalogModule.raw, 'owner-set')).toEqual([10, 13]);
    expect(linesNaming(catalogModule.raw, 'owner')).toEqual([]);
  });
});

describe('PolicyLibrary', () => {
  it('lists modules; expanding one shows rules with METADATA, flagged entities and highlighted Rego', async () => {
    await renderLibrary(async () => ({
      engine: { configured: true, reachable: true },
      modules: [catalogModule, workloadModule],
    }));
    const [catalog, workload] = await screen.findAllByTestId('policy-module');
    expect(catalog).toHaveTextContent('paved.catalog: Catalog rules');
    expect(catalog).toHaveTextContent(
      'policies/catalog/catalog.rego · 1 rule(s) · flags 2 entities',
    );
    expect(workload).toHaveTextContent('flags 0 entities');
    expect(screen.queryByTestId('rego-source')).not.toBeInTheDocument();

    await userEvent.click(catalog);
    const rule = await screen.findByTestId('policy-rule');
    expect(rule).toHaveTextContent('Owner is set');
    expect(rule).toHaveTextContent('Every entity names its owner.');
    expect(rule).toHaveTextContent('line 11');
    expect(within(rule).getByText('orders').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/orders',
    );
    const source = screen.getByTestId('rego-source');
    expect(source).toHaveTextContent('violations contains v if {');
    expect(within(source).getAllByText('contains')[0]).toHaveAttribute(
      'data-token',
      'keyword',
    );
    expect(within(source).getByText('# title: Owner is set')).toHaveAttribute(
      'data-token',
      'comment',
    );
    expect(source.querySelectorAll('[data-highlighted]')).toHaveLength(0);
    expect(
      screen.getByText('Rules every catalog entity must follow.'),
    ).toBeInTheDocument();
  });

  it('opens the module of a linked rule and highlights its head and the finding id', async () => {
    await renderLibrary(
      async () => ({
        engine: { configured: true, reachable: true },
        modules: [catalogModule, workloadModule],
      }),
      '/?policy=paved.catalog%2Fviolations&rule=owner-set',
    );
    const source = await screen.findByTestId('rego-source');
    const highlighted = [...source.querySelectorAll('[data-highlighted]')].map(
      el => el.getAttribute('data-line'),
    );
    expect(highlighted).toEqual(['10', '11', '13']);
    expect(screen.getAllByTestId('rego-source')).toHaveLength(1);
  });

  it('warns when the linked rule is no longer loaded', async () => {
    await renderLibrary(
      async () => ({
        engine: { configured: true, reachable: true },
        modules: [workloadModule],
      }),
      '/?policy=paved.catalog%2Fremoved',
    );
    expect(await screen.findByTestId('unknown-policy')).toHaveTextContent(
      'No loaded module defines paved.catalog/removed',
    );
  });

  it('explains an engine with no modules loaded', async () => {
    await renderLibrary(async () => ({
      engine: { configured: true, reachable: true },
      modules: [],
    }));
    expect(
      await screen.findByText('No policy modules loaded'),
    ).toBeInTheDocument();
  });

  it('says the engine is unreachable', async () => {
    await renderLibrary(async () => ({
      engine: {
        configured: true,
        reachable: false,
        error: 'OPA timeout after 3000 ms',
      },
      modules: [],
    }));
    expect(await screen.findByTestId('library-unreachable')).toHaveTextContent(
      'OPA timeout after 3000 ms',
    );
  });

  it('says no policy engine is configured', async () => {
    await renderLibrary(async () => ({
      engine: { configured: false, message: NO_POLICY_ENGINE_MESSAGE },
      modules: [],
    }));
    expect(
      await screen.findByTestId('engine-not-configured'),
    ).toBeInTheDocument();
  });

  it('shows progress, then the backend error', async () => {
    let fail: (e: Error) => void = () => {};
    await renderLibrary(
      () => new Promise((_resolve, reject) => (fail = reject)),
    );
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    fail(new Error('policies unavailable'));
    expect(
      (await screen.findAllByText(/policies unavailable/))[0],
    ).toBeInTheDocument();
  });
});

describe('CompliancePage', () => {
  it('has a Fleet tab and a Policy library tab', async () => {
    const api = mockPolicyApi({
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
    await renderInTestApp(
      <Providers api={api}>
        <CompliancePage />
      </Providers>,
      { mountedRoutes },
    );
    expect(
      await screen.findByText('No evaluated entities yet'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Policy library' }));
    expect(await screen.findByTestId('policy-module')).toHaveTextContent(
      'paved.workload',
    );
    expect(api.getPolicies).toHaveBeenCalledTimes(1);
  });
});
