import {
  ClusterEntityStatus,
  GitOpsStatus,
  HealthState,
  PodStatus,
  Problem,
  WarningEvent,
  WorkloadStatus,
} from './types';

// Plain-language hints for the container states developers meet most.
const WAITING_HINTS: Record<string, string> = {
  CrashLoopBackOff:
    'The container starts and exits again and again. Read its previous logs; check the command, configuration and the probes.',
  ImagePullBackOff:
    'The image cannot be pulled. Check that the tag exists and that the cluster may read the registry (imagePullSecrets).',
  ErrImagePull:
    'The image cannot be pulled. Check that the tag exists and that the cluster may read the registry (imagePullSecrets).',
  CreateContainerConfigError:
    'A referenced ConfigMap or Secret (or a key in it) is missing.',
  InvalidImageName: 'The image reference is malformed.',
};

const TERMINATION_HINTS: Record<string, string> = {
  OOMKilled:
    'The container used more memory than its limit. Raise resources.limits.memory or reduce memory use.',
  Error: 'The container exited with an error. Read its previous logs.',
};

function podProblems(pod: PodStatus): Problem[] {
  const problems: Problem[] = [];
  const object = { kind: 'Pod', name: pod.name, namespace: pod.namespace };
  for (const c of pod.containers) {
    if (c.waitingReason && WAITING_HINTS[c.waitingReason]) {
      problems.push({
        id: `pod:${pod.namespace}/${pod.name}:${c.name}:${c.waitingReason}`,
        severity: 'error',
        object,
        message: `Container ${c.name} is in ${c.waitingReason} (${c.restarts} restarts)`,
        hint: WAITING_HINTS[c.waitingReason],
      });
    } else if (c.lastTerminationReason === 'OOMKilled') {
      problems.push({
        id: `pod:${pod.namespace}/${pod.name}:${c.name}:OOMKilled`,
        severity: c.ready ? 'warning' : 'error',
        object,
        message: `Container ${c.name} was OOMKilled (${c.restarts} restarts)`,
        hint: TERMINATION_HINTS.OOMKilled,
      });
    }
  }
  if (pod.phase === 'Pending' && problems.length === 0) {
    problems.push({
      id: `pod:${pod.namespace}/${pod.name}:Pending`,
      severity: 'warning',
      object,
      message: 'Pod is Pending',
      hint: 'The pod is not scheduled or its containers are not created yet. Check events for FailedScheduling (not enough CPU or memory, node selectors, taints).',
    });
  }
  if (pod.phase === 'Failed') {
    problems.push({
      id: `pod:${pod.namespace}/${pod.name}:Failed`,
      severity: 'error',
      object,
      message: 'Pod failed',
      hint: 'All containers terminated and at least one failed. Read the logs of the failed container.',
    });
  }
  return problems;
}

function workloadProblems(w: WorkloadStatus): Problem[] {
  const object = { kind: w.kind, name: w.name, namespace: w.namespace };
  const problems: Problem[] = [];
  if (w.rollout.progressDeadlineExceeded) {
    problems.push({
      id: `${w.kind}:${w.namespace}/${w.name}:ProgressDeadlineExceeded`,
      severity: 'error',
      object,
      message: `Rollout of ${w.name} is stuck: progress deadline exceeded`,
      hint: "New pods did not become ready in time. Look at the new ReplicaSet's pods for the reason; roll back if needed.",
    });
  } else if (w.desired > 0 && w.available === 0) {
    problems.push({
      id: `${w.kind}:${w.namespace}/${w.name}:Unavailable`,
      severity: 'error',
      object,
      message: `${w.name} has no available replicas (0/${w.desired})`,
      hint: 'No pod passes its readiness probe. Check the pods below.',
    });
  } else if (w.available < w.desired && w.rollout.state === 'complete') {
    problems.push({
      id: `${w.kind}:${w.namespace}/${w.name}:Degraded`,
      severity: 'warning',
      object,
      message: `${w.name} runs ${w.available} of ${w.desired} desired replicas`,
      hint: 'Some pods are not ready. Check the pods below.',
    });
  }
  return problems;
}

