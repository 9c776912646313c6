// Server-side printing: `meta.k8s.io/v1` Tables, which kubectl asks for
// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io, ...`) and prints
// as its columns. The columns and cells follow kube-apiserver's printers
// (pkg/printers/internalversion) for pods, deployments, replica sets,
// nodes, namespaces, services and events; every other kind (custom
// resources included) gets Name and Age, like a CRD without printer columns.
import type { ResourceType } from './resources';
import type { KubeObject } from './store';

/** A column of a Table. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number;

interface Printer {
  columns: TableColumn[];
  cells(object: KubeObject, now: number): Cell[];
}

const col = (
  name: string,
  description: string,
  priority = 0,
  format = '',
  type = 'string',
): TableColumn => ({ name, type, format, description, priority });

const NAME = col(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'name',
);
const AGE = col(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
);

/** kube's duration.HumanDuration: `45s`, `3m20s`, `5h12m`, `12d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) {
    return '<invalid>';
  }
  if (seconds < 0) {
    return '0s';
  }
  if (seconds < 120) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) {
    return `${hours}h`;
  }
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) {
    return `${Math.floor(hours / 24)}d`;
  }
  if (hours < 24 * 365 * 8) {
    const years = Math.floor(hours / 24 / 365);
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string') {
    return '<unknown>';
  }
  return humanDuration(now - Date.parse(timestamp));
}

function podStatus(pod: KubeObject): string {
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || '';
  const init = status.initContainerStatuses ?? [];
  let initializing = false;
  init.forEach((c: any, i: number) => {
    if (initializing) {
      return;
    }
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) {
      return;
    }
    if (t) {
      if (t.reason) {
        reason = `Init:${t.reason}`;
      } else if (t.signal) {
        reason = `Init:Signal:${t.signal}`;
      } else {
        reason = `Init:ExitCode:${t.exitCode}`;
      }
    } else if (
      c.state?.waiting?.reason &&
      c.state.waiting.reason !== 'PodInitializing'
    ) {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
    }
    initializing = true;
  });
  if (!initializing) {
    let hasRunning = false;
    const containers = [...(status.containerStatuses ?? [])].reverse();
    for (const c of containers) {
      if (c.state?.waiting?.reason) {
        reason = c.state.waiting.reason;
      } else if (c.state?.terminated?.reason) {
        reason = c.state.terminated.reason;
      } else if (c.state?.terminated) {
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = 'Running';
    }
  }
  if (pod.metadata.deletionTimestamp) {
    reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  }
  return reason;
}

function podRestarts(pod: KubeObject, now: number): string {
  let restarts = 0;
  let last: number | undefined;
  for (const c of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ]) {
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) {
      const t = Date.parse(finished);
      last = last === undefined ? t : Math.max(last, t);
    }
  }
  return restarts > 0 && last !== undefined
    ? `${restarts} (${humanDuration(now - last)} ago)`
    : String(restarts);
}

const PRINTERS: Record<string, Printer> = {
  '/Pod': {
    columns: [
      NAME,
      col(
        'Ready',
        'The aggregate readiness state of this pod for accepting traffic.',
      ),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      col('IP', 'podIP address allocated to the pod.', 1),
      col('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
      col(
        'Nominated Node',
        'nominatedNodeName is set only when this pod preempts other pods on the node.',
        1,
      ),
      col(
        'Readiness Gates',
        'If specified, all readiness gates will be evaluated for pod readiness.',
        1,
      ),
    ],
    cells: (pod, now) => {
      const statuses = pod.status?.containerStatuses ?? [];
      const total = (pod.spec?.containers ?? []).length;
      const ready = statuses.filter((c: any) => c.ready).length;
      const gates = pod.spec?.readinessGates ?? [];
      return [
        pod.metadata.name,
        `${ready}/${total}`,
        podStatus(pod),
        podRestarts(pod, now),
        age(pod.metadata.creationTimestamp, now),
        pod.status?.podIP || '<none>',
        pod.spec?.nodeName || '<none>',
        pod.status?.nominatedNodeName || '<none>',
        gates.length
          ? `${
              gates.filter((g: any) =>
                (pod.status?.conditions ?? []).some(
                  (c: any) => c.type === g.conditionType && c.status === 'True',
                ),
              ).length
            }/${gates.length}`
          : '<none>',
      ];
    },
  },
  'apps/Deployment': {
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
        0,
        '',
        'integer',
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        0,
        '',
        'integer',
      ),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col(
        'Selector',
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
        1,
      ),
    ],
    cells: (d, now) => {
      const containers = d.spec?.template?.spec?.containers ?? [];
      return [
        d.metadata.name,
        `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
        d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0,
        age(d.metadata.creationTimestamp, now),
        containers.map((c: any) => c.name).join(','),
        containers.map((c: any) => c.image).join(','),
        selectorText(d.spec?.selector),
      ];
    },
  },
  'apps/ReplicaSet': {
    columns: [
      NAME,
      col('Desired', 'Number of desired pods.', 0, '', 'integer'),
      col('Current', 'Number of actual replicas.', 0, '', 'integer'),
      col(
        'Ready',
        'The number of ready replicas for this replica set.',
        0,
        '',
        'integer',
      ),
      AGE,
    ],
    cells: (rs, now) => [
      rs.metadata.name,
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      age(rs.metadata.creationTimestamp, now),
    ],
  },
  '/Node': {
    columns: [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of addresses reachable to the node.', 1),
      col('External-IP', 'List of addresses reachable to the node.', 1),
      col(
        'OS-Image',
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
        1,
      ),
      col(
        'Kernel-Version',
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        1,
      ),
      col(
        'Container-Runtime',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        1,
      ),
    ],
    cells: (node, now) => {
      const ready = (node.status?.conditions ?? []).find(
        (c: any) => c.type === 'Ready',
      );
      const states: Record<string, string> = {
        True: 'Ready',
        False: 'NotReady',
      };
      let status = states[ready?.status] ?? 'Unknown';
      if (node.spec?.unschedulable) {
        status += ',SchedulingDisabled';
      }
      const roles = Object.keys(node.metadata.labels ?? {})
        .filter(l => l.startsWith('node-role.kubernetes.io/'))
        .map(l => l.slice('node-role.kubernetes.io/'.length))
        .filter(Boolean)
        .sort();
      const address = (type: string) =>
        (node.status?.addresses ?? []).find((a: any) => a.type === type)
          ?.address ?? '<none>';
      const info = node.status?.nodeInfo ?? {};
      return [
        node.metadata.name,
        status,
        roles.length ? roles.join(',') : '<none>',
        age(node.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        address('InternalIP'),
        address('ExternalIP'),
        info.osImage ?? '',
        info.kernelVersion ?? '',
        info.containerRuntimeVersion ?? '',
      ];
    },
  },
  '/Namespace': {
    columns: [NAME, col('Status', 'The status of the namespace'), AGE],
    cells: (ns, now) => [
      ns.metadata.name,
      ns.status?.phase ?? '',
      age(ns.metadata.creationTimestamp, now),
    ],
  },
  '/Service': {
    columns: [
      NAME,
      col('Type', 'type determines how the Service is exposed.'),
      col(
        'Cluster-IP',
        'clusterIP is the IP address of the service and is usually assigned randomly.',
      ),
      col(
        'External-IP',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      AGE,
      col(
        'Selector',
        'Route service traffic to pods with label keys and values matching this selector.',
        1,
      ),
    ],
    cells: (svc, now) => {
      const spec = svc.spec ?? {};
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map(
        (i: any) => i.ip || i.hostname,
      );
      const external = [...(spec.externalIPs ?? []), ...ingress];
      const ports = (spec.ports ?? [])
        .map(
          (p: any) =>
            `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${
              p.protocol ?? 'TCP'
            }`,
        )
        .join(',');
      let externalText = spec.type === 'LoadBalancer' ? '<pending>' : '<none>';
      if (external.length) {
        externalText = external.join(',');
      }
      const selector = Object.entries(spec.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return [
        svc.metadata.name,
        spec.type ?? 'ClusterIP',
        spec.clusterIP || '<none>',
        externalText,
        ports || '<none>',
        age(svc.metadata.creationTimestamp, now),
        selector || '<none>',
      ];
    },
  },
  '/Event': {
    columns: [
      col('Last Seen', 'Time when last Event occurred'),
      col(
        'Type',
        'Type of this event (Normal, Warning), new types could be added in the future.',
      ),
      col(
        'Reason',
        'Reason is why the action was taken. It is human-readable. This field cannot be empty for new Events and it can have at most 128 characters.',
      ),
      col('Object', 'The object that this event is about.'),
      col('Subobject', 'The subobject this event is about.', 1),
      col('Source', 'The component reporting this event.', 1),
      col(
        'Message',
        'A human-readable description of the status of this operation.',
      ),
      col('First Seen', 'Time when first Event occurred', 1),
      col(
        'Count',
        'The number of times this event has occurred.',
        1,
        '',
        'integer',
      ),
      NAME,
    ],
    cells: (ev, now) => {
      const last =
        ev.series?.lastObservedTime ?? ev.lastTimestamp ?? ev.eventTime;
      const subject = ev.involvedObject ?? {};
      return [
        age(last, now),
        ev.type ?? '',
        ev.reason ?? '',
        `${String(subject.kind ?? '').toLowerCase()}/${subject.name ?? ''}`,
        subject.fieldPath ?? '',
        [ev.source?.component, ev.source?.host].filter(Boolean).join(', '),
        String(ev.message ?? '').trim(),
        age(ev.firstTimestamp ?? ev.eventTime, now),
        ev.count ?? 1,
        ev.metadata.name,
      ];
    },
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [NAME, AGE],
  cells: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
};

function selectorText(selector: any): string {
  if (!selector) {
    return '<none>';
  }
  const parts = Object.entries(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'Exists') {
      parts.push(e.key);
    } else if (e.operator === 'DoesNotExist') {
      parts.push(`!${e.key}`);
    } else {
      parts.push(
        `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(
          ',',
        )})`,
      );
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

function printerOf(type: ResourceType): Printer {
  return PRINTERS[`${type.group}/${type.kind}`] ?? DEFAULT_PRINTER;
}

/** Whether an Accept header asks for a `meta.k8s.io` Table (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) {
    return false;
  }
  // The first acceptable media type wins; kubectl lists Table first.
  for (const part of accept.split(',')) {
    const params = part.split(';').map(p => p.trim());
    const type = params[0];
    if (type !== 'application/json' && type !== '*/*') {
      continue;
    }
    const as = params.find(p => p.startsWith('as='))?.slice(3);
    const group = params.find(p => p.startsWith('g='))?.slice(2);
    if (as === 'Table' && group === 'meta.k8s.io') {
      return true;
    }
    if (as === undefined) {
      return false;
    }
  }
  return false;
}

/** The Content-Type of a Table answer. */
export const TABLE_CONTENT_TYPE =
  'application/json;as=Table;v=v1;g=meta.k8s.io';

function partialMetadata(object: KubeObject) {
  const { managedFields: _managed, ...metadata } = object.metadata;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
  };
}

/**
 * A `meta.k8s.io/v1` Table of objects; `includeObject` as the query says
 * (`Metadata` by default: a PartialObjectMetadata per row, which kubectl
 * reads namespaces and labels from).
 */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  listMetadata: Record<string, unknown>,
  options: { includeObject?: string | null; columns?: boolean } = {},
) {
  const printer = printerOf(type);
  const now = Date.now();
  const include = options.includeObject || 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: options.columns === false ? null : printer.columns,
    rows: objects.map(o => ({
      cells: printer.cells(o, now),
      ...(include === 'None'
        ? {}
        : { object: include === 'Object' ? o : partialMetadata(o) }),
    })),
  };
}
