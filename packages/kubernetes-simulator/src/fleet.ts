import { createHash, randomUUID } from 'node:crypto';
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  condition,
  controllerRef,
  deploymentStatus,
  fnv1a,
  isOwnedBy,
  nameSuffix,
  podTemplateHash,
  replicaSetStatus,
} from './controllers';
import { isoSeconds, type KubeObject } from './store';

/** Label every simulated Node carries. */
export const SIMULATED_LABEL = 'paved.dev/simulated';
/** Label the upstream Backstage Kubernetes plugin matches `backstage.io/kubernetes-id` with. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** Recommended app name label; workload selectors use it. */
export const APP_NAME_LABEL = 'app.kubernetes.io/name';

/** Options of {@link nodeObjects}. */
export interface NodeOptions {
  /** How many nodes. Default 3. */
  count?: number;
  /** Name prefix; nodes are `<prefix>-1`, `<prefix>-2`, ... Default `sim-node`. */
  prefix?: string;
  /** Zones, assigned round-robin. */
  zones?: string[];
  /** Cluster name, written into providerID. */
  clusterName?: string;
  createdAt?: Date;
}

/** Simulated Nodes, each labelled `paved.dev/simulated: "true"`. */
export function nodeObjects(options: NodeOptions = {}): KubeObject[] {
  const count = options.count ?? 3;
  const prefix = options.prefix ?? 'sim-node';
  const zones = options.zones ?? ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  const cluster = options.clusterName ?? 'simulated';
  const at = isoSeconds(options.createdAt ?? new Date());
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}-${i + 1}`;
    const ready = condition(
      undefined,
      'Ready',
      'True',
      'KubeletReady',
      'kubelet is posting ready status',
      new Date(at),
    );
    const pressure = (type: string, reason: string, message: string) => ({
      type,
      status: 'False',
      lastHeartbeatTime: at,
      lastTransitionTime: at,
      reason,
      message,
    });
    const capacity = {
      cpu: '8',
      memory: '32863640Ki',
      pods: '110',
      'ephemeral-storage': '104845292Ki',
    };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          [SIMULATED_LABEL]: 'true',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/zone': zones[i % zones.length],
          'node.kubernetes.io/instance-type': 'sim.2xlarge',
        },
        annotations: {
          'paved.dev/simulated-note':
            'Simulated node of the Paved Kubernetes simulator: not a real machine.',
        },
      },
      spec: {
        podCIDR: `10.244.${i}.0/24`,
        podCIDRs: [`10.244.${i}.0/24`],
        providerID: `paved-simulator://${cluster}/${name}`,
      },
      status: {
        capacity,
        allocatable: { ...capacity, cpu: '7910m', memory: '31715736Ki' },
        conditions: [
          pressure(
            'MemoryPressure',
            'KubeletHasSufficientMemory',
            'kubelet has sufficient memory available',
          ),
          pressure(
            'DiskPressure',
            'KubeletHasNoDiskPressure',
            'kubelet has no disk pressure',
          ),
          pressure(
            'PIDPressure',
            'KubeletHasSufficientPID',
            'kubelet has sufficient PID available',
          ),
          {
            type: ready.type,
            status: ready.status,
            lastHeartbeatTime: at,
            lastTransitionTime: at,
            reason: ready.reason,
            message: ready.message,
          },
        ],
        addresses: [
          { type: 'InternalIP', address: `10.0.0.${10 + i}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          machineID: hex(`${cluster}/${name}/machine`, 32),
          systemUUID: hex(`${cluster}/${name}/system`, 32),
          bootID: hex(`${cluster}/${name}/boot`, 32),
          kernelVersion: '6.1.0-paved-simulated',
          osImage: 'Paved simulated node (not a real machine)',
          containerRuntimeVersion: 'containerd://1.7.20-simulated',
          kubeletVersion: 'v1.37.2+paved-simulator',
          kubeProxyVersion: 'v1.37.2+paved-simulator',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    };
  });
}

/** A Namespace object. */
export function namespaceObject(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'kubernetes.io/metadata.name': name, ...labels },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function ipFor(seed: string, prefix: string): string {
  const h = fnv1a(seed);
  return `${prefix}.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`;
}

/** State a simulated container can be put in. */
export type ContainerState =
  | { state: 'running'; ready: boolean }
  | { state: 'creating' }
  | { state: 'imagePullBackOff' };

/** Pod status for a pod whose containers are in `state`. */
export function podStatus(
  pod: KubeObject,
  state: ContainerState,
  now: Date = new Date(),
): Record<string, unknown> {
  const at = isoSeconds(now);
  const started = pod.status?.startTime ?? at;
  const containers: any[] = pod.spec?.containers ?? [];
  const running = state.state === 'running';
  const ready = running && state.ready;
  const nodeName: string = pod.spec?.nodeName ?? 'sim-node-1';
  const podConditions = (pod.status?.conditions ?? []) as any[];
  const cond = (
    type: string,
    status: boolean,
    extra: Record<string, string> = {},
  ) => {
    const value = status ? 'True' : 'False';
    const old = podConditions.find(c => c.type === type);
    return {
      type,
      status: value,
      lastProbeTime: null,
      lastTransitionTime:
        old && old.status === value ? old.lastTransitionTime : at,
      ...extra,
    };
  };
  const notReady = {
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${containers
      .map(c => c.name)
      .join(' ')}]`,
  };
  const podIP = ipFor(
    `${pod.metadata.namespace}/${pod.metadata.name}`,
    '10.244',
  );
  const hostIP = `10.0.0.${10 + (fnv1a(nodeName) % 200)}`;
  return {
    phase: running ? 'Running' : 'Pending',
    conditions: [
      cond('PodReadyToStartContainers', state.state !== 'creating'),
      cond('Initialized', true),
      cond('Ready', ready, ready ? {} : notReady),
      cond('ContainersReady', ready, ready ? {} : notReady),
      cond('PodScheduled', true),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(state.state === 'creating' ? {} : { podIP, podIPs: [{ ip: podIP }] }),
    startTime: started,
    containerStatuses: containers.map(c => {
      const id = hex(`${pod.metadata.uid}/${c.name}`, 64);
      if (state.state === 'running') {
        return {
          name: c.name,
          image: c.image,
          imageID: `${String(c.image).split(':')[0]}@sha256:${hex(
            c.image,
            64,
          )}`,
          containerID: `containerd://${id}`,
          ready,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: started } },
        };
      }
      return {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: {
          waiting:
            state.state === 'creating'
              ? { reason: 'ContainerCreating' }
              : {
                  reason: 'ImagePullBackOff',
                  message: `Back-off pulling image "${c.image}"`,
                },
        },
      };
    }),
    qosClass: 'Burstable',
  };
}

