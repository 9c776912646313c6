import { setTimeout as delay } from 'node:timers/promises';
import {
  REVISION_ANNOTATION,
  isPodReady,
  isTerminating,
  podTemplateHash,
  podsOf,
  recordEvent,
  replicaSetsOf,
  rollingUpdateLimits,
  syncDeploymentStatus,
  POD_TEMPLATE_HASH_LABEL,
  type ClusterAccess,
} from './controllers';
import { podFor, podStatus, replicaSetFor } from './fleet';
import type { LogStore } from './logs';
import { isoSeconds, type KubeObject } from './store';

/** What scenarios act on: the cluster's objects and its container logs. */
export interface ScenarioCluster extends ClusterAccess {
  readonly logs: LogStore;
}

/** Options of {@link Scenarios.startRollout}. */
export interface RolloutOptions {
  namespace: string;
  deployment: string;
  /** The new image. */
  image: string;
  /** Container whose image changes; the first one when omitted. */
  container?: string;
  /** Pause between rollout steps in ms. Default 1000. */
  stepMs?: number;
}

/** Options of {@link Scenarios.stuckRollout}. */
export interface StuckRolloutOptions extends RolloutOptions {
  /** After this long without progress the Deployment reports ProgressDeadlineExceeded. Default: spec.progressDeadlineSeconds. */
  progressDeadlineMs?: number;
}

/** How a rollout ended. */
export interface RolloutResult {
  namespace: string;
  deployment: string;
  /** Name of the new ReplicaSet. */
  replicaSet: string;
  revision: string;
  completed: boolean;
  reason: 'NewReplicaSetAvailable' | 'ProgressDeadlineExceeded' | 'Cancelled';
}

/** Options of {@link Scenarios.crashLoop}. */
export interface CrashLoopOptions {
  namespace: string;
  pod: string;
  /** The first container when omitted. */
  container?: string;
  /** Termination reason of each crash. Default `Error` (exit code 1); `OOMKilled` exits 137. */
  reason?: 'Error' | 'OOMKilled';
  /** Time between restarts in ms. Default 10,000. */
  intervalMs?: number;
  /** Lines each crashed run logs; a plausible default per reason. */
  logLines?: string[];
}

/** A running crash loop. */
export interface CrashLoopHandle {
  /** Restarts caused so far. */
  readonly restarts: number;
  stop(): void;
}

/** Options of {@link Scenarios.periodicRollout}. */
export interface PeriodicRolloutOptions {
  namespace: string;
  deployment: string;
  /** Images rolled out in turn. */
  images: string[];
  /** Time between the end of one rollout and the start of the next. Default 60,000. */
  intervalMs?: number;
  stepMs?: number;
}

/** A repeating scenario. */
export interface ScenarioHandle {
  stop(): void;
}

type Progressing = {
  status: 'True' | 'False';
  reason: string;
  message: string;
};

/** Waits; true when the time passed, false when the signal stopped the wait (or had already). */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}

