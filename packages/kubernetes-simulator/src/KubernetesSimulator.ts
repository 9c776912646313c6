import { randomUUID } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { Authorizer, type ForbidRule } from './auth';
import {
  createCertificateAuthority,
  createServingCertificate,
  loadCertificateAuthority,
  pemToData,
  type CertificateAuthority,
  type PemPair,
} from './certificates';
import { RequestCounters } from './counters';
import { Faults } from './faults';
import {
  SIMULATED_LABEL,
  materializeWorkloads,
  namespaceObject,
} from './fleet';
import { LogStore, type LogLine } from './logs';
import {
  CONSTRAINTS_GROUP,
  ResourceRegistry,
  UnknownKindError,
  apiVersionOf,
  constraintKindOf,
  parseApiVersion,
  storeKeyOf,
  type ResourceType,
} from './resources';
import { Scenarios, type ScenarioCluster } from './scenarios';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiServer } from './server';
import { ObjectStore, isoSeconds, resourceKey, type KubeObject } from './store';

/** Options of {@link KubernetesSimulator}. */
export interface KubernetesSimulatorOptions {
  /** Cluster name; sent as the `X-Paved-Simulator` response header. Default `simulator`. */
  name?: string;
  /** Bearer token clients must send; without one every request is accepted. */
  token?: string;
  /** User name quoted in RBAC denials. Default `system:serviceaccount:paved:reader`. */
  user?: string;
  /** Latency added to every request, in ms. Default 0. */
  latencyMs?: number;
  /** Interval between BOOKMARK events of watches that allow them. Default 5,000. */
  bookmarkIntervalMs?: number;
  /** Change events kept for watches and continue tokens. Default 10,000. */
  historySize?: number;
  /**
   * The CA that signs the serving certificate (PEM certificate and private
   * key), e.g. one kept on disk so a kubeconfig stays valid across
   * restarts. Without it the simulator makes a CA of its own at start, as a
   * cluster's installer would.
   */
  ca?: PemPair;
  /**
   * Names and IP addresses the serving certificate is valid for. Default
   * 127.0.0.1, ::1 and localhost (and the host started on).
   */
  tlsHosts?: string[];
}

/** Where to listen. */
export interface StartOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** Options of {@link KubernetesSimulator.loadYaml}. */
export interface LoadYamlOptions {
  /**
   * Create what the controllers would for workloads given without it:
   * ReplicaSets and Pods of Deployments, Pods of StatefulSets, DaemonSets
   * and Jobs, and their statuses. Default false.
   */
  materializeWorkloads?: boolean;
}

/** Options of {@link KubernetesSimulator.list}. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Lines to append to a container's log. */
export interface AppendLogOptions {
  namespace: string;
  pod: string;
  /** The pod's first container when omitted. */
  container?: string;
  lines: readonly (string | LogLine)[];
}

const NAMESPACES_KEY = resourceKey('', 'v1', 'namespaces');
const DEFAULT_NAMESPACES = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
];

/**
 * A simulated Kubernetes API server for tests, benchmarks and the demo. It
 * serves the Kubernetes API over HTTPS (discovery, get, list, watch, pod
 * logs, create, update, patch, delete, the status subresource, access
 * reviews) with a CA of its own, and is also changed through this class.
 * Everything it serves is simulated: `/version` says `+paved-simulator` and
 * every Node carries the label `paved.dev/simulated: "true"`.
 */
export class KubernetesSimulator implements ScenarioCluster {
  /** Cluster name. */
  readonly name: string;
  /** Requests served, by kind and resource. */
  readonly counters = new RequestCounters();
  /** Latency, failures, downtime and hanging. */
  readonly faults: Faults;
  /** Rollouts, stuck rollouts and crash loops. */
  readonly scenarios: Scenarios;
  /** Container log buffers, which `pods/{name}/log` serves. */
  readonly logs = new LogStore();

  readonly #registry = new ResourceRegistry();
  readonly #store: ObjectStore;
  readonly #authorizer: Authorizer;
  readonly #server: ApiServer;
  readonly #caOption: PemPair | undefined;
  readonly #tlsHosts: string[] | undefined;
  readonly #pending = new Set<NodeJS.Immediate>();
  #ca: CertificateAuthority | undefined;
  #serving: PemPair | undefined;
  #url: string | undefined;

