import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { PolicyApi } from '../api/PolicyApi';
import {
  finding,
  findings,
  minutesAgo,
  mockPolicyApi,
  mountedRoutes,
  notConfigured,
  Providers,
  backendError,
} from '../__testUtils__/fixtures';
import { EntityPoliciesContent } from './EntityPoliciesContent';

async function renderContent(api: PolicyApi, allowEvaluate = true) {
  await renderInTestApp(
    <Providers api={api} allowEvaluate={allowEvaluate}>
      <EntityPoliciesContent />
    </Providers>,
    { mountedRoutes },
  );
}

const failing = findings({
  compliance: { status: 'failing', counts: { error: 2, warning: 1, info: 0 } },
  findings: [
    finding({
      level: 'warning',
      id: 'description-present',
      message: 'No description',
    }),
    finding({
      remediation: 'Set spec.owner to an existing group',
      docsUrl: 'https://docs.example.com/policies/owner',
    }),
    finding({
      source: 'workload',
      policy: 'paved.workload/violations',
      id: 'no-latest-tag',
      message: 'Container app uses the :latest tag',
      resource: {
        kind: 'Deployment',
        namespace: 'commerce',
        name: 'orders',
        cluster: 'demo-prod-eu-1',
        simulated: true,
      },
      policyRevision: 'rev-2026-11-24',
      decisionId: 'd-123',
    }),
  ],
});

