import { resourceKey, type KubeObject } from './store';

/** A served resource type and its discovery information. */
export interface ResourceType {
  /** API group; empty for the core API. */
  group: string;
  version: string;
  /** Plural, lower-case: the URL segment (`pods`). */
  plural: string;
  singular: string;
  kind: string;
  /** Kind of the list response (`PodList`). */
  listKind: string;
  namespaced: boolean;
  /** Verbs served over HTTP (all of a real resource's but server-side apply). */
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Field selector labels besides metadata.name and metadata.namespace. */
  fieldLabels?: string[];
  /** Whether the apiserver maintains metadata.generation (not for core kinds). */
  tracksGeneration: boolean;
  /** Subresources served (`log` for pods, `status`). */
  subresources?: string[];
  /**
   * A CustomResourceDefinition in a real cluster (Argo CD, Flux,
   * Gatekeeper): no strategic merge patch, an update needs a
   * resourceVersion, every change outside metadata (and status, with the
   * status subresource) bumps the generation.
   */
  custom?: boolean;
  /** PUT of a missing object creates it (services, events). */
  createOnUpdate?: boolean;
  /** DELETE answers the deleted object instead of a `Status` (pods, services, namespaces). */
  returnDeletedObject?: boolean;
  /** metadata.name rule: DNS-1123 subdomain (default), DNS-1123 label (namespaces), DNS-1035 label (services). */
  nameFormat?: 'subdomain' | 'label' | 'dns1035';
  /**
   * What a create stores as `status` (the registry strategy's
   * PrepareForCreate); `undefined` keeps the given status (nodes, and kinds
   * without a status subresource), `null` drops it (custom resources).
   */
  initialStatus?: (object: KubeObject) => unknown;
  /** Deployments also bump the generation when annotations change. */
  generationOnAnnotations?: boolean;
  /** Without propagationPolicy, dependents are orphaned (batch/v1 Jobs) instead of deleted in the background. */
  orphanByDefault?: boolean;
}

/** Every verb of a resource, as kube-apiserver's discovery lists them. */
export const RESOURCE_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

const STATUS = ['status'];
const empty = () => ({});
const loadBalancer = () => ({ loadBalancer: {} });

/** The QoS class kube-apiserver computes for a new pod (pkg/apis/core/helper/qos). */
export function podQosClass(pod: KubeObject): string {
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c?.resources?.requests ?? {};
    const limits = c?.resources?.limits ?? {};
    const names = ['cpu', 'memory'];
    if (names.some(n => requests[n] !== undefined || limits[n] !== undefined)) {
      any = true;
    }
    for (const n of names) {
      // Requests default to limits; Guaranteed needs both, equal, for cpu and memory.
      const request = requests[n] ?? limits[n];
      if (limits[n] === undefined || String(request) !== String(limits[n])) {
        guaranteed = false;
      }
    }
  }
  if (!any) {
    return 'BestEffort';
  }
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The API group of Gatekeeper constraints, whose kinds come from ConstraintTemplates. */
export const CONSTRAINTS_GROUP = 'constraints.gatekeeper.sh';
/** The version constraints are served at. */
export const CONSTRAINTS_VERSION = 'v1beta1';

function defineType(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    listKind: `${kind}List`,
    namespaced,
    verbs: RESOURCE_VERBS,
    tracksGeneration: group !== '',
    ...extra,
  };
}

/** The statically served resource types. */
export const STATIC_RESOURCE_TYPES: readonly ResourceType[] = [
  defineType('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    fieldLabels: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.phase',
      'status.podIP',
    ],
    subresources: ['log', 'status'],
    // Since Kubernetes 1.33 a pod's metadata.generation counts spec changes.
    tracksGeneration: true,
    returnDeletedObject: true,
    initialStatus: pod => ({ phase: 'Pending', qosClass: podQosClass(pod) }),
  }),
  defineType('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: STATUS,
    createOnUpdate: true,
    returnDeletedObject: true,
    nameFormat: 'dns1035',
    initialStatus: loadBalancer,
  }),
  defineType('', 'v1', 'Event', 'events', true, {
    shortNames: ['ev'],
    fieldLabels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
    createOnUpdate: true,
  }),
  defineType('', 'v1', 'Namespace', 'namespaces', false, {
    // kube-apiserver serves no deletecollection for namespaces.
    verbs: RESOURCE_VERBS.filter(v => v !== 'deletecollection'),
    shortNames: ['ns'],
    fieldLabels: ['status.phase'],
    subresources: STATUS,
    returnDeletedObject: true,
    nameFormat: 'label',
    initialStatus: () => ({ phase: 'Active' }),
  }),
  defineType('', 'v1', 'Node', 'nodes', false, {
    shortNames: ['no'],
    fieldLabels: ['spec.unschedulable'],
    subresources: STATUS,
  }),
  defineType('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  defineType('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: STATUS,
    generationOnAnnotations: true,
    initialStatus: empty,
  }),
  defineType('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ['all'],
    fieldLabels: ['status.replicas'],
    subresources: STATUS,
    initialStatus: () => ({ replicas: 0 }),
  }),
  defineType('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: STATUS,
    initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  }),
  defineType('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: STATUS,
    initialStatus: () => ({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    }),
  }),
  defineType('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: STATUS,
    initialStatus: loadBalancer,
  }),
  defineType(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    true,
    {
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: STATUS,
      initialStatus: () => ({ desiredReplicas: 0, currentMetrics: null }),
    },
  ),
  defineType('batch', 'v1', 'Job', 'jobs', true, {
    categories: ['all'],
    fieldLabels: ['status.successful'],
    subresources: STATUS,
    orphanByDefault: true,
    initialStatus: empty,
  }),
  defineType('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: STATUS,
    initialStatus: empty,
  }),
  // Argo CD's Application CRD has no status subresource: status is written
  // with the object.
  defineType('argoproj.io', 'v1alpha1', 'Application', 'applications', true, {
    shortNames: ['app', 'apps'],
    categories: ['argoproj'],
    custom: true,
  }),
  defineType(
    'kustomize.toolkit.fluxcd.io',
    'v1',
    'Kustomization',
    'kustomizations',
    true,
    {
      shortNames: ['ks'],
      categories: ['all'],
      subresources: STATUS,
      custom: true,
      initialStatus: () => null,
    },
  ),
  defineType(
    'helm.toolkit.fluxcd.io',
    'v2',
    'HelmRelease',
    'helmreleases',
    true,
    {
      shortNames: ['hr'],
      categories: ['all'],
      subresources: STATUS,
      custom: true,
      initialStatus: () => null,
    },
  ),
  defineType(
    'templates.gatekeeper.sh',
    'v1',
    'ConstraintTemplate',
    'constrainttemplates',
    false,
    {
      shortNames: ['constraints'],
      subresources: STATUS,
      custom: true,
      initialStatus: () => null,
    },
  ),
];

