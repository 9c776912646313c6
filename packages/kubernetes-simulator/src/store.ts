import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** An owner reference, as in `metadata.ownerReferences`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Object metadata; only the fields the simulator manages are typed. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  generateName?: string;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: any;
}

/** The type of a change, as watch events name it. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change recorded by the store, kept in the bounded history for watches. */
export interface StoreEvent {
  type: ChangeType;
  /** Resource key, see {@link resourceKey}. */
  resource: string;
  /** `namespace/name`, or `/name` for cluster-scoped objects. */
  key: string;
  /** The object after the change (for DELETED: its last state, at the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED only). */
  previous?: KubeObject;
  resourceVersion: number;
}

/** Options of {@link ObjectStore}. */
export interface ObjectStoreOptions {
  /** How many change events are kept for watches and continue tokens. Default 10,000. */
  historySize?: number;
  /** Clock used for creationTimestamp; tests may pin it. */
  now?: () => Date;
  /** Whether an object of this resource gets `metadata.generation` (apps, batch, CRDs do; core kinds do not). */
  tracksGeneration?: (resource: string) => boolean;
}

/** Thrown when a resourceVersion (of a watch or a continue token) is older than the retained history. */
export class ResourceVersionExpiredError extends Error {
  constructor(readonly requested: number, readonly oldestServable: number) {
    super(`too old resource version: ${requested} (${oldestServable})`);
    this.name = 'ResourceVersionExpiredError';
  }
}

/**
 * The key a resource type is stored under: `group/version/plural`, with an
 * empty group for the core API (`/v1/pods`, `apps/v1/deployments`).
 */
export function resourceKey(group: string, version: string, plural: string) {
  return `${group}/${version}/${plural}`;
}

/** The `namespace/name` key of an object within its resource. */
export function objectKey(namespace: string | undefined, name: string) {
  return `${namespace ?? ''}/${name}`;
}

interface Entry {
  object: KubeObject;
  // JSON is cached because lists of thousands of pods are served far more
  // often than they change (the benchmark lists 2,000 pods per cluster).
  json?: string;
}

/** One item of a list or snapshot: the object and its cached JSON text. */
export interface StoredItem {
  key: string;
  object: KubeObject;
  json(): string;
}

/**
 * In-memory object store with etcd-like resourceVersion semantics: a single
 * global revision, bumped by every create, update and delete, and a bounded
 * history of changes from which watches resume and paginated lists are kept
 * consistent.
 */
export class ObjectStore {
  readonly #resources = new Map<string, Map<string, Entry>>();
  // Sorted keys per resource, rebuilt lazily after a create or delete:
  // lists are served in key order like etcd, and continue tokens point into it.
  readonly #sortedKeys = new Map<string, string[]>();
  readonly #emitter = new EventEmitter();
  readonly #historySize: number;
  readonly #now: () => Date;
  readonly #tracksGeneration: (resource: string) => boolean;
  // Ring buffer of the most recent events.
  readonly #history: (StoreEvent | undefined)[];
  #historyStart = 0;
  #historyCount = 0;
  #revision = 0;
  // Every event with a resourceVersion above the floor is in #history.
  #floor = 0;

  constructor(options: ObjectStoreOptions = {}) {
    this.#historySize = Math.max(1, options.historySize ?? 10_000);
    this.#history = new Array(this.#historySize);
    this.#now = options.now ?? (() => new Date());
    this.#tracksGeneration = options.tracksGeneration ?? (() => true);
    this.#emitter.setMaxListeners(0);
  }

  /** The current global resourceVersion. */
  get resourceVersion(): number {
    return this.#revision;
  }

  /** The oldest resourceVersion a watch or continue token can still resume from. */
  get oldestServableResourceVersion(): number {
    return this.#floor;
  }