describe('EntityPoliciesContent', () => {
  it('shows progress while loading', async () => {
    await renderContent(mockPolicyApi());
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('groups findings by source with rule, level, message, remediation, docs, resource, time and revision', async () => {
    await renderContent(
      mockPolicyApi({ getEntityFindings: jest.fn(async () => failing) }),
    );
    const catalog = (await screen.findByText('Catalog rules (2)')).closest(
      '.MuiCard-root',
    ) as HTMLElement;
    const rows = within(catalog).getAllByTestId('finding');
    // errors first
    expect(rows[0]).toHaveTextContent('owner-resolvable');
    expect(rows[0]).toHaveTextContent(
      'Owner group:default/team-ghost does not exist in the catalog',
    );
    expect(rows[0]).toHaveTextContent(
      'Fix: Set spec.owner to an existing group',
    );
    expect(rows[0]).toHaveTextContent('the entity');
    expect(rows[0]).toHaveTextContent('5 minutes ago');
    expect(rows[0]).toHaveTextContent('revision rev-2026-11');
    expect(within(rows[0]).getByText('Docs').closest('a')).toHaveAttribute(
      'href',
      'https://docs.example.com/policies/owner',
    );
    expect(
      within(rows[0]).getByText('paved.catalog/violations').closest('a'),
    ).toHaveAttribute(
      'href',
      '/compliance/library?policy=paved.catalog%2Fviolations&rule=owner-resolvable',
    );
    expect(rows[1]).toHaveTextContent('description-present');
    expect(rows[1]).toHaveTextContent('warning');

    const workload = screen
      .getByText('Workload rules (live Kubernetes manifests) (1)')
      .closest('.MuiCard-root') as HTMLElement;
    const [row] = within(workload).getAllByTestId('finding');
    expect(row).toHaveTextContent(
      'Deployment/commerce/orders in cluster demo-prod-eu-1',
    );
    expect(row).toHaveTextContent('simulated cluster');
    expect(row).toHaveTextContent('revision rev-2026-11-24, decision d-123');
    expect(screen.getByTestId('simulated-findings')).toHaveTextContent(
      'demo-prod-eu-1',
    );
    expect(
      screen.getByText('No findings from: Gatekeeper audit.'),
    ).toBeInTheDocument();
  });

  it('labels decisions of the simulated OPA stand-in as simulated, and only those', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () => ({
          ...failing,
          engine: { configured: true, simulated: true },
        })),
      }),
    );
    expect(await screen.findByTestId('simulated-engine')).toHaveTextContent(
      "These answers come from Paved's simulated OPA server",
    );
  });

  it("shows the bundle OPA could not load, with each compile error's file and line", async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () => ({
          ...failing,
          engine: {
            configured: true,
            bundleErrors: [
              {
                bundle: 'paved',
                message: 'error(s) occurred while compiling module(s)',
                problems: [
                  {
                    code: 'rego_parse_error',
                    message: 'string cannot be used for rule name',
                    file: 'catalog/typo.rego',
                    row: 5,
                    col: 1,
                  },
                ],
                activeRevision: '1a2b3c4',
                reportedAt: minutesAgo(1),
                instance: 'opa-1',
              },
            ],
          },
        })),
      }),
    );
    const alert = await screen.findByTestId('engine-bundle-error');
    expect(alert).toHaveTextContent('OPA could not load policy bundle paved');
    expect(alert).toHaveTextContent(
      'catalog/typo.rego:5:1: rego_parse_error: string cannot be used for rule name',
    );
    expect(alert).toHaveTextContent(
      'OPA keeps deciding with the revision it loaded before, 1a2b3c4',
    );
    // The stored findings are still shown.
    expect(screen.getByText('Catalog rules (2)')).toBeInTheDocument();
    expect(screen.queryByTestId('simulated-engine')).not.toBeInTheDocument();
  });

  it('labels nothing as simulated when no finding comes from a simulated cluster', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () =>
          findings({
            compliance: {
              status: 'failing',
              counts: { error: 1, warning: 0, info: 0 },
            },
            findings: [
              finding({
                source: 'gatekeeper',
                policy: 'constraints.gatekeeper.sh/K8sRequiredLabels',
                id: 'must-have-team',
                policyRevision: '',
                resource: { kind: 'Pod', name: 'x', cluster: 'prod-us-1' },
              }),
            ],
          }),
        ),
      }),
    );
    expect(await screen.findByText('Gatekeeper audit (1)')).toBeInTheDocument();
    expect(screen.queryByTestId('simulated-findings')).not.toBeInTheDocument();
    expect(screen.queryByTestId('simulated-engine')).not.toBeInTheDocument();
    expect(screen.queryByText('simulated cluster')).not.toBeInTheDocument();
    // a constraint is not a Rego module in OPA: no library link, no OPA revision
    const [row] = screen.getAllByTestId('finding');
    expect(
      within(row)
        .getByText('constraints.gatekeeper.sh/K8sRequiredLabels')
        .closest('a'),
    ).toBeNull();
    expect(row).toHaveTextContent('audited 5 minutes ago');
    expect(row).not.toHaveTextContent('revision');
  });

  it('shows the Gatekeeper audit state: audit age, stale audits and capped violation lists', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: async () =>
          findings({
            gatekeeper: [
              {
                cluster: 'prod-eu-1',
                constraintKind: 'K8sRequiredLabels',
                constraintName: 'must-have-team',
                enforcementAction: 'deny',
                auditTimestamp: minutesAgo(3),
                totalViolations: 57,
                reportedViolations: 20,
                truncated: true,
                stale: false,
              },
              {
                cluster: 'demo-prod-eu-1',
                simulated: true,
                constraintKind: 'K8sNoLatestTag',
                constraintName: 'no-latest',
                enforcementAction: 'warn',
                totalViolations: 0,
                reportedViolations: 0,
                truncated: false,
                stale: true,
              },
            ],
          }),
      }),
    );
    const rows = await screen.findAllByTestId('gatekeeper-audit');
    expect(rows[0]).toHaveTextContent('K8sRequiredLabels/must-have-team');
    expect(rows[0]).toHaveTextContent('3 minutes ago');
    expect(rows[0]).toHaveTextContent('20 / 57');
    expect(rows[0]).toHaveTextContent('capped');
    expect(rows[1]).toHaveTextContent('demo-prod-eu-1 simulated cluster');
    expect(rows[1]).toHaveTextContent('never audited');
    expect(rows[1]).toHaveTextContent('stale');
    expect(screen.getByTestId('gatekeeper-truncated')).toHaveTextContent(
      'K8sRequiredLabels/must-have-team reported more violations than it listed',
    );
    expect(screen.getByTestId('gatekeeper-stale')).toHaveTextContent(
      'K8sNoLatestTag/no-latest',
    );
  });

  it('shows no Gatekeeper audit state when the entity runs in no cluster with constraints', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: async () => findings({ gatekeeper: [] }),
      }),
    );
    expect(await screen.findByText('No findings')).toBeInTheDocument();
    expect(
      screen.queryByText('Gatekeeper audit state'),
    ).not.toBeInTheDocument();
  });

  it('explains an empty list of a passing entity', async () => {
    await renderContent(
      mockPolicyApi({ getEntityFindings: jest.fn(async () => findings()) }),
    );
    expect(await screen.findByText('No findings')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every rule passed at the last evaluation (policy revision rev-2026-11-25).',
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty list of an entity that opted out', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () =>
          findings({
            compliance: {
              status: 'unknown',
              counts: { error: 0, warning: 0, info: 0 },
              reason: 'skipped',
              reasonMessage:
                'Not evaluated: the entity sets paved.dev/policy-skip.',
            },
          }),
        ),
      }),
    );
    expect(await screen.findByText('Unknown (opted out)')).toBeInTheDocument();
    expect(
      screen.getAllByText(
        'Not evaluated: the entity sets paved.dev/policy-skip.',
      ).length,
    ).toBeGreaterThan(0);
  });

  it('shows stale findings with the engine error', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () => ({
          ...failing,
          stale: { since: minutesAgo(15), error: 'OPA timeout after 3000 ms' },
        })),
      }),
    );
    expect(await screen.findByTestId('stale-results')).toHaveTextContent(
      'OPA timeout after 3000 ms',
    );
    expect(screen.getByText('Catalog rules (2)')).toBeInTheDocument();
  });

  it('says policy checks are not set up (no configuration jargon), without a re-evaluate button', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () => notConfigured()),
      }),
    );
    const notice = await screen.findByTestId('policy-checks-not-set-up');
    expect(notice).toHaveTextContent('Policy checks are not set up');
    expect(notice).not.toHaveTextContent('policy.opa.baseUrl');
    expect(
      screen.queryByRole('button', { name: 'Re-evaluate' }),
    ).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderContent(
      mockPolicyApi({
        getEntityFindings: jest.fn(async () => {
          throw new Error('policy backend exploded');
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/policy backend exploded/))[0],
    ).toBeInTheDocument();
  });

  describe('Re-evaluate', () => {
    it('POSTs for this entity and shows the new findings', async () => {
      const api = mockPolicyApi({
        getEntityFindings: jest.fn(async () => failing),
        evaluateEntity: jest.fn(async () =>
          findings({
            compliance: {
              status: 'warnings',
              counts: { error: 0, warning: 1, info: 0 },
            },
            findings: [
              finding({
                level: 'warning',
                id: 'description-present',
                message: 'No description',
              }),
            ],
            evaluatedAt: new Date().toISOString(),
            policyRevision: 'rev-2026-11-26',
          }),
        ),
      });
      await renderContent(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Re-evaluate' }),
      );
      expect(await screen.findByTestId('reevaluate-result')).toHaveTextContent(
        'Re-evaluated: warnings, 0 errors, 1 warning, 0 info.',
      );
      expect(api.evaluateEntity).toHaveBeenCalledWith({
        kind: 'Component',
        namespace: 'default',
        name: 'orders-service',
      });
      expect(screen.getByText('Catalog rules (1)')).toBeInTheDocument();
      expect(
        screen.queryByText('Workload rules (live Kubernetes manifests) (1)'),
      ).not.toBeInTheDocument();
      expect(
        screen.getByText(/under policy revision rev-2026-11-26/),
      ).toBeInTheDocument();
    });

    it('says when the engine did not answer and the previous results stay', async () => {
      const api = mockPolicyApi({
        getEntityFindings: jest.fn(async () => failing),
        evaluateEntity: jest.fn(async () => ({
          ...failing,
          stale: { since: minutesAgo(0), error: 'connect ECONNREFUSED' },
        })),
      });
      await renderContent(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Re-evaluate' }),
      );
      expect(await screen.findByTestId('reevaluate-result')).toHaveTextContent(
        'The policy engine did not answer (connect ECONNREFUSED); showing the previous results.',
      );
      expect(screen.getByTestId('stale-results')).toBeInTheDocument();
    });

    it('shows the error of a failed re-evaluation and keeps the findings', async () => {
      const api = mockPolicyApi({
        getEntityFindings: jest.fn(async () => failing),
        evaluateEntity: jest.fn(async () => {
          throw await backendError(
            403,
            'NotAllowedError',
            'Not allowed: policy.evaluate',
          );
        }),
      });
      await renderContent(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Re-evaluate' }),
      );
      await waitFor(() =>
        expect(screen.getByTestId('reevaluate-error')).toHaveTextContent(
          'Re-evaluation failed: Not allowed: policy.evaluate',
        ),
      );
      expect(screen.getByText('Catalog rules (2)')).toBeInTheDocument();
    });
  });
});
