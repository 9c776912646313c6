import { screen, waitFor, within } from '@testing-library/react';
import userEventLib from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  ComplianceListQuery,
  ComplianceListResponse,
  NO_POLICY_ENGINE_MESSAGE,
} from '@paved/plugin-policy-common';
import { PolicyApi } from '../api/PolicyApi';
import {
  listItem,
  minutesAgo,
  mockPolicyApi,
  mountedRoutes,
  Providers,
} from '../__testUtils__/fixtures';
import { FleetTab } from './FleetTab';

const TOTAL = 60;
const userEvent = userEventLib.setup({ delay: null });

/** A fleet of 60 entities, paginated like the backend (rendering only the first 3 rows of a page, to keep the test fast). */
const fleetPage = async (
  query: ComplianceListQuery = {},
): Promise<ComplianceListResponse> => {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const items = Array.from(
    { length: Math.max(0, Math.min(3, limit, TOTAL - offset)) },
    (_, i) => listItem(`service-${offset + i}`),
  );
  return {
    engine: { configured: true },
    items,
    totalCount: TOTAL,
    offset,
    limit,
  };
};

async function renderFleet(
  over: Partial<PolicyApi> = {},
  path = '/',
  identityError?: Error,
) {
  const api = mockPolicyApi({
    getCompliance: fleetPage,
    getTrend: async () => ({ points: [] }),
    getEngineHealth: async () => ({
      engine: { configured: true, reachable: true },
    }),
    ...over,
  });
  await renderInTestApp(
    <Providers api={api} identityError={identityError}>
      <FleetTab />
    </Providers>,
    { mountedRoutes, initialRouteEntries: [path] },
  );
  return api;
}

const lastQuery = (api: jest.Mocked<PolicyApi>) =>
  api.getCompliance.mock.calls[api.getCompliance.mock.calls.length - 1][0];

async function choose(label: string, option: string) {
  await userEvent.click(
    screen.getByRole('button', { name: new RegExp(`^${label}`) }),
  );
  await userEvent.click(await screen.findByRole('option', { name: option }));
  await userEvent.keyboard('{Escape}');
}