/** Options of {@link workloadObjects}. */
export interface WorkloadOptions {
  name: string;
  /** Default `default`. */
  namespace?: string;
  /** Default 2. */
  replicas?: number;
  image: string;
  /** Extra labels on every object and pod template. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Value of the `backstage.io/kubernetes-id` label. Default: `name`. */
  kubernetesId?: string;
  /** Container port. Default 8080. */
  port?: number;
  /** Also create a ClusterIP Service. Default true. */
  service?: boolean;
  /** Also create an autoscaling/v2 HorizontalPodAutoscaler. */
  hpa?: { minReplicas?: number; maxReplicas: number; cpuUtilization?: number };
  /** Nodes the pods are spread over. Default `sim-node-1..3`. */
  nodes?: string[];
  createdAt?: Date;
}

/** A Deployment for a workload, without status (see {@link workloadObjects}). */
export function deploymentObject(options: WorkloadOptions): KubeObject {
  const {
    name,
    namespace = 'default',
    replicas = 2,
    image,
    port = 8080,
  } = options;
  const labels = {
    [APP_NAME_LABEL]: name,
    [KUBERNETES_ID_LABEL]: options.kubernetesId ?? name,
    ...options.labels,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      uid: randomUUID(),
      labels,
      annotations: { [REVISION_ANNOTATION]: '1', ...options.annotations },
      ...(options.createdAt
        ? { creationTimestamp: isoSeconds(options.createdAt) }
        : {}),
    },
    spec: {
      replicas,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { [APP_NAME_LABEL]: name } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name,
              image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
              env: [{ name: 'PAVED_SIMULATED', value: 'true' }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              readinessProbe: {
                httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' },
                periodSeconds: 10,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' },
                initialDelaySeconds: 10,
                periodSeconds: 20,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 3,
              },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          serviceAccountName: 'default',
          schedulerName: 'default-scheduler',
        },
      },
    },
  };
}

