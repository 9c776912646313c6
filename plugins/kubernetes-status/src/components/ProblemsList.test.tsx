import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Problem } from '@paved/plugin-kubernetes-status-common';
import {
  expectShownWhole,
  longKubernetesMessage,
} from '../__testUtils__/expectShownWhole';
import { ProblemsList } from './ProblemsList';

describe('ProblemsList', () => {
  it('shows a long problem message whole and wrapping', async () => {
    const problem: Problem = {
      id: 'gitops-orders',
      severity: 'error',
      message: `Flux Kustomization orders-service is False, Unknown: ${longKubernetesMessage}`,
      hint: 'What is deployed may not match git. Read the message and the Flux logs.',
      object: {
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'orders',
      },
    };
    await renderInTestApp(<ProblemsList problems={[problem]} />);
    expectShownWhole(screen.getByTestId('problem-message'), problem.message);
    expect(
      screen.getByText(/Read the message and the Flux logs/),
    ).toBeInTheDocument();
  });

  it('renders nothing without problems', async () => {
    await renderInTestApp(<ProblemsList problems={[]} />);
    expect(screen.queryByRole('list', { name: 'problems' })).toBeNull();
  });
});
