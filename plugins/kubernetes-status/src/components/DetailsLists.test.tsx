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
      targetRevision: 'main@sha1:d41e7b9a2c5f8e1b4a7d0c3f6e9b2a5d8c1f4e7b',
      liveRevision: 'main@sha1:3f9c2a17e4b8d6051c7a9e2f4b1d8c6a0e5f7b92',
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
    // The revisions are 50-character tokens: their line breaks anywhere,
    // or it widens the card past the edge that clips it (seen in the browser).
    const revisions = screen.getByText(/^target main@sha1:d41e7b9a/);
    expect(getComputedStyle(revisions).wordBreak).toBe('break-word');
    expect(getComputedStyle(revisions).whiteSpace).toBe('normal');
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