describe('FleetTab', () => {
  it('lists the first page of the fleet with compliance, counts, evaluation and stale markers', async () => {
    const api = await renderFleet({
      getCompliance: async () => ({
        engine: { configured: true },
        items: [
          listItem('orders', { title: 'Orders service' }),
          listItem('billing', {
            compliance: {
              status: 'passing',
              counts: { error: 0, warning: 0, info: 2 },
            },
            stale: { since: minutesAgo(20), error: 'connect ECONNREFUSED' },
          }),
        ],
        totalCount: 2,
        offset: 0,
        limit: 25,
      }),
    });
    const rows = await screen.findAllByTestId('fleet-row');
    expect(api.getCompliance).toHaveBeenCalledWith({ offset: 0, limit: 25 });
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByText('Orders service').closest('a'),
    ).toHaveAttribute('href', '/catalog/default/component/orders');
    expect(rows[0]).toHaveTextContent('Failing');
    expect(rows[0]).toHaveTextContent('team-a');
    expect(rows[0]).toHaveTextContent('10 minutes ago');
    expect(rows[0]).toHaveTextContent('revision rev-2026-11-25');
    expect(
      within(rows[0]).queryByTestId('stale-marker'),
    ).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Passing');
    expect(within(rows[1]).getByTestId('stale-marker')).toBeInTheDocument();
    // headers never wrap ("Complian ce"), entity names wrap at spaces only
    for (const header of ['Compliance', 'Errors', 'Warnings']) {
      expect(screen.getByRole('columnheader', { name: header })).toHaveStyle({
        whiteSpace: 'nowrap',
        wordBreak: 'normal',
      });
    }
    expect(
      within(rows[0]).getByText('Orders service').closest('td'),
    ).toHaveStyle({ wordBreak: 'normal', overflowWrap: 'normal' });
  });

  it('asks the server for the next page and for a larger page size', async () => {
    const api = await renderFleet();
    expect(await screen.findAllByTestId('fleet-row')).toHaveLength(3);
    expect(screen.getByText('1-25 of 60')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ offset: 25, limit: 25 }),
    );
    expect(await screen.findByText('26-50 of 60')).toBeInTheDocument();
    expect(screen.getByText('service-25')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: /Rows per page/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: '50' }));
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ offset: 0, limit: 50 }),
    );
    expect(await screen.findByText('1-50 of 60')).toBeInTheDocument();
  });

  it('sends owner, system, kind, level and source filters and goes back to the first page', async () => {
    const api = await renderFleet();
    await screen.findAllByTestId('fleet-row');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(lastQuery(api)?.offset).toBe(25));

    await userEvent.type(
      screen.getByLabelText('Owner'),
      'group:default/team-b{enter}',
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        owner: ['group:default/team-b'],
        offset: 0,
        limit: 25,
      }),
    );
    await userEvent.type(screen.getByLabelText('System'), 'shop{enter}');
    await choose('Kind', 'API');
    await choose('Level', 'error');
    await choose('Level', 'warning');
    await choose('Source', 'gatekeeper');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        owner: ['group:default/team-b'],
        system: ['shop'],
        kind: ['API'],
        level: ['error', 'warning'],
        source: ['gatekeeper'],
        offset: 0,
        limit: 25,
      }),
    );
  });

  it("'my teams' filters by the user's ownership refs and charts their trend", async () => {
    const api = await renderFleet({
      getTrend: async query => ({
        owner: query?.owner,
        points: [
          {
            runId: 1,
            at: minutesAgo(60),
            entities: 3,
            failing: 1,
            counts:
              query?.owner === 'group:default/team-a'
                ? { error: 2, warning: 1, info: 0 }
                : { error: 1, warning: 0, info: 0 },
          },
        ],
      }),
    });
    await screen.findAllByTestId('fleet-row');
    expect(api.getTrend).toHaveBeenCalledWith();
    await userEvent.click(screen.getByRole('checkbox', { name: 'My teams' }));
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        owner: ['user:default/jane', 'group:default/team-a'],
        offset: 0,
        limit: 25,
      }),
    );
    expect(screen.getByLabelText('Owner')).toBeDisabled();
    await waitFor(() =>
      expect(api.getTrend).toHaveBeenCalledWith({
        owner: 'group:default/team-a',
      }),
    );
    expect(api.getTrend).toHaveBeenCalledWith({ owner: 'user:default/jane' });
    expect(
      await screen.findByText('Violations over time: my teams'),
    ).toBeInTheDocument();
    // summed over both owners
    expect(await screen.findByTestId('legend-error')).toHaveTextContent(
      '3 errors',
    );
    expect(screen.getByTestId('legend-failing')).toHaveTextContent(
      '2 failing entities',
    );
  });

  it('explains an empty page when filters match nothing', async () => {
    await renderFleet({
      getCompliance: async q => ({
        engine: { configured: true },
        items: [],
        totalCount: q?.level ? 0 : 1,
        offset: 0,
        limit: 25,
      }),
    });
    await choose('Level', 'info');
    expect(
      await screen.findByText('No entities match these filters'),
    ).toBeInTheDocument();
  });

  it('explains an empty fleet before the first run', async () => {
    await renderFleet({
      getCompliance: async () => ({
        engine: { configured: true },
        items: [],
        totalCount: 0,
        offset: 0,
        limit: 25,
      }),
    });
    expect(
      await screen.findByText('No evaluated entities yet'),
    ).toBeInTheDocument();
  });

  it('says no policy engine is configured', async () => {
    await renderFleet({
      getCompliance: async () => ({
        engine: { configured: false, message: NO_POLICY_ENGINE_MESSAGE },
        items: [],
        totalCount: 0,
        offset: 0,
        limit: 25,
      }),
      getEngineHealth: async () => ({
        engine: { configured: false, message: NO_POLICY_ENGINE_MESSAGE },
      }),
    });
    // The configuration advice once (the engine panel), not again in the fleet.
    expect(
      await screen.findByText('No fleet results without a policy engine'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByTestId('engine-not-configured')).toHaveLength(1),
    );
    expect(screen.queryAllByTestId('fleet-row')).toHaveLength(0);
    // No filters that would only look active.
    expect(screen.queryByLabelText(/My teams/i)).not.toBeInTheDocument();
  });

  it('shows the error of the fleet list and keeps the other panels', async () => {
    await renderFleet({
      getCompliance: async () => {
        throw new Error('compliance query failed');
      },
      getEngineHealth: async () => ({
        engine: { configured: true, reachable: true, activeRevision: 'rev-9' },
      }),
    });
    expect(
      (await screen.findAllByText(/compliance query failed/))[0],
    ).toBeInTheDocument();
    expect(await screen.findByText('rev-9')).toBeInTheDocument();
  });

  it('reads filters and page from the URL, and never asks for the whole fleet under my teams', async () => {
    const api = await renderFleet(
      {},
      '/?level=error&level=bogus&source=workload&mine=true&offset=50&limit=50',
    );
    await screen.findAllByTestId('fleet-row');
    expect(api.getCompliance.mock.calls.map(c => c[0])).toEqual([
      {
        owner: ['user:default/jane', 'group:default/team-a'],
        level: ['error'],
        source: ['workload'],
        offset: 50,
        limit: 50,
      },
    ]);
    expect(screen.getByRole('checkbox', { name: 'My teams' })).toBeChecked();
    expect(screen.getByText('51-60 of 60')).toBeInTheDocument();
  });

  it("shows why 'my teams' cannot be applied instead of the whole fleet", async () => {
    const api = await renderFleet(
      {},
      '/?mine=true',
      new Error('identity unavailable'),
    );
    expect(
      (await screen.findAllByText(/identity unavailable/))[0],
    ).toBeInTheDocument();
    expect(api.getCompliance).not.toHaveBeenCalled();
    expect(screen.queryAllByTestId('fleet-row')).toHaveLength(0);
  });
});
