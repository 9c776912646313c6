// The defaults kube-apiserver fills in when it decodes a write (the
// SetDefaults_* functions of k8s.io/kubernetes pkg/apis/*/v1), for the
// fields of the kinds Paved reads: pods and pod templates, Deployments,
// ReplicaSets, StatefulSets, DaemonSets and Services. Other kinds and fields
// are stored as sent (see the README's divergences).
import type { ResourceType } from './resources';
import type { KubeObject } from './store';

type Obj = Record<string, any>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setDefault(target: Obj, key: string, value: unknown) {
  if (target[key] === undefined || target[key] === null) {
    target[key] = value;
  }
}

/** `Always` for `:latest` or an untagged image, else `IfNotPresent` (SetDefaults_Container). */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') {
    return 'IfNotPresent';
  }
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? withoutDigest.slice(colon + 1) : '';
  if (image.includes('@')) {
    return 'IfNotPresent';
  }
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Obj) {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefault(c, 'resources', {});
  for (const port of Array.isArray(c.ports) ? c.ports : []) {
    if (isObject(port)) {
      setDefault(port, 'protocol', 'TCP');
    }
  }
}

function defaultPodSpec(spec: Obj) {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[list]) ? spec[list] : []) {
      if (isObject(c)) {
        defaultContainer(c);
      }
    }
  }
}

function defaultTemplate(spec: Obj) {
  if (isObject(spec.template) && isObject(spec.template.spec)) {
    defaultPodSpec(spec.template.spec);
  }
}

const CORE_KINDS = new Set(['Pod', 'Service']);
const APPS_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
]);

/** Fills in kube's defaults for a decoded write, in place. */
export function applyDefaults(type: ResourceType, object: KubeObject): void {
  const builtin =
    (type.group === '' && CORE_KINDS.has(type.kind)) ||
    (type.group === 'apps' && APPS_KINDS.has(type.kind));
  if (!builtin || !isObject(object.spec)) {
    return;
  }
  const spec = object.spec;
  switch (type.kind) {
    case 'Pod': {
      defaultPodSpec(spec);
      // SetDefaults_Pod, and admission (DefaultTolerationSeconds, Priority)
      // on a pod itself, not on pod templates.
      const tolerations: Obj[] = Array.isArray(spec.tolerations)
        ? spec.tolerations
        : [];
      for (const key of [
        'node.kubernetes.io/not-ready',
        'node.kubernetes.io/unreachable',
      ]) {
        if (
          !tolerations.some(
            t => t?.key === key && (!t.effect || t.effect === 'NoExecute'),
          )
        ) {
          tolerations.push({
            key,
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          });
        }
      }
      spec.tolerations = tolerations;
      setDefault(spec, 'priority', 0);
      setDefault(spec, 'enableServiceLinks', true);
      setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
      break;
    }
    case 'Deployment':
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'strategy', {});
      setDefault(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        setDefault(spec.strategy, 'rollingUpdate', {});
        setDefault(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
        setDefault(spec.strategy.rollingUpdate, 'maxSurge', '25%');
      }
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      defaultTemplate(spec);
      break;
    case 'ReplicaSet':
      setDefault(spec, 'replicas', 1);
      defaultTemplate(spec);
      break;
    case 'StatefulSet':
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'updateStrategy', {});
      setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        setDefault(spec.updateStrategy, 'rollingUpdate', {});
        setDefault(spec.updateStrategy.rollingUpdate, 'partition', 0);
      }
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      });
      defaultTemplate(spec);
      break;
    case 'DaemonSet':
      setDefault(spec, 'updateStrategy', {});
      setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        setDefault(spec.updateStrategy, 'rollingUpdate', {});
        setDefault(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
        setDefault(spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
      }
      setDefault(spec, 'revisionHistoryLimit', 10);
      defaultTemplate(spec);
      break;
    case 'Service':
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      if (spec.type !== 'ExternalName') {
        setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      }
      for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
        if (isObject(port)) {
          setDefault(port, 'protocol', 'TCP');
          setDefault(port, 'targetPort', port.port);
        }
      }
      break;
    default:
      break;
  }
}