  constructor(options: KubernetesSimulatorOptions = {}) {
    this.name = options.name ?? 'simulator';
    this.faults = new Faults({ latencyMs: options.latencyMs });
    this.#authorizer = new Authorizer({
      token: options.token,
      user: options.user,
    });
    this.#store = new ObjectStore({
      historySize: options.historySize,
      tracksGeneration: key => this.#typeOfKey(key)?.tracksGeneration ?? true,
    });
    this.#server = new ApiServer({
      name: this.name,
      store: this.#store,
      registry: this.#registry,
      authorizer: this.#authorizer,
      faults: this.faults,
      counters: this.counters,
      logs: this.logs,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
      writes: {
        save: (type, object) => this.#saveFromApi(type, object),
        remove: (type, namespace, name) =>
          this.#removeFromApi(type, namespace, name),
        later: fn => this.#later(fn),
      },
    });
    this.#caOption = options.ca;
    this.#tlsHosts = options.tlsHosts;
    this.faults.attach(this.#server);
    this.scenarios = new Scenarios(this);
    for (const ns of DEFAULT_NAMESPACES) {
      this.apply(namespaceObject(ns));
    }
    // Anyone who looks inside the cluster finds out it is simulated.
    this.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'paved-simulator',
        namespace: 'kube-system',
        labels: { [SIMULATED_LABEL]: 'true' },
      },
      data: {
        simulated: 'true',
        cluster: this.name,
        note: 'This cluster is simulated by @paved/kubernetes-simulator for tests, benchmarks and the demo. None of its workloads exist.',
      },
    });
  }

  /**
   * Starts serving HTTPS; port 0 picks a free port. The serving
   * certificate (for 127.0.0.1, ::1, localhost and the host) is signed by
   * the CA given in the options, or by one made now; clients verify it with
   * {@link KubernetesSimulator.caData}.
   */
  async start(options: StartOptions = {}): Promise<{ url: string }> {
    const host = options.host ?? '127.0.0.1';
    if (!this.#serving) {
      this.#ca = this.#caOption
        ? await loadCertificateAuthority(this.#caOption)
        : await createCertificateAuthority(
            `paved-simulator-ca (${this.name}, SIMULATED cluster)`,
            30,
          );
      const hosts = new Set(
        this.#tlsHosts ?? ['127.0.0.1', '::1', 'localhost'],
      );
      if (!['0.0.0.0', '::'].includes(host)) {
        hosts.add(host);
      }
      this.#serving = await createServingCertificate(this.#ca, {
        commonName: `paved-simulator (${this.name})`,
        hosts: [...hosts],
        days: 30,
      });
    }
    this.#url = await this.#server.listen(
      options.port ?? 0,
      host,
      this.#serving,
    );
    return { url: this.#url };
  }

  /** Base URL of the API server, `https://...` (after {@link KubernetesSimulator.start}). */
  get url(): string {
    if (!this.#url) {
      throw new Error(`Kubernetes simulator ${this.name} is not started`);
    }
    return this.#url;
  }

  /** The CA certificate (PEM) the serving certificate is signed by (after start). */
  get caPem(): string {
    if (!this.#ca) {
      throw new Error(`Kubernetes simulator ${this.name} is not started`);
    }
    return this.#ca.certPem;
  }

  /**
   * Base64 of {@link KubernetesSimulator.caPem}: kubeconfig's
   * `certificate-authority-data`, client-node's `caData`.
   */
  get caData(): string {
    return pemToData(this.caPem);
  }

  /** Stops scenarios, simulated controllers and the server, cutting open connections. */
  async stop(): Promise<void> {
    this.scenarios.stopAll();
    for (const pending of this.#pending) {
      clearImmediate(pending);
    }
    this.#pending.clear();
    await this.#server.close();
  }

  /** The current global resourceVersion. */
  get resourceVersion(): string {
    return String(this.#store.resourceVersion);
  }

  /** The resource types served now (Gatekeeper constraint kinds included). */
  servedResources(): ResourceType[] {
    return this.#registry.all();
  }

  /**
   * Creates or replaces objects from multi-document YAML (a `kind: List`
   * document is unpacked). All documents are checked first: an object of a
   * kind the simulator does not serve rejects the whole text with an error
   * naming the document. Missing namespaces are created, ownerReferences
   * without a uid are resolved by kind and name.
   */
  loadYaml(text: string, options: LoadYamlOptions = {}): KubeObject[] {
    const documents = parseAllDocuments(text);
    const objects: KubeObject[] = [];
    for (const [i, doc] of (Array.isArray(documents)
      ? documents
      : [documents]
    ).entries()) {
      if (doc.errors.length > 0) {
        throw new Error(
          `Invalid YAML in document #${i + 1}: ${doc.errors[0].message}`,
        );
      }
      const value = doc.toJS();
      if (value === null || value === undefined) {
        continue;
      }
      if (value.kind === 'List' && Array.isArray(value.items)) {
        objects.push(...value.items);
      } else {
        objects.push(value);
      }
    }

    // Constraint kinds exist as soon as their template is in the same text.
    const templateKinds = new Set(
      [
        ...objects.filter(o => o?.kind === 'ConstraintTemplate'),
        ...this.list('templates.gatekeeper.sh/v1', 'ConstraintTemplate'),
      ]
        .map(constraintKindOf)
        .filter((k): k is string => Boolean(k)),
    );
    const problems: string[] = [];
    objects.forEach((object, i) => {
      const what = `document #${i + 1} (${object?.kind ?? '?'} "${
        object?.metadata?.name ?? '?'
      }")`;
      if (!object?.apiVersion || !object?.kind || !object?.metadata?.name) {
        problems.push(
          `${what}: apiVersion, kind and metadata.name are required`,
        );
        return;
      }
      const { group } = parseApiVersion(object.apiVersion);
      if (group === CONSTRAINTS_GROUP && templateKinds.has(object.kind)) {
        return;
      }
      try {
        this.#registry.byKind(object.apiVersion, object.kind);
      } catch (e) {
        if (e instanceof UnknownKindError) {
          problems.push(`${what}: ${e.message}`);
        } else {
          throw e;
        }
      }
    });
    if (problems.length > 0) {
      throw new Error(
        `Cannot load YAML into simulated cluster ${this.name}: ${problems.join(
          '; ',
        )}. ` +
          `Served kinds: ${this.#registry
            .all()
            .map(t => `${t.kind} (${apiVersionOf(t)})`)
            .join(', ')}, and Gatekeeper constraints of loaded templates.`,
      );
    }

    // Parsed just now, so ours to change: uids first, for ownerReferences.
    let batch = objects.map(o => {
      o.metadata.uid = o.metadata.uid ?? randomUUID();
      return o;
    });
    this.#resolveReferences(batch);
    if (options.materializeWorkloads) {
      const nodes = [
        ...batch.filter(o => o.kind === 'Node'),
        ...this.list('v1', 'Node'),
      ].map(n => n.metadata.name);
      batch = materializeWorkloads(batch, {
        nodes,
        existing: [
          ...this.list('apps/v1', 'ReplicaSet'),
          ...this.list('v1', 'Pod'),
        ],
      });
    }
    // Namespaces first, then templates (they define constraint kinds).
    const order = ['Namespace', 'ConstraintTemplate'];
    const rank = (o: KubeObject) =>
      order.includes(o.kind) ? order.indexOf(o.kind) : order.length;
    return batch
      .map((o, i) => ({ o, i }))
      .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
      .map(({ o }) => this.apply(o));
  }

  /** Creates or replaces an object (or several); returns what was stored. */
  apply(object: KubeObject): KubeObject;
  apply(objects: readonly KubeObject[]): KubeObject[];
  apply(input: KubeObject | readonly KubeObject[]): KubeObject | KubeObject[] {
    if (Array.isArray(input)) {
      return input.map(o => this.apply(o));
    }
    const object = structuredClone(input as KubeObject);
    const type = this.#typeOf(object);
    object.metadata = { ...object.metadata };
    if (type.namespaced) {
      object.metadata.namespace = object.metadata.namespace ?? 'default';
      this.#ensureNamespace(object.metadata.namespace);
    } else {
      delete object.metadata.namespace;
    }
    if (object.kind === 'Node' && object.apiVersion === 'v1') {
      object.metadata.labels = {
        ...object.metadata.labels,
        [SIMULATED_LABEL]: 'true',
      };
    }
    if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      object.spec = object.spec ?? { finalizers: ['kubernetes'] };
      object.status = object.status ?? { phase: 'Active' };
    }
    const stored = this.#store.put(storeKeyOf(type), object);
    if (type.kind === 'ConstraintTemplate') {
      this.#refreshConstraintTypes();
    }
    return structuredClone(stored);
  }

  /** A copy of one object, or undefined. */
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const type = this.#typeOf({ apiVersion, kind });
    return this.#store.get(
      storeKeyOf(type),
      type.namespaced ? namespace ?? 'default' : undefined,
      name,
    );
  }

  /** Copies of the objects of a kind, in key order; optionally one namespace and selectors. */
  list(
    apiVersion: string,
    kind: string,
    namespace?: string,
    options: ListOptions = {},
  ): KubeObject[] {
    const type = this.#typeOf({ apiVersion, kind });
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector, [
      'metadata.name',
      'metadata.namespace',
      ...(type.fieldLabels ?? []),
    ]);
    return this.#store
      .list(storeKeyOf(type), type.namespaced ? namespace : undefined)
      .filter(o => labels(o) && fields(o));
  }

  /** Reads an object, lets `mutate` change the copy (or return a replacement), stores it. */
  update(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    mutate: (object: KubeObject) => KubeObject | void,
  ): KubeObject {
    const current = this.get(apiVersion, kind, namespace, name);
    if (!current) {
      throw new Error(
        `${kind} ${namespace ? `${namespace}/` : ''}${name} not found`,
      );
    }
    return this.apply(mutate(current) ?? current);
  }

  /**
   * Deletes an object. Like the garbage collector (background propagation),
   * objects it owns go too unless `cascade` is false; deleting a Namespace
   * deletes what is in it, deleting a ConstraintTemplate deletes its constraints.
   */
  delete(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    options: { cascade?: boolean } = {},
  ): KubeObject | undefined {
    const type = this.#typeOf({ apiVersion, kind });
    const removed = this.#store.remove(
      storeKeyOf(type),
      type.namespaced ? namespace ?? 'default' : undefined,
      name,
    );
    if (!removed) {
      return undefined;
    }
    if (type.kind === 'Pod' && type.group === '') {
      this.logs.forgetPod(removed.metadata.namespace!, name);
    }
    if (options.cascade ?? true) {
      for (const dependent of this.#all()) {
        const owned = (dependent.metadata.ownerReferences ?? []).some(
          r => r.uid === removed.metadata.uid,
        );
        const inNamespace =
          type.kind === 'Namespace' && dependent.metadata.namespace === name;
        if (owned || inNamespace) {
          this.delete(
            dependent.apiVersion,
            dependent.kind,
            dependent.metadata.namespace,
            dependent.metadata.name,
          );
        }
      }
    }
    if (type.kind === 'ConstraintTemplate') {
      const constraintKind = constraintKindOf(removed);
      if (constraintKind) {
        for (const c of this.list(
          `${CONSTRAINTS_GROUP}/v1beta1`,
          constraintKind,
        )) {
          this.delete(c.apiVersion, c.kind, undefined, c.metadata.name);
        }
      }
      this.#refreshConstraintTypes();
    }
    return removed;
  }

  /** Appends lines to a container's log (what `pods/{name}/log` returns). */
  appendLog(options: AppendLogOptions): void {
    let container = options.container;
    if (!container) {
      const pod = this.get('v1', 'Pod', options.namespace, options.pod);
      container = pod?.spec?.containers?.[0]?.name;
      if (!container) {
        throw new Error(`Pod ${options.namespace}/${options.pod} not found`);
      }
    }
    this.logs.append(options.namespace, options.pod, container, options.lines);
  }

  /**
   * Denies access to a resource as RBAC would: 403 Forbidden with the
   * apiserver's message. A rule with a namespace also denies cluster-wide
   * requests for the resource, which would include that namespace.
   */
  forbid(rule: ForbidRule): void {
    this.#authorizer.forbid(rule);
  }

  /** Removes every {@link KubernetesSimulator.forbid} rule. */
  allowAll(): void {
    this.#authorizer.allowAll();
  }

  /**
   * Drops the change history, like an etcd compaction: watches and continue
   * tokens from an older resourceVersion get 410 Expired.
   */
  compact(): void {
    this.#store.compact();
  }

  // The HTTP API's writes: stored as computed (generation included), with
  // the hooks apply() has.
  #saveFromApi(type: ResourceType, input: KubeObject): KubeObject {
    const object = inApiOrder(structuredClone(input));
    if (type.kind === 'Node' && type.group === '') {
      object.metadata.labels = {
        ...object.metadata.labels,
        [SIMULATED_LABEL]: 'true',
      };
    }
    const stored = this.#store.put(storeKeyOf(type), object, {
      keepGeneration: true,
    });
    if (type.kind === 'ConstraintTemplate') {
      this.#refreshConstraintTypes();
    }
    return structuredClone(stored);
  }

  #removeFromApi(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const removed = this.#store.remove(
      storeKeyOf(type),
      type.namespaced ? namespace : undefined,
      name,
    );
    if (!removed) {
      return undefined;
    }
    if (type.kind === 'Pod' && type.group === '') {
      this.logs.forgetPod(removed.metadata.namespace!, name);
    }
    if (type.kind === 'ConstraintTemplate') {
      // Gatekeeper removes the template's constraint CRD, and its objects.
      const constraintKind = constraintKindOf(removed);
      if (constraintKind) {
        for (const c of this.list(
          `${CONSTRAINTS_GROUP}/v1beta1`,
          constraintKind,
        )) {
          this.#store.remove(
            storeKeyOf(this.#typeOf(c)),
            undefined,
            c.metadata.name,
          );
        }
      }
      this.#refreshConstraintTypes();
    }
    return removed;
  }

  #later(fn: () => void) {
    const handle = setImmediate(() => {
      this.#pending.delete(handle);
      fn();
    });
    this.#pending.add(handle);
  }

  #typeOf(object: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
    return this.#registry.byKind(object.apiVersion, object.kind);
  }

  #typeOfKey(key: string): ResourceType | undefined {
    return this.#registry.all().find(t => storeKeyOf(t) === key);
  }

  #all(): KubeObject[] {
    return this.#store.resources().flatMap(key => this.#store.list(key));
  }

  #ensureNamespace(namespace: string) {
    if (!this.#store.getItem(NAMESPACES_KEY, undefined, namespace)) {
      this.#store.put(NAMESPACES_KEY, namespaceObject(namespace));
    }
  }

  #refreshConstraintTypes() {
    this.#registry.setConstraintTemplates(
      this.list('templates.gatekeeper.sh/v1', 'ConstraintTemplate'),
    );
  }

  // Hand-written fixtures name owners and event subjects; fill in the uids
  // (and event times) that a real cluster would have.
  #resolveReferences(batch: KubeObject[]) {
    const now = isoSeconds(new Date());
    for (const object of batch) {
      if (object.kind === 'Event' && object.apiVersion === 'v1') {
        const subject = object.involvedObject;
        if (subject && !subject.uid) {
          subject.uid = batch.find(
            o =>
              o.kind === subject.kind &&
              o.metadata.name === subject.name &&
              o.metadata.namespace === subject.namespace,
          )?.metadata.uid;
        }
        object.lastTimestamp = object.lastTimestamp ?? now;
        object.firstTimestamp = object.firstTimestamp ?? object.lastTimestamp;
        object.count = object.count ?? 1;
      }
      for (const ref of object.metadata.ownerReferences ?? []) {
        if (ref.uid) {
          continue;
        }
        const owner =
          batch.find(
            o =>
              o.kind === ref.kind &&
              o.metadata.name === ref.name &&
              (o.metadata.namespace ?? 'default') ===
                (object.metadata.namespace ?? 'default'),
          ) ??
          this.#tryGet(
            ref.apiVersion,
            ref.kind,
            object.metadata.namespace,
            ref.name,
          );
        if (!owner) {
          throw new Error(
            `${object.kind} "${object.metadata.name}": owner ${ref.kind} "${ref.name}" not found`,
          );
        }
        ref.uid = owner.metadata.uid!;
      }
    }
  }

  #tryGet(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ) {
    try {
      return this.get(apiVersion, kind, namespace, name);
    } catch {
      return undefined;
    }
  }
}

// kube-apiserver writes fields in its Go structs' order: kind, apiVersion,
// metadata (name ... managedFields), spec, status. (Within spec the
// simulator keeps the order it was given.)
const TOP_ORDER = ['kind', 'apiVersion', 'metadata', 'spec'];
const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

function ordered<T extends Record<string, any>>(
  value: T,
  first: string[],
  last: string[] = [],
): T {
  const out: Record<string, any> = {};
  for (const key of first) {
    if (key in value) {
      out[key] = value[key];
    }
  }
  for (const key of Object.keys(value)) {
    if (!first.includes(key) && !last.includes(key)) {
      out[key] = value[key];
    }
  }
  for (const key of last) {
    if (key in value) {
      out[key] = value[key];
    }
  }
  return out as T;
}

function inApiOrder(object: KubeObject): KubeObject {
  // A place for the store's resourceVersion, so it lands where kube puts it.
  const metadata = { resourceVersion: '', ...object.metadata };
  return ordered(
    { ...object, metadata: ordered(metadata, METADATA_ORDER) },
    TOP_ORDER,
    ['status'],
  );
}