/** A group/version pair with the types it serves. */
export interface GroupVersion {
  group: string;
  version: string;
  resources: ResourceType[];
}

/** Thrown when an object's apiVersion/kind is not served. */
export class UnknownKindError extends Error {
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
    this.name = 'UnknownKindError';
  }
}

/** Splits an apiVersion into group and version (`v1` is the core group). */
export function parseApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

/** The apiVersion string of a resource type (`v1`, `apps/v1`). */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/**
 * The served resource types: the static ones plus one Gatekeeper constraint
 * type per loaded ConstraintTemplate, which is what Gatekeeper's controller
 * does by generating a CRD per template.
 */
export class ResourceRegistry {
  readonly #static = STATIC_RESOURCE_TYPES;
  #constraints: ResourceType[] = [];

  /** All served types, static first. */
  all(): ResourceType[] {
    return [...this.#static, ...this.#constraints];
  }

  /** The type served at `group/version/plural`, if any. */
  byPlural(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.all().find(
      t => t.group === group && t.version === version && t.plural === plural,
    );
  }

  /** The type of an apiVersion/kind; throws {@link UnknownKindError} when not served. */
  byKind(apiVersion: string, kind: string): ResourceType {
    const { group, version } = parseApiVersion(apiVersion);
    const found = this.all().find(
      t => t.group === group && t.version === version && t.kind === kind,
    );
    if (!found) {
      throw new UnknownKindError(apiVersion, kind);
    }
    return found;
  }

  /**
   * Served group/versions; the core group is not included (it is served at
   * /api). The constraints group appears once a template defines a kind, as
   * it does when Gatekeeper creates the first constraint CRD.
   */
  groupVersions(): GroupVersion[] {
    const result = new Map<string, GroupVersion>();
    for (const t of this.all()) {
      if (t.group === '') {
        continue;
      }
      const id = apiVersionOf(t);
      const gv = result.get(id) ?? {
        group: t.group,
        version: t.version,
        resources: [],
      };
      gv.resources.push(t);
      result.set(id, gv);
    }
    return [...result.values()];
  }

  /** Core (`/api/v1`) resource types. */
  coreTypes(): ResourceType[] {
    return this.all().filter(t => t.group === '');
  }

  /**
   * Replaces the constraint types with those the given ConstraintTemplates
   * define (`spec.crd.spec.names.kind`, plural = lower-cased kind).
   */
  setConstraintTemplates(templates: readonly KubeObject[]): void {
    const kinds = new Set<string>();
    for (const template of templates) {
      const kind = constraintKindOf(template);
      if (kind) {
        kinds.add(kind);
      }
    }
    this.#constraints = [...kinds].sort().map(kind =>
      defineType(
        CONSTRAINTS_GROUP,
        CONSTRAINTS_VERSION,
        kind,
        kind.toLowerCase(),
        false,
        {
          categories: ['constraint', 'constraints'],
          subresources: STATUS,
          custom: true,
          initialStatus: () => null,
        },
      ),
    );
  }
}

/** The constraint kind a ConstraintTemplate defines, if it names one. */
export function constraintKindOf(template: KubeObject): string | undefined {
  const kind = template?.spec?.crd?.spec?.names?.kind;
  return typeof kind === 'string' && kind !== '' ? kind : undefined;
}

/** The store key of a resource type. */
export function storeKeyOf(t: ResourceType): string {
  return resourceKey(t.group, t.version, t.plural);
}