function eventProblems(events: WarningEvent[]): Problem[] {
  return events
    .filter(e => e.reason === 'FailedScheduling' || e.reason === 'FailedMount')
    .map(e => ({
      id: `event:${e.involvedObject.namespace}/${e.involvedObject.name}:${e.reason}`,
      severity: 'warning' as const,
      object: e.involvedObject,
      message: `${e.reason}: ${e.message}`,
      hint:
        e.reason === 'FailedScheduling'
          ? 'No node can take the pod: requests too high, node selectors, or taints.'
          : 'A volume could not be mounted: check the PVC, Secret or ConfigMap it names.',
    }));
}

// Argo CD reports sync and health separately; Flux reports one Ready
// condition, mapped to sync=<reason>, health=Degraded when it is not True.
const GITOPS_HEALTH_ERRORS = new Set(['Degraded', 'Missing']);
const GITOPS_SYNC_OK = new Set(['Synced', 'Ready', 'Unknown']);

function gitOpsProblems(g: GitOpsStatus): Problem[] {
  const object = { kind: g.kind, name: g.name, namespace: g.namespace };
  const tool = g.tool === 'argocd' ? 'Argo CD' : 'Flux';
  const detail = g.message ? `: ${g.message}` : '';
  if (GITOPS_HEALTH_ERRORS.has(g.health) || !GITOPS_SYNC_OK.has(g.sync)) {
    return [
      {
        id: `gitops:${g.namespace}/${g.kind}/${g.name}:${g.sync}:${g.health}`,
        severity: GITOPS_HEALTH_ERRORS.has(g.health) ? 'error' : 'warning',
        object,
        message: `${tool} ${g.kind} ${g.name} is ${g.sync}, ${g.health}${detail}`,
        hint:
          g.targetRevision &&
          g.liveRevision &&
          g.targetRevision !== g.liveRevision
            ? `The cluster runs ${g.liveRevision}, not the target ${g.targetRevision}: the last sync did not apply. Read the message and the ${tool} logs.`
            : `What is deployed may not match git. Read the message and the ${tool} logs.`,
      },
    ];
  }
  return [];
}

/**
 * Problems in one cluster, errors first.
 * @public
 */
export function detectProblems(input: {
  workloads: WorkloadStatus[];
  pods: PodStatus[];
  events: WarningEvent[];
  gitops?: GitOpsStatus[];
}): Problem[] {
  const all = [
    ...input.workloads.flatMap(workloadProblems),
    ...input.pods.flatMap(podProblems),
    ...eventProblems(input.events),
    ...(input.gitops ?? []).flatMap(gitOpsProblems),
  ];
  const rank = (p: Problem) => (p.severity === 'error' ? 0 : 1);
  return all.sort((a, b) => rank(a) - rank(b));
}

/**
 * Health of the entity in one cluster: failing when nothing serves or a
 * problem is an error everywhere, degraded on any problem, unknown when the
 * cluster could not be read.
 * @public
 */
export function clusterHealth(
  status: Pick<
    ClusterEntityStatus,
    'workloads' | 'pods' | 'problems' | 'errors'
  >,
): HealthState {
  const wholeClusterError = status.errors.some(e => !e.resource);
  if (wholeClusterError) return 'unknown';
  const servesNothing =
    status.workloads.length > 0 &&
    status.workloads.every(w => w.desired > 0 && w.available === 0);
  if (servesNothing) return 'failing';
  if (status.problems.some(p => p.severity === 'error')) return 'degraded';
  if (status.problems.length > 0 || status.errors.length > 0) return 'degraded';
  if (status.workloads.length === 0 && status.pods.length === 0)
    return 'unknown';
  return 'ok';
}

const ORDER: HealthState[] = ['failing', 'degraded', 'unknown', 'ok'];

/** The worst health of several clusters. @public */
export function worstHealth(states: HealthState[]): HealthState {
  if (states.length === 0) return 'unknown';
  return ORDER.find(s => states.includes(s)) ?? 'unknown';
}
