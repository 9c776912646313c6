import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { GitOpsStatus } from '@paved/plugin-kubernetes-status-common';
import {
  expectShownWhole,
  longKubernetesMessage,
} from '../__testUtils__/expectShownWhole';
import { EventsList, GitOpsList } from './DetailsLists';

describe('GitOpsList', () => {
  it("shows the tool's message whole and wrapping", async () => {
    const item: GitOpsStatus = {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'orders-service',
      tool: 'flux',
      sync: 'False',
      health: 'Unknown',
      targetRevision: 'main@sha1:2f1c',
      liveRevision: 'main@sha1:9a0b',
      message: longKubernetesMessage,
    };
    await renderInTestApp(<GitOpsList items={[item]} />);
    expectShownWhole(
      screen.getByTestId('gitops-message'),
      longKubernetesMessage,
    );
    expect(
      screen.getByText('Flux Kustomization orders-service: False, Unknown'),
    ).toBeInTheDocument();
  });

  it('leaves the message out when the tool gives none', async () => {
    await renderInTestApp(
      <GitOpsList
        items={[
          {
            kind: 'Application',
            namespace: 'argocd',
            name: 'orders',
            tool: 'argocd',
            sync: 'Synced',
            health: 'Healthy',
          },
        ]}
      />,
    );
    expect(screen.getByText(/target \?, live \?/)).toBeInTheDocument();
    expect(screen.queryByTestId('gitops-message')).toBeNull();
  });
});

describe('EventsList', () => {
  it('shows a long event message whole', async () => {
    await renderInTestApp(
      <EventsList
        events={[
          {
            reason: 'FailedCreate',
            message: longKubernetesMessage,
            count: 3,
            involvedObject: { kind: 'ReplicaSet', name: 'orders-7f9' },
          },
        ]}
      />,
    );
    const text = `FailedCreate (x3): ${longKubernetesMessage}`;
    expectShownWhole(screen.getByText(text), text);
    expect(screen.getByText(/ReplicaSet orders-7f9, last seen/)).toBeVisible();
  });

  it('says so when there are no warning events', async () => {
    await renderInTestApp(<EventsList events={[]} />);
    expect(
      screen.getByText("No warning events for this entity's objects."),
    ).toBeInTheDocument();
  });
});
