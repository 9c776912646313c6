import { summarizePod, summarizeWorkload, replicaSetOwners } from './summarize';

const deployment = (status: any, generation = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders', namespace: 'commerce', uid: 'd1', generation },
  spec: {
    replicas: 3,
    template: {
      spec: { containers: [{ name: 'app', image: 'reg/orders:1.4.0' }] },
    },
  },
  status,
});
const rs = (name: string, revision: string, replicas: number) => ({
  metadata: {
    name,
    namespace: 'commerce',
    annotations: { 'deployment.kubernetes.io/revision': revision },
    ownerReferences: [
      { kind: 'Deployment', name: 'orders', uid: 'd1', controller: true },
    ],
  },
  spec: {
    replicas,
    template: {
      spec: { containers: [{ name: 'app', image: `reg/orders:${revision}` }] },
    },
  },
  status: { replicas, readyReplicas: replicas },
});

describe('summarizeWorkload', () => {
  it('reports a rollout in progress while an old ReplicaSet still runs', () => {
    const w = summarizeWorkload(
      deployment({
        observedGeneration: 2,
        replicas: 4,
        updatedReplicas: 2,
        readyReplicas: 3,
        availableReplicas: 3,
      }),
      'Deployment',
      [rs('orders-new', '2', 2), rs('orders-old', '1', 2)],
    );
    expect(w.rollout.state).toBe('progressing');
    expect(w.rollout.newReplicaSet?.name).toBe('orders-new');
    expect(w.rollout.oldReplicaSets.map(r => r.name)).toEqual(['orders-old']);
    expect(w.versions).toEqual(['1.4.0']);
  });

  it('calls a finished rollout complete even when a pod is unready', () => {
    const w = summarizeWorkload(
      deployment({
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
      }),
      'Deployment',
      [rs('orders-new', '2', 3)],
    );
    expect(w.rollout.state).toBe('complete');
    expect(w.available).toBe(2);
  });

  it('flags a progress deadline as stalled', () => {
    const w = summarizeWorkload(
      deployment({
        observedGeneration: 2,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'too slow',
          },
        ],
      }),
      'Deployment',
      [],
    );
    expect(w.rollout).toMatchObject({
      state: 'stalled',
      progressDeadlineExceeded: true,
      message: 'too slow',
    });
  });

  it('reports an unobserved generation as progressing', () => {
    const w = summarizeWorkload(
      deployment(
        {
          observedGeneration: 1,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
        },
        2,
      ),
      'Deployment',
      [],
    );
    expect(w.rollout).toMatchObject({ state: 'progressing', observed: false });
  });
});

describe('summarizePod', () => {
  it('reads restarts, the waiting reason, the last termination and the owning workload', () => {
    const pod = summarizePod(
      {
        metadata: {
          name: 'orders-abc',
          namespace: 'commerce',
          uid: 'pod-uid-1',
          ownerReferences: [
            {
              kind: 'ReplicaSet',
              name: 'orders-new',
              uid: 'r',
              controller: true,
            },
          ],
        },
        spec: {
          nodeName: 'node-1',
          containers: [{ name: 'app', image: 'reg/orders:2' }],
        },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: {
                terminated: {
                  reason: 'OOMKilled',
                  exitCode: 137,
                  finishedAt: '2026-11-25T00:00:00Z',
                },
              },
            },
          ],
        },
      },
      replicaSetOwners([rs('orders-new', '2', 3)]),
    );
    expect(pod).toMatchObject({
      uid: 'pod-uid-1',
      ready: false,
      restarts: 5,
      node: 'node-1',
      owner: { kind: 'Deployment', name: 'orders' },
      containers: [
        {
          waitingReason: 'CrashLoopBackOff',
          lastTerminationReason: 'OOMKilled',
          lastTerminationExitCode: 137,
        },
      ],
    });
  });
});
