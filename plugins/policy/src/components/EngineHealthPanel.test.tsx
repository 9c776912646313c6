import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EngineHealthResponse,
  EvaluationRunSummary,
  NO_POLICY_ENGINE_MESSAGE,
} from '@paved/plugin-policy-common';
import {
  minutesAgo,
  mockPolicyApi,
  Providers,
} from '../__testUtils__/fixtures';
import { EngineHealthPanel } from './EngineHealthPanel';

const run = (
  over: Partial<EvaluationRunSummary> = {},
): EvaluationRunSummary => ({
  id: 7,
  startedAt: minutesAgo(32),
  finishedAt: minutesAgo(30),
  durationMs: 84_300,
  trigger: 'schedule',
  policyRevision: 'rev-2026-11-25',
  entities: 120,
  evaluated: 14,
  skipped: 106,
  opaCalls: 14,
  errors: 0,
  counts: { error: 9, warning: 4, info: 1 },
  errorMessages: [],
  ...over,
});

async function renderPanel(
  getEngineHealth: () => Promise<EngineHealthResponse>,
) {
  await renderInTestApp(
    <Providers api={mockPolicyApi({ getEngineHealth })}>
      <EngineHealthPanel />
    </Providers>,
  );
}

describe('EngineHealthPanel', () => {
  it('shows progress while loading', async () => {
    await renderPanel(() => new Promise(() => {}));
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows a reachable engine, its revision and the last run with duration and counts', async () => {
    await renderPanel(async () => ({
      engine: {
        configured: true,
        reachable: true,
        baseUrl: 'http://opa:8181',
        activeRevision: 'rev-2026-11-25',
      },
      lastRun: run(),
    }));
    expect(await screen.findByText('reachable')).toBeInTheDocument();
    expect(screen.getByText(/at http:\/\/opa:8181/)).toBeInTheDocument();
    expect(screen.getByText('rev-2026-11-25')).toBeInTheDocument();
    expect(
      screen.getByText(
        /finished 30 minutes ago \(schedule\), revision rev-2026-11-25/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('84.3 s')).toBeInTheDocument();
    expect(
      screen.getByText(
        /120 entities, 14 evaluated, 106 unchanged, 14 OPA calls, 0 errors; findings: 9 errors, 4 warnings, 1 info/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('engine-stale')).not.toBeInTheDocument();
    expect(screen.queryByTestId('simulated-engine')).not.toBeInTheDocument();
    // the card clips overflow: the run summary wraps, long tokens included
    expect(
      screen
        .getByText(/finished 30 minutes ago/)
        .closest('.MuiTypography-root'),
    ).toHaveStyle({ whiteSpace: 'normal', overflowWrap: 'anywhere' });
  });

  it('says so when the engine is the simulated OPA stand-in', async () => {
    await renderPanel(async () => ({
      engine: {
        configured: true,
        simulated: true,
        reachable: true,
        baseUrl: 'http://127.0.0.1:7481',
      },
      lastRun: run(),
    }));
    expect(await screen.findByTestId('simulated-engine')).toHaveTextContent(
      'Simulated policy engine',
    );
    expect(screen.getByText('reachable')).toBeInTheDocument();
  });

  it('marks results stale when OPA is unreachable, with the error and the errors of the last run', async () => {
    await renderPanel(async () => ({
      engine: {
        configured: true,
        reachable: false,
        baseUrl: 'http://opa:8181',
        error: 'connect ECONNREFUSED 10.0.0.5:8181',
      },
      lastRun: run({
        errors: 2,
        errorMessages: ['OPA timeout after 3000 ms', 'connect ECONNREFUSED'],
      }),
    }));
    expect(await screen.findByTestId('engine-stale')).toHaveTextContent(
      'The policy engine is unreachable: results shown are from the last run, 30 minutes ago.',
    );
    expect(screen.getByText('unreachable')).toBeInTheDocument();
    expect(
      screen.getByText(/connect ECONNREFUSED 10.0.0.5:8181/),
    ).toBeInTheDocument();
    expect(screen.getByText('OPA timeout after 3000 ms')).toBeInTheDocument();
    expect(screen.getByText('unknown')).toBeInTheDocument();
  });

  it('says when no run happened yet', async () => {
    await renderPanel(async () => ({
      engine: { configured: true, reachable: true },
    }));
    expect(
      await screen.findByText('No evaluation run yet'),
    ).toBeInTheDocument();
  });

  it('says no policy engine is configured, and how to add one', async () => {
    await renderPanel(async () => ({
      engine: { configured: false, message: NO_POLICY_ENGINE_MESSAGE },
    }));
    expect(
      await screen.findByTestId('engine-not-configured'),
    ).toHaveTextContent('policy.opa.baseUrl');
    expect(screen.queryByText('reachable')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderPanel(async () => {
      throw new Error('health check failed');
    });
    expect(
      (await screen.findAllByText(/health check failed/))[0],
    ).toBeInTheDocument();
  });
});
