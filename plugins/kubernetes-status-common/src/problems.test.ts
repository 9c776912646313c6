import { clusterHealth, detectProblems, worstHealth } from './problems';
import { GitOpsStatus, PodStatus, WorkloadStatus } from './types';

const pod = (over: Partial<PodStatus> = {}): PodStatus => ({
  kind: 'Pod',
  name: 'orders-1',
  namespace: 'commerce',
  phase: 'Running',
  ready: true,
  readyContainers: 1,
  totalContainers: 1,
  restarts: 0,
  containers: [
    {
      name: 'app',
      image: 'orders:1.2.0',
      ready: true,
      restarts: 0,
      state: 'running',
    },
  ],
  ...over,
});

const workload = (over: Partial<WorkloadStatus> = {}): WorkloadStatus => ({
  kind: 'Deployment',
  name: 'orders',
  namespace: 'commerce',
  images: ['orders:1.2.0'],
  versions: ['1.2.0'],
  desired: 2,
  updated: 2,
  ready: 2,
  available: 2,
  generation: 3,
  observedGeneration: 3,
  rollout: {
    state: 'complete',
    observed: true,
    progressDeadlineExceeded: false,
    oldReplicaSets: [],
  },
  ...over,
});

const gitops = (over: Partial<GitOpsStatus> = {}): GitOpsStatus => ({
  kind: 'Kustomization',
  name: 'orders',
  namespace: 'flux-system',
  tool: 'flux',
  sync: 'Ready',
  health: 'Healthy',
  targetRevision: 'main@sha1:aaa',
  liveRevision: 'main@sha1:aaa',
  ...over,
});

describe('detectProblems', () => {
  it('flags a failed Flux reconciliation with its message and the revision gap', () => {
    const problems = detectProblems({
      workloads: [],
      pods: [],
      events: [],
      gitops: [
        gitops({
          sync: 'ReconciliationFailed',
          health: 'Degraded',
          message: 'kustomize build failed',
          targetRevision: 'main@sha1:bbb',
        }),
        gitops({ name: 'healthy' }),
      ],
    });
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: {
          kind: 'Kustomization',
          name: 'orders',
          namespace: 'flux-system',
        },
        message:
          'Flux Kustomization orders is ReconciliationFailed, Degraded: kustomize build failed',
        hint: expect.stringContaining(
          'runs main@sha1:aaa, not the target main@sha1:bbb',
        ),
      }),
    ]);
  });

  it('warns about an Argo CD application out of sync but healthy', () => {
    const problems = detectProblems({
      workloads: [],
      pods: [],
      events: [],
      gitops: [
        gitops({
          kind: 'Application',
          tool: 'argocd',
          sync: 'OutOfSync',
          health: 'Healthy',
        }),
      ],
    });
    expect(problems.map(p => [p.severity, p.message])).toEqual([
      ['warning', 'Argo CD Application orders is OutOfSync, Healthy'],
    ]);
  });

  it('flags a crash-looping container with a hint', () => {
    const problems = detectProblems({
      workloads: [],
      events: [],
      pods: [
        pod({
          ready: false,
          containers: [
            {
              name: 'app',
              image: 'x',
              ready: false,
              restarts: 7,
              state: 'waiting',
              waitingReason: 'CrashLoopBackOff',
            },
          ],
        }),
      ],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('CrashLoopBackOff'),
    });
    expect(problems[0].hint).toMatch(/previous logs/);
  });

  it('flags a stuck rollout before warnings', () => {
    const problems = detectProblems({
      workloads: [
        workload({
          rollout: {
            state: 'stalled',
            observed: true,
            progressDeadlineExceeded: true,
            oldReplicaSets: [],
          },
        }),
      ],
      pods: [pod({ phase: 'Pending', ready: false })],
      events: [],
    });
    expect(problems.map(p => p.severity)).toEqual(['error', 'warning']);
    expect(problems[0].message).toMatch(/progress deadline/);
  });

  it('reports nothing for a healthy workload', () => {
    expect(
      detectProblems({ workloads: [workload()], pods: [pod()], events: [] }),
    ).toEqual([]);
  });
});

describe('health', () => {
  it('is failing when no workload has an available replica', () => {
    expect(
      clusterHealth({
        workloads: [workload({ available: 0, ready: 0 })],
        pods: [],
        problems: [],
        errors: [],
      }),
    ).toBe('failing');
  });

  it('is unknown when the cluster could not be read', () => {
    expect(
      clusterHealth({
        workloads: [],
        pods: [],
        problems: [],
        errors: [
          {
            type: 'unreachable',
            message: 'refused',
            since: '2026-01-01T00:00:00Z',
          },
        ],
      }),
    ).toBe('unknown');
  });

  it('takes the worst state across clusters', () => {
    expect(worstHealth(['ok', 'degraded', 'unknown'])).toBe('degraded');
    expect(worstHealth(['ok', 'ok'])).toBe('ok');
    expect(worstHealth([])).toBe('unknown');
  });
});