/** A ReplicaSet of a Deployment for its current pod template. */
export function replicaSetFor(
  deployment: KubeObject,
  options: { replicas?: number; revision?: string; createdAt?: Date } = {},
): KubeObject {
  const template = deployment.spec.template;
  const hash = podTemplateHash(template);
  const labels = {
    ...template.metadata?.labels,
    [POD_TEMPLATE_HASH_LABEL]: hash,
  };
  const replicas = options.replicas ?? deployment.spec.replicas ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      uid: randomUUID(),
      labels,
      annotations: {
        [REVISION_ANNOTATION]:
          options.revision ??
          deployment.metadata.annotations?.[REVISION_ANNOTATION] ??
          '1',
        'deployment.kubernetes.io/desired-replicas': String(
          deployment.spec.replicas ?? 1,
        ),
        'deployment.kubernetes.io/max-replicas': String(
          (deployment.spec.replicas ?? 1) + 1,
        ),
      },
      ownerReferences: [controllerRef(deployment)],
      ...(options.createdAt
        ? { creationTimestamp: isoSeconds(options.createdAt) }
        : {}),
    },
    spec: {
      replicas,
      selector: {
        matchLabels: {
          ...deployment.spec.selector?.matchLabels,
          [POD_TEMPLATE_HASH_LABEL]: hash,
        },
      },
      template: { ...template, metadata: { ...template.metadata, labels } },
    },
  };
}

