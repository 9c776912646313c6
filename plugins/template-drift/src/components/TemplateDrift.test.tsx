import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TemplateDriftCard } from './TemplateDriftCard';
import { TemplateDriftPage } from './TemplateDriftPage';

const template = (name: string, version: string): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name, annotations: { 'paved.dev/template-version': version } },
  spec: {},
});
const component = (
  name: string,
  templateName: string,
  version: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'paved.dev/template': templateName,
      'paved.dev/template-version': version,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

const entities = [
  template('python-llm-api', '1.2.0'),
  template('go-grpc-service', '2.0.0'),
  component('review-analyzer', 'python-llm-api', '1.0.0'),
  component('inventory', 'go-grpc-service', '2.0.0'),
  component('legacy', 'go-grpc-service', '1.4.0'),
  component('orphan', 'removed-template', '1.0.0'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'hand-made' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  } as Entity,
];

describe('TemplateDriftCard', () => {
  it('shows the version gap of an entity behind its template', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
        <EntityProvider entity={entities[2]}>
          <TemplateDriftCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Minor version behind')).toBeInTheDocument();
    expect(
      screen.getByText('1.0.0 → 1.2.0', { exact: false }),
    ).toBeInTheDocument();
  });

  it('says why the gap is unknown when the template is gone', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
        <EntityProvider entity={entities[5]}>
          <TemplateDriftCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(
        'Template removed-template is not in the catalog.',
        { exact: false },
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the catalog fails', async () => {
    const failing = catalogApiMock.mock({
      getEntityByRef: async () => {
        throw new Error('catalog is down');
      },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, failing]]}>
        <EntityProvider entity={entities[2]}>
          <TemplateDriftCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      (await screen.findAllByText(/catalog is down/)).length,
    ).toBeGreaterThan(0);
  });
});

describe('TemplateDriftPage', () => {
  it('lists entities created from templates, most behind first, and counts those behind', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
        <TemplateDriftPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('2 of 4 entities are behind their template.'),
    ).toBeInTheDocument();
    const rows = screen.getAllByRole('row').map(r => r.textContent ?? '');
    const order = ['legacy', 'review-analyzer', 'orphan', 'inventory'].map(
      name => rows.findIndex(r => r.includes(name)),
    );
    expect(order.every(i => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(screen.getByText('Major version behind')).toBeInTheDocument();
    expect(rows.some(r => r.includes('hand-made'))).toBe(false);
  });

  it('explains an empty catalog', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[catalogApiRef, catalogApiMock({ entities: [entities[0]] })]]}
      >
        <TemplateDriftPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('No entity records a template'),
    ).toBeInTheDocument();
  });
});
