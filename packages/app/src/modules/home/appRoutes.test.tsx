import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import homePlugin from '@backstage/plugin-home/alpha';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import searchPlugin from '@backstage/plugin-search/alpha';
import { screen } from '@testing-library/react';
import { parse } from 'yaml';
import { scaledMs } from '@paved/test-timing';
import { homeModule } from './homeModule';

/*
 * The app's real routing config: app-config.yaml's `app.extensions`, with the
 * home plugin, Paved's home module and the catalog, as the app installs them.
 * Catches the regressions of issue 13: the catalog mounted at `/` (so
 * `/catalog` was a 404) and a home page with no widgets.
 */
const appConfig = parse(
  readFileSync(resolve(__dirname, '../../../../../app-config.yaml'), 'utf8'),
);

const renderAt = (path: string) =>
  renderTestApp({
    // Search too: the search widget links to its page.
    features: [homePlugin, homeModule, catalogPlugin, searchPlugin],
    config: {
      app: {
        baseUrl: 'http://localhost:3000',
        extensions: appConfig.app.extensions,
      },
      backend: { baseUrl: 'http://localhost:7007' },
      organization: { name: 'Paved' },
    },
    initialRouteEntries: [path],
    apis: [
      mockApis.identity({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: [
          'user:default/guest',
          'group:default/team-commerce',
        ],
      }),
      [catalogApiRef, catalogApiMock({ entities: [] })],
      // The scaffolder plugin is not installed here; its API is, for the runs.
      [
        scaffolderApiRef,
        {
          listTasks: async () => ({ tasks: [] }),
        } as unknown as (typeof scaffolderApiRef)['T'],
      ],
    ],
  });

// Pages and widgets load lazily, and a cold first render on a loaded CI
// machine takes longer than findBy's default second.
const slow = { timeout: scaledMs(15_000) };

jest.setTimeout(scaledMs(30_000));

describe('app routes', () => {
  it('shows the Paved home page with its widgets at /', async () => {
    renderAt('/');

    expect(
      await screen.findByRole('heading', { name: 'Welcome to Paved' }, slow),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'Getting started' }, slow),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'My services' }, slow),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Recent golden-path runs' },
        slow,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No widgets added/)).not.toBeInTheDocument();
    // Upstream examples disabled in app-config.yaml stay off the page.
    expect(screen.queryByText('Random Joke')).not.toBeInTheDocument();
  });

  it('shows the catalog at /catalog', async () => {
    renderAt('/catalog');

    expect(
      await screen.findByRole('heading', { name: 'Paved Catalog' }, slow),
    ).toBeInTheDocument();
  });

  it('sends the old /home address to the home page', async () => {
    renderAt('/home');

    expect(
      await screen.findByRole('heading', { name: 'Welcome to Paved' }, slow),
    ).toBeInTheDocument();
  });
});
