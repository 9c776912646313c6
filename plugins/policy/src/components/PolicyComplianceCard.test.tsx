import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityFindingsResponse } from '@paved/plugin-policy-common';
import {
  findings,
  minutesAgo,
  mockPolicyApi,
  mountedRoutes,
  notConfigured,
  Providers,
  backendError,
} from '../__testUtils__/fixtures';
import { PolicyComplianceCard } from './PolicyComplianceCard';

async function renderCard(
  getEntityFindings: () => Promise<EntityFindingsResponse>,
) {
  const api = mockPolicyApi({ getEntityFindings: jest.fn(getEntityFindings) });
  await renderInTestApp(
    <Providers api={api}>
      <PolicyComplianceCard />
    </Providers>,
    { mountedRoutes },
  );
  return api;
}

describe('PolicyComplianceCard', () => {
  it('shows progress while loading and asks for the current entity', async () => {
    const api = await renderCard(() => new Promise(() => {}));
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(api.getEntityFindings).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-service',
    });
  });

  it('shows a failing entity with counts per level, when and under which revision', async () => {
    await renderCard(async () =>
      findings({
        compliance: {
          status: 'failing',
          counts: { error: 2, warning: 1, info: 3 },
        },
        evaluatedAt: minutesAgo(5),
        policyRevision: 'bundle-7f3a9c0d21e4b5',
      }),
    );
    expect(await screen.findByText('Failing')).toBeInTheDocument();
    expect(screen.getByText('2 errors, 1 warning, 3 info')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Evaluated 5 minutes ago .* under policy revision bundle-7f3a9/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('stale-results')).not.toBeInTheDocument();
    expect(screen.getByText('View findings').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service/policies',
    );
  });

  it.each([
    ['passing', 'Passing'],
    ['warnings', 'Warnings'],
  ] as const)('shows a %s entity', async (status, label) => {
    await renderCard(async () =>
      findings({
        compliance: {
          status,
          counts: { error: 0, warning: status === 'warnings' ? 1 : 0, info: 0 },
        },
      }),
    );
    expect(await screen.findByText(label)).toBeInTheDocument();
  });

  it('shows unknown with its reason, never passing, when the engine failed without earlier results', async () => {
    await renderCard(async () =>
      findings({
        compliance: {
          status: 'unknown',
          counts: { error: 0, warning: 0, info: 0 },
          reason: 'engine-error',
          reasonMessage: 'OPA did not answer within 3000 ms',
        },
        evaluatedAt: undefined,
      }),
    );
    expect(
      await screen.findByText('Unknown (policy engine error)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('OPA did not answer within 3000 ms'),
    ).toBeInTheDocument();
    expect(screen.getByText('Never evaluated')).toBeInTheDocument();
    expect(screen.queryByText('Passing')).not.toBeInTheDocument();
  });

  it('marks old results stale when the engine has been failing since', async () => {
    await renderCard(async () =>
      findings({
        compliance: {
          status: 'warnings',
          counts: { error: 0, warning: 1, info: 0 },
        },
        evaluatedAt: minutesAgo(120),
        stale: {
          since: minutesAgo(30),
          error: 'connect ECONNREFUSED 127.0.0.1:8181',
        },
      }),
    );
    const stale = await screen.findByTestId('stale-results');
    expect(stale).toHaveTextContent(
      'Evaluation has failed since 30 minutes ago: connect ECONNREFUSED 127.0.0.1:8181',
    );
    expect(stale).toHaveTextContent(
      'Showing the results of the last successful evaluation, 2 hours ago.',
    );
    expect(screen.getByText('Warnings')).toBeInTheDocument();
  });

  it('tells the reader that policy checks are not set up, without configuration keys', async () => {
    await renderCard(async () => notConfigured());
    expect(
      await screen.findByText('Policy checks are not set up in this portal'),
    ).toBeInTheDocument();
    expect(screen.getByText(/neither passing nor failing/)).toBeInTheDocument();
    expect(screen.queryByText(/policy\.opa\.baseUrl/)).not.toBeInTheDocument();
    expect(screen.queryByText(/Passing|Failing/)).not.toBeInTheDocument();
    expect(screen.queryByText('View findings')).not.toBeInTheDocument();
  });

  it('says the entity was not evaluated yet', async () => {
    await renderCard(async () =>
      findings({
        compliance: {
          status: 'unknown',
          counts: { error: 0, warning: 0, info: 0 },
          reason: 'not-evaluated',
          reasonMessage:
            'Not evaluated yet: the next policy run will evaluate it.',
        },
        evaluatedAt: undefined,
        policyRevision: undefined,
      }),
    );
    expect(
      await screen.findByText('Unknown (not evaluated yet)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Not evaluated yet: the next policy run will evaluate it.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderCard(async () => {
      throw await backendError(
        403,
        'NotAllowedError',
        'Not allowed: policy.entity.findings.read',
      );
    });
    expect(
      (
        await screen.findAllByText(/Not allowed: policy.entity.findings.read/)
      )[0],
    ).toBeInTheDocument();
  });
});