  /**
   * Creates or replaces an object. The store takes `object` over (it sets its
   * metadata and keeps it): pass a copy nobody changes afterwards. Returns
   * the stored object, which must not be changed either. With
   * `keepGeneration` the caller has set `metadata.generation` (the HTTP
   * API, which follows each kind's registry strategy).
   */
  put(
    resource: string,
    object: KubeObject,
    options: { keepGeneration?: boolean } = {},
  ): KubeObject {
    const name = object.metadata?.name;
    if (!name) {
      throw new Error(`${object.kind ?? 'object'} without metadata.name`);
    }
    const key = objectKey(object.metadata.namespace, name);
    const objects = this.#objectsOf(resource);
    const existing = objects.get(key)?.object;
    const meta = object.metadata;
    const revision = ++this.#revision;
    meta.resourceVersion = String(revision);
    if (existing) {
      meta.uid = existing.metadata.uid;
      meta.creationTimestamp = existing.metadata.creationTimestamp;
      if (options.keepGeneration) {
        // as given
      } else if (this.#tracksGeneration(resource)) {
        const previousGeneration = existing.metadata.generation ?? 1;
        meta.generation =
          JSON.stringify(existing.spec) === JSON.stringify(object.spec)
            ? previousGeneration
            : previousGeneration + 1;
      } else {
        delete meta.generation;
      }
    } else {
      meta.uid = meta.uid ?? randomUUID();
      meta.creationTimestamp =
        meta.creationTimestamp ?? isoSeconds(this.#now());
      if (options.keepGeneration) {
        // as given
      } else if (this.#tracksGeneration(resource)) {
        meta.generation = meta.generation ?? 1;
      } else {
        delete meta.generation;
      }
      this.#sortedKeys.delete(resource);
    }
    objects.set(key, { object });
    this.#record({
      type: existing ? 'MODIFIED' : 'ADDED',
      resource,
      key,
      object,
      previous: existing,
      resourceVersion: revision,
    });
    return object;
  }

  /** Deletes an object; returns its last state, or undefined if it did not exist. */
  remove(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const key = objectKey(namespace, name);
    const objects = this.#objectsOf(resource);
    const existing = objects.get(key)?.object;
    if (!existing) {
      return undefined;
    }
    objects.delete(key);
    this.#sortedKeys.delete(resource);
    const revision = ++this.#revision;
    // Like etcd, the DELETED event carries the deletion's revision.
    const object: KubeObject = {
      ...existing,
      metadata: { ...existing.metadata, resourceVersion: String(revision) },
    };
    this.#record({
      type: 'DELETED',
      resource,
      key,
      object,
      previous: existing,
      resourceVersion: revision,
    });
    return structuredClone(object);
  }

  /** A copy of one object, or undefined. */
  get(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const entry = this.#objectsOf(resource).get(objectKey(namespace, name));
    return entry ? structuredClone(entry.object) : undefined;
  }

  /** The stored item without copying, for serving over HTTP. */
  getItem(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): StoredItem | undefined {
    const key = objectKey(namespace, name);
    const entry = this.#objectsOf(resource).get(key);
    return entry ? toItem(key, entry) : undefined;
  }

  /** Copies of the objects of a resource, in key order, optionally in one namespace. */
  list(resource: string, namespace?: string): KubeObject[] {
    return this.items(resource, namespace).map(item =>
      structuredClone(item.object),
    );
  }

  /** The current items of a resource in key order, without copying. */
  items(resource: string, namespace?: string): StoredItem[] {
    const objects = this.#objectsOf(resource);
    const keys = this.#keysOf(resource);
    const [from, to] = namespaceRange(keys, namespace);
    const result: StoredItem[] = [];
    for (let i = from; i < to; i++) {
      result.push(toItem(keys[i], objects.get(keys[i])!));
    }
    return result;
  }

  /**
   * The items of a resource as they were at `resourceVersion`, rebuilt by
   * undoing the retained history; this is what keeps paginated lists
   * consistent. Throws {@link ResourceVersionExpiredError} when the history
   * no longer reaches back that far.
   */
  snapshot(
    resource: string,
    resourceVersion: number,
    namespace?: string,
  ): StoredItem[] {
    if (resourceVersion >= this.#revision) {
      return this.items(resource, namespace);
    }
    const later = this.eventsSince(resourceVersion).filter(
      e =>
        e.resource === resource &&
        (namespace === undefined || e.key.startsWith(`${namespace}/`)),
    );
    if (later.length === 0) {
      return this.items(resource, namespace);
    }
    const state = new Map<string, Entry>();
    for (const item of this.items(resource, namespace)) {
      state.set(item.key, { object: item.object });
    }
    for (let i = later.length - 1; i >= 0; i--) {
      const event = later[i];
      if (event.type === 'ADDED') {
        state.delete(event.key);
      } else {
        state.set(event.key, { object: event.previous! });
      }
    }
    return [...state.keys()]
      .sort(compareKeys)
      .map(k => toItem(k, state.get(k)!));
  }

  /**
   * The retained events after `resourceVersion`, oldest first. Throws
   * {@link ResourceVersionExpiredError} when some were already dropped.
   */
  eventsSince(resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.#floor) {
      throw new ResourceVersionExpiredError(resourceVersion, this.#floor);
    }
    const result: StoreEvent[] = [];
    // Events are ordered by resourceVersion: walk back from the newest.
    for (let i = this.#historyCount - 1; i >= 0; i--) {
      const event =
        this.#history[(this.#historyStart + i) % this.#historySize]!;
      if (event.resourceVersion <= resourceVersion) {
        break;
      }
      result.push(event);
    }
    return result.reverse();
  }

  /** Resources that have at least one object. */
  resources(): string[] {
    return [...this.#resources.entries()]
      .filter(([, objects]) => objects.size > 0)
      .map(([resource]) => resource);
  }

  /** Drops the change history: watches and continue tokens from before now get 410 Expired. */
  compact(): void {
    this.#history.fill(undefined);
    this.#historyStart = 0;
    this.#historyCount = 0;
    this.#floor = this.#revision;
  }

  /** Calls `listener` synchronously for every change; returns an unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }

  #record(event: StoreEvent) {
    if (this.#historyCount === this.#historySize) {
      const dropped = this.#history[this.#historyStart]!;
      this.#floor = dropped.resourceVersion;
      this.#history[this.#historyStart] = event;
      this.#historyStart = (this.#historyStart + 1) % this.#historySize;
    } else {
      this.#history[
        (this.#historyStart + this.#historyCount) % this.#historySize
      ] = event;
      this.#historyCount++;
    }
    this.#emitter.emit('change', event);
  }

  #objectsOf(resource: string): Map<string, Entry> {
    let objects = this.#resources.get(resource);
    if (!objects) {
      objects = new Map();
      this.#resources.set(resource, objects);
    }
    return objects;
  }

  #keysOf(resource: string): string[] {
    let keys = this.#sortedKeys.get(resource);
    if (!keys) {
      keys = [...this.#objectsOf(resource).keys()].sort(compareKeys);
      this.#sortedKeys.set(resource, keys);
    }
    return keys;
  }
}

function toItem(key: string, entry: Entry): StoredItem {
  return {
    key,
    object: entry.object,
    json: () => (entry.json ??= JSON.stringify(entry.object)),
  };
}

/** Orders keys like etcd orders its byte keys (all simulator keys are ASCII). */
export function compareKeys(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

/** First index whose key is not below `key`, in sorted `keys`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid] < key) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

function namespaceRange(
  keys: readonly string[],
  namespace: string | undefined,
): [number, number] {
  if (namespace === undefined) {
    return [0, keys.length];
  }
  // '0' is the character after '/', so this spans exactly `namespace/...`.
  return [lowerBound(keys, `${namespace}/`), lowerBound(keys, `${namespace}0`)];
}

/** RFC 3339 timestamp with second precision, as Kubernetes writes metadata times. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