/** A pod of a controller (ReplicaSet, Job, StatefulSet, DaemonSet) from its template. */
export function podFor(
  owner: KubeObject,
  options: {
    name?: string;
    index: number;
    nodeName: string;
    state?: ContainerState;
    createdAt?: Date;
    extraLabels?: Record<string, string>;
  },
): KubeObject {
  const template = owner.spec.template;
  const name =
    options.name ??
    `${owner.metadata.name}-${nameSuffix(
      `${owner.metadata.uid}/${options.index}`,
    )}`;
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      // Controller-named pods (ReplicaSets, Jobs, DaemonSets) are generated.
      ...(options.name ? {} : { generateName: `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      uid: randomUUID(),
      labels: { ...template.metadata?.labels, ...options.extraLabels },
      ...(template.metadata?.annotations
        ? { annotations: { ...template.metadata.annotations } }
        : {}),
      ownerReferences: [controllerRef(owner)],
      ...(options.createdAt
        ? { creationTimestamp: isoSeconds(options.createdAt) }
        : {}),
    },
    spec: { ...structuredClone(template.spec), nodeName: options.nodeName },
  };
  pod.status = podStatus(
    pod,
    options.state ?? { state: 'running', ready: true },
    options.createdAt,
  );
  return pod;
}

/**
 * A consistent workload: Deployment, its ReplicaSet and running, ready Pods
 * with ownerReferences, plus an optional Service and HorizontalPodAutoscaler.
 * Statuses are what the controllers would report.
 */
export function workloadObjects(options: WorkloadOptions): KubeObject[] {
  const createdAt = options.createdAt ?? new Date();
  const deployment = deploymentObject({ ...options, createdAt });
  const nodes = options.nodes ?? ['sim-node-1', 'sim-node-2', 'sim-node-3'];
  const { replicaSet, pods } = podsForDeployment(deployment, nodes, createdAt);
  deployment.status = deploymentStatus(
    deployment,
    [replicaSet],
    createdAt,
    progressedCondition(replicaSet),
  );
  const objects: KubeObject[] = [deployment, replicaSet, ...pods];
  if (options.service ?? true) {
    objects.push(serviceFor(deployment, options.port ?? 8080));
  }
  if (options.hpa) {
    objects.push(hpaFor(deployment, options.hpa));
  }
  return objects;
}

function progressedCondition(replicaSet: KubeObject) {
  return {
    status: 'True' as const,
    reason: 'NewReplicaSetAvailable',
    message: `ReplicaSet "${replicaSet.metadata.name}" has successfully progressed.`,
  };
}

function podsForDeployment(
  deployment: KubeObject,
  nodes: readonly string[],
  createdAt: Date,
): { replicaSet: KubeObject; pods: KubeObject[] } {
  const replicaSet = replicaSetFor(deployment, { createdAt });
  const pods = Array.from({ length: replicaSet.spec.replicas }, (_, i) =>
    podFor(replicaSet, {
      index: i,
      nodeName: nodes[i % nodes.length],
      createdAt,
    }),
  );
  replicaSet.status = replicaSetStatus(replicaSet, pods);
  return { replicaSet, pods };
}

/** A ClusterIP Service selecting a Deployment's pods. */
export function serviceFor(deployment: KubeObject, port = 8080): KubeObject {
  const name = deployment.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: deployment.metadata.namespace,
      labels: { ...deployment.metadata.labels },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: ipFor(`${deployment.metadata.namespace}/${name}`, '10.96'),
      selector: { ...deployment.spec.selector.matchLabels },
      ports: [{ name: 'http', port: 80, targetPort: port, protocol: 'TCP' }],
    },
    status: { loadBalancer: {} },
  };
}

/** An autoscaling/v2 HorizontalPodAutoscaler for a Deployment, with a plausible status. */
export function hpaFor(
  deployment: KubeObject,
  options: {
    minReplicas?: number;
    maxReplicas: number;
    cpuUtilization?: number;
  },
): KubeObject {
  const name = deployment.metadata.name;
  const replicas = deployment.spec.replicas ?? 1;
  const target = options.cpuUtilization ?? 70;
  const at = isoSeconds(new Date());
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      namespace: deployment.metadata.namespace,
      labels: { ...deployment.metadata.labels },
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: options.minReplicas ?? replicas,
      maxReplicas: options.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: target },
          },
        },
      ],
    },
    status: {
      currentReplicas: replicas,
      desiredReplicas: replicas,
      currentMetrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            current: {
              averageUtilization: Math.round(target * 0.6),
              averageValue: '42m',
            },
          },
        },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          lastTransitionTime: at,
          reason: 'ReadyForNewScale',
          message: 'recommended size matches current size',
        },
        {
          type: 'ScalingActive',
          status: 'True',
          lastTransitionTime: at,
          reason: 'ValidMetricFound',
          message:
            'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        },
        {
          type: 'ScalingLimited',
          status: 'False',
          lastTransitionTime: at,
          reason: 'DesiredWithinRange',
          message: 'the desired count is within the acceptable range',
        },
      ],
    },
  };
}

/** Options of {@link generateFleet}. */
export interface FleetOptions {
  /** Number of apps (Deployments). Default 100. */
  apps?: number;
  /** Pods per app. Default 20. */
  podsPerApp?: number;
  /** Number of namespaces the apps are spread over. Default 5. */
  namespaces?: number;
  /** Number of nodes. Default 10. */
  nodes?: number;
  /** App name prefix. Default `app`. */
  prefix?: string;
  clusterName?: string;
}

/**
 * A benchmark fleet: Namespaces, Nodes and, per app, a Deployment,
 * ReplicaSet, Pods and Service. Apps are `app-0`, `app-1`, ... (labelled
 * `backstage.io/kubernetes-id: app-<i>`) in namespaces `bench-<i % namespaces>`.
 * 2,000 pods generate in milliseconds.
 */
export function generateFleet(options: FleetOptions = {}): KubeObject[] {
  const apps = options.apps ?? 100;
  const podsPerApp = options.podsPerApp ?? 20;
  const namespaceCount = Math.max(1, options.namespaces ?? 5);
  const prefix = options.prefix ?? 'app';
  const nodes = nodeObjects({
    count: options.nodes ?? 10,
    clusterName: options.clusterName,
  });
  const nodeNames = nodes.map(n => n.metadata.name);
  const namespaces = Array.from({ length: namespaceCount }, (_, i) =>
    namespaceObject(`bench-${i}`),
  );
  const createdAt = new Date();
  const objects: KubeObject[] = [...namespaces, ...nodes];
  for (let i = 0; i < apps; i++) {
    const name = `${prefix}-${i}`;
    objects.push(
      ...workloadObjects({
        name,
        namespace: `bench-${i % namespaceCount}`,
        replicas: podsPerApp,
        image: `registry.paved.dev/bench/${name}:1.0.${i % 7}`,
        nodes: nodeNames,
        createdAt,
      }),
    );
  }
  return objects;
}

/**
 * Adds what the controllers would have created for workloads given without
 * it: ReplicaSet and Pods for a Deployment, Pods for StatefulSets,
 * DaemonSets and Jobs, and their statuses. Workloads that already own
 * objects in `objects` or `existing` are left alone.
 */
export function materializeWorkloads(
  objects: readonly KubeObject[],
  options: { nodes: readonly string[]; existing?: readonly KubeObject[] },
): KubeObject[] {
  const nodes = options.nodes.length > 0 ? options.nodes : ['sim-node-1'];
  const everything = [...(options.existing ?? []), ...objects];
  const ownsSomething = (owner: KubeObject) =>
    everything.some(o => isOwnedBy(o, owner));
  const result: KubeObject[] = [];
  for (const object of objects) {
    if (!object.spec?.template || ownsSomething(object)) {
      result.push(object);
      continue;
    }
    const createdAt = object.metadata.creationTimestamp
      ? new Date(object.metadata.creationTimestamp)
      : new Date();
    const owner: KubeObject = { ...object, metadata: { ...object.metadata } };
    owner.metadata.uid = owner.metadata.uid ?? randomUUID();
    switch (`${object.apiVersion}/${object.kind}`) {
      case 'apps/v1/Deployment': {
        const { replicaSet, pods } = podsForDeployment(owner, nodes, createdAt);
        owner.metadata.annotations = {
          [REVISION_ANNOTATION]: '1',
          ...owner.metadata.annotations,
        };
        owner.status = deploymentStatus(
          owner,
          [replicaSet],
          createdAt,
          progressedCondition(replicaSet),
        );
        result.push(owner, replicaSet, ...pods);
        break;
      }
      case 'apps/v1/StatefulSet': {
        const replicas = owner.spec.replicas ?? 1;
        const pods = Array.from({ length: replicas }, (_, i) =>
          podFor(owner, {
            name: `${owner.metadata.name}-${i}`,
            index: i,
            nodeName: nodes[i % nodes.length],
            createdAt,
            extraLabels: {
              'statefulset.kubernetes.io/pod-name': `${owner.metadata.name}-${i}`,
            },
          }),
        );
        owner.status = {
          observedGeneration: owner.metadata.generation ?? 1,
          replicas,
          readyReplicas: replicas,
          currentReplicas: replicas,
          updatedReplicas: replicas,
          availableReplicas: replicas,
          collisionCount: 0,
        };
        result.push(owner, ...pods);
        break;
      }
      case 'apps/v1/DaemonSet': {
        const pods = nodes.map((node, i) =>
          podFor(owner, { index: i, nodeName: node, createdAt }),
        );
        owner.status = {
          currentNumberScheduled: nodes.length,
          desiredNumberScheduled: nodes.length,
          numberAvailable: nodes.length,
          numberMisscheduled: 0,
          numberReady: nodes.length,
          observedGeneration: owner.metadata.generation ?? 1,
          updatedNumberScheduled: nodes.length,
        };
        result.push(owner, ...pods);
        break;
      }
      case 'batch/v1/Job':
        result.push(owner, ...jobPods(owner, nodes, createdAt));
        break;
      default:
        result.push(object);
    }
  }
  return result;
}

// A Job's pod mirrors the Job's status the fixture declares: succeeded or failed.
function jobPods(
  job: KubeObject,
  nodes: readonly string[],
  createdAt: Date,
): KubeObject[] {
  const failed = (job.status?.failed ?? 0) > 0;
  const active = (job.status?.active ?? 0) > 0;
  const pod = podFor(job, {
    index: 0,
    nodeName: nodes[0],
    createdAt,
    extraLabels: {
      'batch.kubernetes.io/job-name': job.metadata.name,
      'job-name': job.metadata.name,
      'batch.kubernetes.io/controller-uid': job.metadata.uid!,
    },
  });
  if (active) {
    return [pod];
  }
  const finishedAt = job.status?.completionTime ?? isoSeconds(createdAt);
  pod.status.phase = failed ? 'Failed' : 'Succeeded';
  for (const c of pod.status.containerStatuses) {
    c.ready = false;
    c.started = false;
    c.state = {
      terminated: {
        exitCode: failed ? 1 : 0,
        reason: failed ? 'Error' : 'Completed',
        startedAt: c.state.running?.startedAt,
        finishedAt,
        containerID: c.containerID,
      },
    };
  }
  for (const cond of pod.status.conditions) {
    if (cond.type === 'Ready' || cond.type === 'ContainersReady') {
      cond.status = 'False';
      cond.reason = 'PodCompleted';
      delete cond.message;
    }
  }
  return [pod];
}