function backoffText(restarts: number): string {
  // Kubelet's crash back-off doubles from 10s up to 5m.
  const seconds = Math.min(10 * 2 ** Math.max(0, restarts - 1), 300);
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${seconds % 60}s` : `${seconds}s`;
}

function startupLines(container: string, image: string): string[] {
  return [
    `INFO starting ${container} (image ${image}) [paved simulated workload]`,
    `INFO loaded configuration from /etc/${container}/config.yaml`,
    `INFO listening on :8080`,
    `INFO readiness probe /readyz is now passing`,
  ];
}

/**
 * Time-based mutations that emit watch events like the real controllers and
 * kubelet would: rollouts, stuck rollouts and crash loops.
 */
export class Scenarios {
  readonly #cluster: ScenarioCluster;
  readonly #running = new Set<AbortController>();

  constructor(cluster: ScenarioCluster) {
    this.#cluster = cluster;
  }

  /**
   * Rolls a Deployment out to a new image the way the Deployment controller
   * does: a new ReplicaSet (new pod-template-hash, revision + 1, Deployment
   * generation + 1), then step by step new pods are created and become ready
   * while old ones terminate, within maxSurge/maxUnavailable. Resolves when
   * the new ReplicaSet is fully available (Progressing reason
   * NewReplicaSetAvailable).
   */
  startRollout(options: RolloutOptions): Promise<RolloutResult> {
    return this.#rollout(options, false);
  }

  /**
   * Starts a rollout whose new pods never pull their image
   * (ImagePullBackOff); after the progress deadline the Deployment reports
   * Progressing=False, reason ProgressDeadlineExceeded, and the promise
   * resolves with `completed: false`.
   */
  stuckRollout(options: StuckRolloutOptions): Promise<RolloutResult> {
    return this.#rollout(options, true);
  }

  /** Rolls out the given images in turn, forever, until stopped. */
  periodicRollout(options: PeriodicRolloutOptions): ScenarioHandle {
    const controller = this.#track();
    const loop = async () => {
      let next = 0;
      while (await sleep(options.intervalMs ?? 60_000, controller.signal)) {
        const image = options.images[next % options.images.length];
        next++;
        await this.startRollout({
          namespace: options.namespace,
          deployment: options.deployment,
          image,
          stepMs: options.stepMs,
        }).catch(() => undefined);
      }
    };
    void loop();
    return { stop: () => this.#untrack(controller) };
  }

  /**
   * Makes a pod's container crash repeatedly: restartCount goes up every
   * interval, the container waits in CrashLoopBackOff with the last
   * termination (Error or OOMKilled) in lastState, each run's logs are kept
   * (the previous run is `previous=true`), and a Warning `BackOff` Event about
   * the pod is created and then counted up. The first crash happens at once.
   */
  crashLoop(options: CrashLoopOptions): CrashLoopHandle {
    const controller = this.#track();
    let restarts = 0;
    const crash = () => {
      if (controller.signal.aborted) {
        return;
      }
      if (this.#crashOnce(options)) {
        restarts++;
      } else {
        this.#untrack(controller);
      }
    };
    crash();
    const timer = setInterval(crash, options.intervalMs ?? 10_000);
    controller.signal.addEventListener('abort', () => clearInterval(timer), {
      once: true,
    });
    return {
      get restarts() {
        return restarts;
      },
      stop: () => this.#untrack(controller),
    };
  }

  /** Stops every running scenario (pending rollouts resolve as cancelled). */
  stopAll(): void {
    for (const controller of [...this.#running]) {
      this.#untrack(controller);
    }
  }

  #track(): AbortController {
    const controller = new AbortController();
    this.#running.add(controller);
    return controller;
  }

  #untrack(controller: AbortController) {
    controller.abort();
    this.#running.delete(controller);
  }

  #crashOnce(options: CrashLoopOptions): boolean {
    const cluster = this.#cluster;
    const pod = cluster.get('v1', 'Pod', options.namespace, options.pod);
    if (!pod) {
      return false;
    }
    const containers: any[] = pod.spec?.containers ?? [];
    const container =
      containers.find(c => c.name === options.container) ?? containers[0];
    if (!container) {
      return false;
    }
    const reason = options.reason ?? 'Error';
    const now = new Date();
    const at = isoSeconds(now);
    const statuses: any[] = pod.status?.containerStatuses ?? [];
    const previous = statuses.find(s => s.name === container.name) ?? {
      name: container.name,
      image: container.image,
      restartCount: 0,
    };
    const restartCount = (previous.restartCount ?? 0) + 1;
    const ns = options.namespace;
    const ref = `${pod.metadata.name}_${ns}(${pod.metadata.uid})`;

    // The run that just crashed becomes the previous one; the new run logs
    // its start and crashes the same way.
    const lines =
      options.logLines ??
      (reason === 'OOMKilled'
        ? [
            'WARN heap usage 241Mi of 256Mi limit',
            'WARN heap usage 255Mi of 256Mi limit',
          ]
        : [
            'ERROR failed to connect to dependency: dial tcp 10.96.0.15:5432: connect: connection refused',
            'FATAL giving up after 3 attempts, exiting with code 1',
          ]);
    cluster.logs.restart(ns, pod.metadata.name, container.name);
    cluster.logs.append(ns, pod.metadata.name, container.name, [
      ...startupLines(container.name, container.image).slice(0, 3),
      ...lines,
    ]);

    const containerStatus = {
      ...previous,
      ready: false,
      started: false,
      restartCount,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${backoffText(
            restartCount,
          )} restarting failed container=${container.name} pod=${ref}`,
        },
      },
      lastState: {
        terminated: {
          exitCode: reason === 'OOMKilled' ? 137 : 1,
          reason,
          startedAt: isoSeconds(new Date(now.getTime() - 2000)),
          finishedAt: at,
          containerID: previous.containerID ?? `containerd://${'0'.repeat(64)}`,
        },
      },
    };
    const notReady = {
      reason: 'ContainersNotReady',
      message: `containers with unready status: [${container.name}]`,
    };
    const conditions = (pod.status?.conditions ?? []).map((c: any) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? {
            ...c,
            status: 'False',
            ...notReady,
            lastTransitionTime:
              c.status === 'False' ? c.lastTransitionTime : at,
          }
        : c,
    );
    const updated = cluster.apply({
      ...pod,
      status: {
        ...pod.status,
        phase: 'Running',
        conditions,
        containerStatuses: [
          ...statuses.filter(s => s.name !== container.name),
          containerStatus,
        ].sort(
          (a, b) =>
            containers.findIndex(c => c.name === a.name) -
            containers.findIndex(c => c.name === b.name),
        ),
      },
    });
    recordEvent(cluster, {
      involvedObject: updated,
      fieldPath: `spec.containers{${container.name}}`,
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container ${container.name} in pod ${ref}`,
      component: 'kubelet',
      host: pod.spec?.nodeName,
      now,
    });
    this.#syncOwnerOf(updated);
    return true;
  }

  #syncOwnerOf(pod: KubeObject) {
    const rsRef = pod.metadata.ownerReferences?.find(
      r => r.kind === 'ReplicaSet',
    );
    if (!rsRef) {
      return;
    }
    const rs = this.#cluster.get(
      'apps/v1',
      'ReplicaSet',
      pod.metadata.namespace,
      rsRef.name,
    );
    const depRef = rs?.metadata.ownerReferences?.find(
      r => r.kind === 'Deployment',
    );
    if (depRef) {
      syncDeploymentStatus(this.#cluster, pod.metadata.namespace!, depRef.name);
    }
  }

  async #rollout(
    options: StuckRolloutOptions,
    stuck: boolean,
  ): Promise<RolloutResult> {
    const cluster = this.#cluster;
    const { namespace } = options;
    const name = options.deployment;
    const stepMs = options.stepMs ?? 1000;
    const controller = this.#track();
    const signal = controller.signal;
    const original = cluster.get('apps/v1', 'Deployment', namespace, name);
    if (!original) {
      this.#untrack(controller);
      throw new Error(`Deployment ${namespace}/${name} not found`);
    }

    // 1. New template: the generation goes up and a new revision starts.
    const updated = structuredClone(original);
    const containers: any[] = updated.spec.template.spec.containers;
    const target =
      containers.find(c => c.name === options.container) ?? containers[0];
    target.image = options.image;
    const hash = podTemplateHash(updated.spec.template);
    const existingSets = replicaSetsOf(cluster, original);
    const revision = String(
      Math.max(
        0,
        ...existingSets.map(rs =>
          Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0),
        ),
        Number(original.metadata.annotations?.[REVISION_ANNOTATION] ?? 0),
      ) + 1,
    );
    updated.metadata.annotations = {
      ...updated.metadata.annotations,
      [REVISION_ANNOTATION]: revision,
    };
    const deployment = cluster.apply(updated);
    let newRs = existingSets.find(
      rs => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash,
    );
    if (newRs) {
      // Rolling back to an earlier template reuses its ReplicaSet.
      newRs = cluster.apply({
        ...newRs,
        metadata: {
          ...newRs.metadata,
          annotations: {
            ...newRs.metadata.annotations,
            [REVISION_ANNOTATION]: revision,
          },
        },
      });
    } else {
      newRs = cluster.apply(
        replicaSetFor(deployment, { replicas: 0, revision }),
      );
    }
    const rsName = newRs.metadata.name;
    const result = (
      completed: boolean,
      reason: RolloutResult['reason'],
    ): RolloutResult => {
      this.#untrack(controller);
      return {
        namespace,
        deployment: name,
        replicaSet: rsName,
        revision,
        completed,
        reason,
      };
    };
    const progressing: Progressing = {
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rsName}" is progressing.`,
    };
    const sync = (p: Progressing = progressing) =>
      syncDeploymentStatus(cluster, namespace, name, p);
    sync();
    const deadline =
      Date.now() +
      (options.progressDeadlineMs ??
        (deployment.spec.progressDeadlineSeconds ?? 600) * 1000);
    const scaleEvent = (rs: KubeObject, from: number, to: number) =>
      recordEvent(cluster, {
        involvedObject:
          cluster.get('apps/v1', 'Deployment', namespace, name) ?? deployment,
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled ${to > from ? 'up' : 'down'} replica set ${
          rs.metadata.name
        } from ${from} to ${to}`,
        component: 'deployment-controller',
      });

    for (;;) {
      if (signal.aborted) {
        return result(false, 'Cancelled');
      }
      const current = cluster.get('apps/v1', 'Deployment', namespace, name);
      const rs = cluster.get('apps/v1', 'ReplicaSet', namespace, rsName);
      if (!current || !rs) {
        return result(false, 'Cancelled');
      }
      const desired: number = current.spec.replicas ?? 1;
      const { maxSurge, maxUnavailable } = rollingUpdateLimits(current);
      const oldSets = replicaSetsOf(cluster, current).filter(
        s => s.metadata.uid !== rs.metadata.uid,
      );
      const newPods = podsOf(cluster, rs).filter(p => !isTerminating(p));
      const oldPods = oldSets
        .flatMap(s => podsOf(cluster, s))
        .filter(p => !isTerminating(p));
      const newReady = newPods.filter(isPodReady).length;
      if (
        newPods.length === desired &&
        newReady === desired &&
        oldPods.length === 0
      ) {
        sync({
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        });
        return result(true, 'NewReplicaSetAvailable');
      }
      if (stuck && Date.now() >= deadline) {
        sync({
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        });
        return result(false, 'ProgressDeadlineExceeded');
      }

      // 2. Scale the new ReplicaSet up, within maxSurge.
      const up = Math.min(
        desired - newPods.length,
        desired + maxSurge - newPods.length - oldPods.length,
      );
      if (up > 0) {
        const from = rs.spec.replicas ?? 0;
        const scaled = cluster.apply({
          ...rs,
          spec: { ...rs.spec, replicas: from + up },
        });
        scaleEvent(scaled, from, from + up);
        const nodes = cluster.list('v1', 'Node').map(n => n.metadata.name);
        if (nodes.length === 0) {
          nodes.push('sim-node-1');
        }
        const created: KubeObject[] = [];
        for (let i = 0; i < up; i++) {
          const podIndex = created.length + newPods.length + oldPods.length;
          created.push(
            cluster.apply(
              podFor(scaled, {
                // Seeds the name suffix: unique per ReplicaSet and step.
                index: Date.now() + podIndex,
                nodeName: nodes[podIndex % nodes.length],
                state: { state: 'creating' },
              }),
            ),
          );
        }
        sync();
        if (!(await sleep(stepMs / 2, signal))) {
          return result(false, 'Cancelled');
        }
        for (const pod of created) {
          this.#startPod(pod, stuck);
        }
        sync();
      }

      // 3. Scale old ReplicaSets down, keeping desired - maxUnavailable available.
      const ready =
        podsOf(cluster, rs).filter(p => !isTerminating(p) && isPodReady(p))
          .length + oldPods.filter(isPodReady).length;
      const down =
        desired === 0
          ? oldPods.length
          : Math.min(oldPods.length, ready - (desired - maxUnavailable));
      if (down > 0) {
        // Not-ready pods go first, as the ReplicaSet controller prefers.
        const victims = [...oldPods]
          .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)))
          .slice(0, down);
        const at = isoSeconds(new Date());
        for (const pod of victims) {
          cluster.apply({
            ...pod,
            metadata: {
              ...pod.metadata,
              deletionTimestamp: at,
              deletionGracePeriodSeconds: 30,
            },
          });
        }
        for (const set of oldSets) {
          const count = victims.filter(v =>
            v.metadata.ownerReferences?.some(r => r.uid === set.metadata.uid),
          ).length;
          if (count > 0) {
            const from = set.spec.replicas ?? 0;
            cluster.apply({
              ...set,
              spec: { ...set.spec, replicas: Math.max(0, from - count) },
            });
            scaleEvent(set, from, Math.max(0, from - count));
          }
        }
        sync();
        if (!(await sleep(stepMs / 4, signal))) {
          return result(false, 'Cancelled');
        }
        for (const pod of victims) {
          cluster.delete('v1', 'Pod', namespace, pod.metadata.name);
          cluster.logs.forgetPod(namespace, pod.metadata.name);
        }
        sync();
      }
      if (!(await sleep(stepMs, signal))) {
        return result(false, 'Cancelled');
      }
    }
  }

  #startPod(created: KubeObject, stuck: boolean) {
    const cluster = this.#cluster;
    const pod = cluster.get(
      'v1',
      'Pod',
      created.metadata.namespace,
      created.metadata.name,
    );
    if (!pod) {
      return;
    }
    const container = pod.spec.containers[0];
    if (stuck) {
      cluster.apply({
        ...pod,
        status: podStatus(pod, { state: 'imagePullBackOff' }),
      });
      const common = {
        involvedObject: pod,
        fieldPath: `spec.containers{${container.name}}`,
        type: 'Warning' as const,
        component: 'kubelet',
        host: pod.spec.nodeName,
      };
      recordEvent(cluster, {
        ...common,
        reason: 'Failed',
        message: `Failed to pull image "${container.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${container.image}": not found`,
      });
      recordEvent(cluster, {
        ...common,
        reason: 'BackOff',
        message: `Back-off pulling image "${container.image}"`,
      });
      return;
    }
    cluster.logs.append(
      pod.metadata.namespace!,
      pod.metadata.name,
      container.name,
      startupLines(container.name, container.image),
    );
    cluster.apply({
      ...pod,
      status: podStatus(pod, { state: 'running', ready: true }),
    });
  }
}
