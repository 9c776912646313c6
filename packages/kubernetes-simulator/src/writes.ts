import { randomInt, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { applyDefaults } from './defaults';
import {
  alreadyExists,
  conflict,
  HttpError,
  invalid,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  PATCH_REJECTED_MESSAGE,
  qualifiedResource,
  type FieldError,
} from './errors';
import {
  jsonPatch,
  mergePatch,
  PatchError,
  STRATEGIC_MERGE_SCHEMAS,
  strategicMergePatch,
} from './patch';
import {
  apiVersionOf,
  storeKeyOf,
  type ResourceRegistry,
  type ResourceType,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import type { KubeObject, ObjectStore } from './store';

/** What the HTTP write path needs from the simulator. */
export interface WriteHost {
  store: ObjectStore;
  registry: ResourceRegistry;
  /**
   * Stores an object written over HTTP, with the generation the write path
   * computed, and runs the simulator's hooks (the simulated label on Nodes,
   * constraint kinds of ConstraintTemplates). Returns the stored object.
   */
  save(type: ResourceType, object: KubeObject): KubeObject;
  /** Removes one object, nothing else (dependents are the garbage collector's); returns its last state. */
  remove(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  /** Runs `fn` soon, the way a controller acts after the API answered (dropped on stop). */
  later(fn: () => void): void;
}

/** A write request, parsed. */
export interface WriteRequest {
  verb: 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  type: ResourceType;
  namespace?: string;
  name?: string;
  /** `status` */
  subresource?: string;
  query: URLSearchParams;
  /** The Content-Type header, parameters included. */
  contentType: string;
  body: Buffer;
}

/** The answer to a write. */
export interface WriteResult {
  code: number;
  body: unknown;
}

/** kube-apiserver's request body limit (MaxRequestBodyBytes). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

const JSON_TYPES = ['application/json'];
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';
const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';
// kube's names.SimpleNameGenerator: 5 characters from this alphabet.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_PREFIX = 58;

function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

function unsupportedMediaType(accepted: string[]): HttpError {
  return new HttpError(
    415,
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
  );
}

function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nowSeconds(offsetSeconds = 0): string {
  return `${new Date(Date.now() + offsetSeconds * 1000)
    .toISOString()
    .slice(0, 19)}Z`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Key order does not matter to kube's semantic equality; JSON.stringify of
// objects written in different orders would say they differ.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, canonical(value[k])]),
    );
  }
  return value;
}

function equal(a: unknown, b: unknown): boolean {
  return sameJson(canonical(a), canonical(b));
}

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

/** kube's apimachinery name validation messages (util/validation). */
function nameErrors(
  format: ResourceType['nameFormat'],
  name: string,
): string[] {
  const errors: string[] = [];
  if (format === 'label' || format === 'dns1035') {
    if (name.length > 63) {
      errors.push('must be no more than 63 characters');
    }
    if (format === 'label' && !new RegExp(`^${DNS1123_LABEL}$`).test(name)) {
      errors.push(
        `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`,
      );
    }
    if (format === 'dns1035' && !new RegExp(`^${DNS1035_LABEL}$`).test(name)) {
      errors.push(
        `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`,
      );
    }
    return errors;
  }
  if (name.length > 253) {
    errors.push('must be no more than 253 characters');
  }
  if (!new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(name)) {
    errors.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
    );
  }
  return errors;
}

interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

/**
 * The simulated kube-apiserver's write path: create, update, patch, delete
 * and deletecollection, and the `status` subresource, with the registry
 * strategies of the kinds served (what a create resets, which updates bump
 * the generation, what the main resource and `status` may change), the
 * generic store's preconditions and errors, graceful pod deletion,
 * finalizers, and a garbage collector and namespace controller that act
 * after the answer, as real ones do.
 */
export class ApiWriter {
  readonly #host: WriteHost;

  constructor(host: WriteHost) {
    this.#host = host;
  }

  handle(request: WriteRequest): WriteResult {
    const { verb, subresource } = request;
    if (subresource && subresource !== 'status') {
      throw new HttpError(405);
    }
    if (subresource && (verb === 'create' || verb.startsWith('delete'))) {
      throw new HttpError(405);
    }
    switch (verb) {
      case 'create':
        return this.#create(request);
      case 'update':
        return this.#update(request);
      case 'patch':
        return this.#patch(request);
      case 'delete':
        return this.#delete(request);
      default:
        return this.#deleteCollection(request);
    }
  }

  // ---------------------------------------------------------------- create

  #create(request: WriteRequest): WriteResult {
    const { type, namespace } = request;
    const dryRun = parseDryRun(request.query);
    const object = this.#decode(request);
    if (type.namespaced) {
      this.#checkNamespaceAccepts(type, namespace!, object.metadata.name);
    }
    return this.#createObject(type, namespace, object, dryRun);
  }

  #createObject(
    type: ResourceType,
    namespace: string | undefined,
    object: KubeObject,
    dryRun: boolean,
  ): WriteResult {
    const meta = object.metadata;
    const generated = !meta.name && typeof meta.generateName === 'string';
    if (type.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    // FillObjectMetaSystemFields; deletion fields cannot be created.
    meta.uid = randomUUID();
    meta.creationTimestamp = nowSeconds();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    applyDefaults(type, object);
    this.#prepareForCreate(type, object);
    const key = storeKeyOf(type);
    // kube retries a generated name that is taken (up to 8 times).
    for (let attempt = 0; ; attempt++) {
      if (generated) {
        meta.name = generateName(String(meta.generateName));
      }
      this.#validateCreate(type, object);
      if (meta.resourceVersion) {
        throw new HttpError(
          500,
          'resourceVersion should not be set on objects to be created',
          undefined,
          undefined,
          '',
        );
      }
      const exists = this.#host.store.getItem(key, meta.namespace, meta.name);
      if (!exists) {
        break;
      }
      if (!generated || attempt >= 7) {
        throw alreadyExists(type, meta.name);
      }
    }
    if (dryRun) {
      return { code: 201, body: object };
    }
    return { code: 201, body: this.#host.save(type, object) };
  }

  #prepareForCreate(type: ResourceType, object: KubeObject) {
    const meta = object.metadata;
    if (type.tracksGeneration) {
      meta.generation = 1;
    } else {
      delete meta.generation;
    }
    if (type.initialStatus) {
      const status = type.initialStatus(object);
      if (status === null) {
        delete object.status;
      } else {
        object.status = status;
      }
    }
    if (type.kind === 'Service' && type.group === '') {
      this.#allocateClusterIP(object);
    }
    if (type.kind === 'Namespace' && type.group === '') {
      object.spec = isObject(object.spec) ? object.spec : {};
      const finalizers: string[] = Array.isArray(object.spec.finalizers)
        ? object.spec.finalizers
        : [];
      if (!finalizers.includes('kubernetes')) {
        finalizers.push('kubernetes');
      }
      object.spec.finalizers = finalizers;
      meta.labels = { ...meta.labels, [NAMESPACE_LABEL]: meta.name };
    }
  }

  /** A ClusterIP Service gets an address of the service CIDR (10.96.0.0/16), headless ones `None`. */
  #allocateClusterIP(service: KubeObject) {
    const spec = service.spec;
    if (!isObject(spec) || spec.type === 'ExternalName') {
      return;
    }
    if (!spec.clusterIP) {
      const used = new Set(
        this.#host.store
          .items(storeKeyOf(this.#host.registry.byKind('v1', 'Service')))
          .map(i => i.object.spec?.clusterIP),
      );
      for (let n = 10; n < 65534; n++) {
        const ip = `10.96.${n >> 8}.${n & 255}`;
        if (!used.has(ip)) {
          spec.clusterIP = ip;
          break;
        }
      }
    }
    spec.clusterIPs = spec.clusterIPs ?? [spec.clusterIP];
    spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
    spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
  }

  #validateCreate(type: ResourceType, object: KubeObject) {
    const name = object.metadata.name;
    if (!name) {
      throw invalid(type, '', [
        {
          field: 'metadata.name',
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    const errors = this.#commonErrors(type, object);
    if (errors.length > 0) {
      throw invalid(type, name, errors);
    }
  }

  #commonErrors(type: ResourceType, object: KubeObject): FieldError[] {
    const name = object.metadata.name;
    const errors: FieldError[] = nameErrors(type.nameFormat, name).map(m => ({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(name)}: ${m}`,
    }));
    if (type.kind === 'Pod' && type.group === '') {
      const containers = object.spec?.containers;
      if (!Array.isArray(containers) || containers.length === 0) {
        errors.push({
          field: 'spec.containers',
          reason: 'FieldValueRequired',
          message: 'Required value',
        });
      }
    }
    return errors;
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  #checkNamespaceAccepts(
    type: ResourceType,
    namespace: string,
    name: string | undefined,
  ) {
    const ns = this.#host.store.getItem(
      storeKeyOf(this.#namespaceType()),
      undefined,
      namespace,
    )?.object;
    if (!ns) {
      throw new HttpError(404, `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: 'namespaces',
      });
    }
    if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
      throw new HttpError(
        403,
        `${qualifiedResource(type)} "${
          name ?? ''
        }" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: name ?? '',
          ...(type.group ? { group: type.group } : {}),
          kind: type.plural,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  #namespaceType(): ResourceType {
    return this.#host.registry.byKind('v1', 'Namespace');
  }

  // ---------------------------------------------------------------- update

  #update(request: WriteRequest): WriteResult {
    const { type, namespace, name, subresource } = request;
    const dryRun = parseDryRun(request.query);
    const object = this.#decode(request);
    if (object.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${
          object.metadata.name ?? ''
        }) does not match the name on the URL (${name})`,
      );
    }
    if (
      type.namespaced &&
      object.metadata.namespace &&
      object.metadata.namespace !== namespace
    ) {
      throw badRequest(
        `the namespace of the object (${object.metadata.namespace}) does not match the namespace on the request (${namespace})`,
      );
    }
    const existing = this.#current(type, namespace, name!);
    if (!existing) {
      if (type.createOnUpdate && !subresource) {
        if (object.metadata.resourceVersion) {
          throw notFound(type, name!);
        }
        this.#checkNamespaceAccepts(type, namespace!, name);
        const created = this.#createObject(type, namespace, object, dryRun);
        return created;
      }
      throw notFound(type, name!);
    }
    return this.#write(type, object, existing, subresource, dryRun);
  }

  // ----------------------------------------------------------------- patch

  #patch(request: WriteRequest): WriteResult {
    const { type, namespace, name, subresource } = request;
    const kind = mediaType(request.contentType);
    if (
      kind === 'application/apply-patch+yaml' ||
      kind === 'application/apply-patch+cbor'
    ) {
      throw new HttpError(
        415,
        'server-side apply (application/apply-patch+yaml) is not served by the Paved Kubernetes simulator: use a JSON, merge or strategic merge patch, or an update',
        {},
      );
    }
    if (!PATCH_TYPES.includes(kind)) {
      // What kube-apiserver's router (go-restful) answers.
      throw new HttpError(415, '415: Unsupported Media Type', {});
    }
    if (type.custom && kind === 'application/strategic-merge-patch+json') {
      throw unsupportedMediaType(
        PATCH_TYPES.filter(t => !t.startsWith('application/strategic')),
      );
    }
    const dryRun = parseDryRun(request.query);
    const existing = this.#current(type, namespace, name!);
    if (!existing) {
      throw notFound(type, name!);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(request.body.toString('utf8') || 'null');
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let patched: unknown;
    try {
      if (kind === 'application/json-patch+json') {
        patched = jsonPatch(existing, patch);
      } else if (kind === 'application/merge-patch+json') {
        if (!isObject(patch)) {
          throw new PatchError('Invalid JSON Patch', 400);
        }
        patched = mergePatch(existing, patch);
      } else {
        patched = strategicMergePatch(
          existing,
          patch,
          STRATEGIC_MERGE_SCHEMAS[type.kind] ?? {},
        );
      }
    } catch (e) {
      if (e instanceof PatchError) {
        // kube-apiserver does not pass on why a JSON patch failed.
        if (kind === 'application/json-patch+json' && e.code === 422) {
          throw new HttpError(422, PATCH_REJECTED_MESSAGE, {});
        }
        throw new HttpError(e.code, e.message);
      }
      throw e;
    }
    if (!isObject(patched) || !isObject(patched.metadata)) {
      throw new HttpError(422, 'the patched object is not a Kubernetes object');
    }
    const object = patched as KubeObject;
    if (object.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${
          object.metadata.name ?? ''
        }) does not match the name on the URL (${name})`,
      );
    }
    if (
      object.apiVersion !== existing.apiVersion ||
      object.kind !== existing.kind
    ) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${existing.apiVersion})`,
      );
    }
    // A patch that leaves resourceVersion out is unconditional.
    if (object.metadata.resourceVersion === undefined) {
      object.metadata.resourceVersion = existing.metadata.resourceVersion;
    }
    return this.#write(type, object, existing, subresource, dryRun);
  }

  // ------------------------------------------------- update and patch: write

  #write(
    type: ResourceType,
    object: KubeObject,
    stored: KubeObject,
    subresource: string | undefined,
    dryRun: boolean,
  ): WriteResult {
    applyDefaults(type, object);
    // Objects put in with apply() were not defaulted; compare as if they were.
    const existing = structuredClone(stored);
    applyDefaults(type, existing);
    const name = existing.metadata.name;
    const rv = object.metadata.resourceVersion;
    if (!rv) {
      if (type.custom) {
        throw invalid(type, name, [
          {
            field: 'metadata.resourceVersion',
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0: must be specified for an update',
          },
        ]);
      }
    } else if (!/^\d+$/.test(String(rv))) {
      throw badRequest(`invalid resourceVersion: ${rv}`);
    } else if (String(rv) !== existing.metadata.resourceVersion) {
      throw conflict(type, name, OPTIMISTIC_LOCK_MESSAGE);
    }
    const uid = object.metadata.uid;
    if (uid && uid !== existing.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    const updated = subresource
      ? this.#prepareStatusUpdate(type, object, existing)
      : this.#prepareUpdate(type, object, existing);
    this.#validateUpdate(type, updated, existing);
    updated.metadata.resourceVersion = existing.metadata.resourceVersion;

    // The last finalizer of an object being deleted removed: it goes now.
    const grace = existing.metadata.deletionGracePeriodSeconds;
    if (
      existing.metadata.deletionTimestamp &&
      grace === 0 &&
      (updated.metadata.finalizers ?? []).length === 0
    ) {
      if (!dryRun) {
        this.#removeNow(type, stored);
      }
      // Answered with the object as the update left it (no finalizers).
      return { code: 200, body: updated };
    }
    // Nothing changed: no write, no new resourceVersion, no watch event.
    if (equal(updated, existing)) {
      return { code: 200, body: stored };
    }
    if (dryRun) {
      return { code: 200, body: updated };
    }
    return { code: 200, body: this.#host.save(type, updated) };
  }

  /** rest.BeforeUpdate and the kind's PrepareForUpdate, for the main resource. */
  #prepareUpdate(
    type: ResourceType,
    object: KubeObject,
    existing: KubeObject,
  ): KubeObject {
    const updated = structuredClone(object);
    this.#keepSystemMetadata(type, updated, existing);
    if (type.subresources?.includes('status')) {
      // The status subresource owns status: the main resource ignores it.
      if (existing.status === undefined) {
        delete updated.status;
      } else {
        updated.status = structuredClone(existing.status);
      }
    }
    if (
      type.kind === 'Service' &&
      type.group === '' &&
      isObject(updated.spec)
    ) {
      // Allocated values an update leaves out are kept (patchAllocatedValues).
      for (const field of [
        'clusterIP',
        'clusterIPs',
        'ipFamilies',
        'ipFamilyPolicy',
      ]) {
        if (
          updated.spec[field] === undefined &&
          existing.spec?.[field] !== undefined
        ) {
          updated.spec[field] = structuredClone(existing.spec[field]);
        }
      }
    }
    if (type.kind === 'Namespace' && type.group === '') {
      // spec.finalizers only change through namespaces/{name}/finalize.
      updated.spec = structuredClone(existing.spec);
      updated.metadata.labels = {
        ...updated.metadata.labels,
        [NAMESPACE_LABEL]: updated.metadata.name,
      };
    }
    if (type.tracksGeneration) {
      const generation = existing.metadata.generation ?? 1;
      let changed: boolean;
      if (type.custom) {
        const { metadata: _a, ...after } = updated;
        const { metadata: _b, ...before } = existing;
        changed = !equal(after, before);
      } else {
        changed =
          !equal(updated.spec, existing.spec) ||
          (Boolean(type.generationOnAnnotations) &&
            !equal(
              updated.metadata.annotations ?? {},
              existing.metadata.annotations ?? {},
            ));
      }
      updated.metadata.generation = changed ? generation + 1 : generation;
    }
    return updated;
  }

  /** The `status` subresource's PrepareForUpdate: only status changes (and, for built-in kinds, metadata). */
  #prepareStatusUpdate(
    type: ResourceType,
    object: KubeObject,
    existing: KubeObject,
  ): KubeObject {
    let updated: KubeObject;
    if (type.custom) {
      // Custom resources: everything from the stored object but status.
      updated = structuredClone(existing);
      if (object.status === undefined) {
        delete updated.status;
      } else {
        updated.status = structuredClone(object.status);
      }
      return updated;
    }
    updated = structuredClone(object);
    this.#keepSystemMetadata(type, updated, existing);
    if (existing.spec === undefined) {
      delete updated.spec;
    } else {
      updated.spec = structuredClone(existing.spec);
    }
    if (type.kind === 'Deployment') {
      if (existing.metadata.labels === undefined) {
        delete updated.metadata.labels;
      } else {
        updated.metadata.labels = structuredClone(existing.metadata.labels);
      }
    }
    if (type.kind === 'Pod' && type.group === '') {
      if (existing.metadata.ownerReferences === undefined) {
        delete updated.metadata.ownerReferences;
      } else {
        updated.metadata.ownerReferences = structuredClone(
          existing.metadata.ownerReferences,
        );
      }
      if (
        updated.status &&
        !updated.status.qosClass &&
        existing.status?.qosClass
      ) {
        updated.status.qosClass = existing.status.qosClass;
      }
    }
    updated.metadata.generation = existing.metadata.generation;
    if (updated.metadata.generation === undefined) {
      delete updated.metadata.generation;
    }
    return updated;
  }

  /** What no update changes: uid, creationTimestamp, deletion fields, generation (the strategy bumps it). */
  #keepSystemMetadata(
    type: ResourceType,
    updated: KubeObject,
    existing: KubeObject,
  ) {
    const meta = updated.metadata;
    const old = existing.metadata;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    if (type.namespaced) {
      meta.namespace = old.namespace;
    } else {
      delete meta.namespace;
    }
    for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds']) {
      if (old[field] === undefined) {
        delete meta[field];
      } else {
        meta[field] = old[field];
      }
    }
    if (old.generation === undefined) {
      delete meta.generation;
    } else {
      meta.generation = old.generation;
    }
    delete meta.selfLink;
  }

  #validateUpdate(
    type: ResourceType,
    updated: KubeObject,
    existing: KubeObject,
  ) {
    const errors = this.#commonErrors(type, updated).filter(
      // The name cannot change, so it is not validated again.
      e => e.field !== 'metadata.name',
    );
    if (existing.metadata.deletionTimestamp) {
      const before = new Set(existing.metadata.finalizers ?? []);
      const added = (updated.metadata.finalizers ?? []).filter(
        (f: string) => !before.has(f),
      );
      if (added.length > 0) {
        errors.push({
          field: 'metadata.finalizers',
          reason: 'FieldValueForbidden',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added
            .map(f => JSON.stringify(f))
            .join(', ')}}`,
        });
      }
    }
    if (
      type.kind === 'Pod' &&
      type.group === '' &&
      !equal(mutablePodSpec(updated.spec), mutablePodSpec(existing.spec))
    ) {
      errors.push({
        field: 'spec',
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
    }
    if (errors.length > 0) {
      throw invalid(type, existing.metadata.name, errors);
    }
  }

  // ---------------------------------------------------------------- delete

  #delete(request: WriteRequest): WriteResult {
    const { type, namespace, name } = request;
    const options = this.#deleteOptions(request);
    const existing = this.#current(type, namespace, name!);
    if (!existing) {
      throw notFound(type, name!);
    }
    return this.#deleteObject(type, existing, options);
  }

  #deleteObject(
    type: ResourceType,
    existing: KubeObject,
    options: DeleteOptions,
  ): WriteResult {
    const meta = existing.metadata;
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== meta.uid) {
      throw conflict(
        type,
        meta.name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid}). The object might have been deleted and then recreated`,
        'kind',
      );
    }
    if (
      pre?.resourceVersion !== undefined &&
      pre.resourceVersion !== meta.resourceVersion
    ) {
      throw conflict(
        type,
        meta.name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion}). The object might have been modified`,
        'kind',
      );
    }
    if (type.kind === 'Namespace' && type.group === '') {
      return this.#deleteNamespace(type, existing, options);
    }
    const isPod = type.kind === 'Pod' && type.group === '';

    if (meta.deletionTimestamp) {
      // Already being deleted: a pod's grace period may only be shortened.
      const current = meta.deletionGracePeriodSeconds ?? 0;
      if (
        isPod &&
        current > 0 &&
        options.gracePeriodSeconds !== undefined &&
        options.gracePeriodSeconds < current
      ) {
        return this.#deletePod(
          type,
          existing,
          options.gracePeriodSeconds,
          options,
        );
      }
      if ((meta.finalizers ?? []).length === 0 && current === 0) {
        return this.#finishDelete(type, existing, options);
      }
      return { code: 200, body: this.#deletedResponse(type, existing, true) };
    }
    if (isPod) {
      let period =
        options.gracePeriodSeconds ??
        existing.spec?.terminationGracePeriodSeconds ??
        0;
      if (!existing.spec?.nodeName) {
        period = 0;
      }
      if (['Failed', 'Succeeded'].includes(existing.status?.phase)) {
        period = 0;
      }
      if (period < 0) {
        period = 1;
      }
      return this.#deletePod(type, existing, period, options);
    }
    const finalizers = this.#finalizersAfterDelete(type, existing, options);
    if (finalizers.length > 0) {
      const marked = structuredClone(existing);
      marked.metadata.finalizers = finalizers;
      markAsDeleting(marked);
      if (options.dryRun) {
        return { code: 200, body: marked };
      }
      const stored = this.#host.save(type, marked);
      this.#collectGarbageFor(type, stored);
      return { code: 200, body: stored };
    }
    return this.#finishDelete(type, existing, options);
  }

  /** Graceful deletion of a pod: deletionTimestamp now + grace; the simulated kubelet then deletes it. */
  #deletePod(
    type: ResourceType,
    existing: KubeObject,
    period: number,
    options: DeleteOptions,
  ): WriteResult {
    const marked = structuredClone(existing);
    const meta = marked.metadata;
    if (!meta.deletionTimestamp && (meta.generation ?? 0) > 0) {
      meta.generation = (meta.generation ?? 0) + 1;
    }
    meta.deletionTimestamp = nowSeconds(period);
    meta.deletionGracePeriodSeconds = period;
    meta.finalizers = this.#finalizersAfterDelete(type, existing, options);
    if (meta.finalizers.length === 0) {
      delete meta.finalizers;
    }
    if (options.dryRun) {
      return { code: 200, body: marked };
    }
    const stored = this.#host.save(type, marked);
    if ((stored.metadata.finalizers ?? []).length > 0) {
      this.#collectGarbageFor(type, stored);
      return { code: 200, body: stored };
    }
    if (period === 0) {
      this.#removeNow(type, stored);
      return { code: 200, body: stored };
    }
    // The kubelet stops the containers, then deletes with grace period 0.
    this.#host.later(() => {
      const current = this.#current(
        type,
        stored.metadata.namespace,
        stored.metadata.name,
      );
      if (!current || current.metadata.uid !== stored.metadata.uid) {
        return;
      }
      const done = structuredClone(current);
      done.metadata.deletionGracePeriodSeconds = 0;
      if ((done.metadata.finalizers ?? []).length > 0) {
        this.#host.save(type, done);
        return;
      }
      this.#removeNow(type, current);
    });
    return { code: 200, body: stored };
  }

  #finalizersAfterDelete(
    type: ResourceType,
    existing: KubeObject,
    options: DeleteOptions,
  ): string[] {
    const policy =
      options.propagationPolicy ??
      (type.orphanByDefault ? 'Orphan' : undefined);
    let finalizers: string[] = [...(existing.metadata.finalizers ?? [])];
    if (policy === 'Orphan') {
      finalizers = finalizers.filter(f => f !== FINALIZER_FOREGROUND);
      if (!finalizers.includes(FINALIZER_ORPHAN)) {
        finalizers.push(FINALIZER_ORPHAN);
      }
    } else if (policy === 'Foreground') {
      finalizers = finalizers.filter(f => f !== FINALIZER_ORPHAN);
      if (!finalizers.includes(FINALIZER_FOREGROUND)) {
        finalizers.push(FINALIZER_FOREGROUND);
      }
    } else if (policy === 'Background') {
      finalizers = finalizers.filter(
        f => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND,
      );
    }
    return finalizers;
  }

  #finishDelete(
    type: ResourceType,
    existing: KubeObject,
    options: DeleteOptions,
  ): WriteResult {
    if (!options.dryRun) {
      this.#removeNow(type, existing);
    }
    return { code: 200, body: this.#deletedResponse(type, existing, false) };
  }

  #deletedResponse(type: ResourceType, object: KubeObject, pending: boolean) {
    if (type.returnDeletedObject || pending) {
      return object;
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: object.metadata.name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.plural,
        uid: object.metadata.uid,
      },
    };
  }

  /** Removes the object and lets the garbage collector delete what it owned. */
  #removeNow(type: ResourceType, object: KubeObject) {
    const removed = this.#host.remove(
      type,
      object.metadata.namespace,
      object.metadata.name,
    );
    if (removed) {
      this.#host.later(() => this.#collectDependents(removed));
    }
  }

  #deleteNamespace(
    type: ResourceType,
    existing: KubeObject,
    options: DeleteOptions,
  ): WriteResult {
    if (existing.metadata.deletionTimestamp) {
      // Already terminating: answered with the namespace, nothing changes.
      return { code: 200, body: existing };
    }
    const marked = structuredClone(existing);
    marked.metadata.deletionTimestamp = nowSeconds();
    marked.status = { ...marked.status, phase: 'Terminating' };
    const finalizers = this.#finalizersAfterDelete(type, existing, options);
    if (finalizers.length > 0) {
      marked.metadata.finalizers = finalizers;
    }
    if (options.dryRun) {
      return { code: 200, body: marked };
    }
    const stored = this.#host.save(type, marked);
    // The namespace controller: delete the content, then the kubernetes finalizer.
    this.#host.later(() => {
      const name = stored.metadata.name;
      for (const { type: t, object } of this.#everything()) {
        if (t.namespaced && object.metadata.namespace === name) {
          this.#host.remove(t, name, object.metadata.name);
        }
      }
      const current = this.#current(type, undefined, name);
      if (!current || current.metadata.uid !== stored.metadata.uid) {
        return;
      }
      const finalized = structuredClone(current);
      finalized.spec = { ...finalized.spec, finalizers: [] };
      const saved = this.#host.save(type, finalized);
      if (
        (saved.metadata.finalizers ?? []).every(f => f === FINALIZER_ORPHAN)
      ) {
        this.#host.remove(type, undefined, name);
      }
    });
    return { code: 200, body: stored };
  }

  #deleteCollection(request: WriteRequest): WriteResult {
    const { type, namespace, query } = request;
    if (type.kind === 'Namespace' && type.group === '') {
      throw new HttpError(405);
    }
    const options = this.#deleteOptions(request);
    const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined, [
      'metadata.name',
      'metadata.namespace',
      ...(type.fieldLabels ?? []),
    ]);
    const selected = this.#host.store
      .items(storeKeyOf(type), namespace)
      .map(i => i.object)
      .filter(o => labels(o) && fields(o));
    const deleted: KubeObject[] = [];
    for (const object of selected) {
      const current = this.#current(
        type,
        object.metadata.namespace,
        object.metadata.name,
      );
      if (current) {
        this.#deleteObject(type, current, options);
        deleted.push(current);
      }
    }
    return {
      code: 200,
      body: {
        kind: type.listKind,
        apiVersion: apiVersionOf(type),
        metadata: { resourceVersion: String(this.#host.store.resourceVersion) },
        items: deleted,
      },
    };
  }

  #deleteOptions(request: WriteRequest): DeleteOptions {
    let body: Record<string, any> = {};
    const text = request.body.toString('utf8').trim();
    if (text) {
      try {
        const parsed = JSON.parse(text);
        body = isObject(parsed) ? parsed : {};
      } catch (e) {
        throw badRequest(
          `error decoding DeleteOptions: ${(e as Error).message}`,
        );
      }
    }
    const q = request.query;
    const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
    const policy = q.get('propagationPolicy') ?? body.propagationPolicy;
    const orphan = q.get('orphanDependents') ?? body.orphanDependents;
    const options: DeleteOptions = {
      dryRun:
        parseDryRun(q) ||
        (Array.isArray(body.dryRun) && body.dryRun.includes('All')),
      preconditions: isObject(body.preconditions)
        ? body.preconditions
        : undefined,
    };
    if (grace !== undefined && grace !== null && grace !== '') {
      const n = Number(grace);
      if (!Number.isInteger(n)) {
        throw badRequest(`invalid gracePeriodSeconds: ${grace}`);
      }
      options.gracePeriodSeconds = n;
    }
    if (policy !== undefined && policy !== null && policy !== '') {
      if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
        throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
          {
            field: 'propagationPolicy',
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: ${JSON.stringify(
              policy,
            )}: supported values: "Foreground", "Background", "Orphan", "nil"`,
          },
        ]);
      }
      options.propagationPolicy = policy;
    } else if (orphan !== undefined && orphan !== null && orphan !== '') {
      options.propagationPolicy =
        orphan === true || orphan === 'true' ? 'Orphan' : 'Background';
    }
    return options;
  }

  // ----------------------------------------------------- garbage collector

  #everything(): { type: ResourceType; object: KubeObject }[] {
    const out: { type: ResourceType; object: KubeObject }[] = [];
    for (const type of this.#host.registry.all()) {
      for (const item of this.#host.store.items(storeKeyOf(type))) {
        out.push({ type, object: item.object });
      }
    }
    return out;
  }

  #exists(uid: string): boolean {
    return this.#everything().some(e => e.object.metadata.uid === uid);
  }

  /** Background deletion: dependents whose owners are all gone are deleted, others lose the reference. */
  #collectDependents(owner: KubeObject) {
    const uid = owner.metadata.uid;
    for (const { type, object } of this.#everything()) {
      const refs = object.metadata.ownerReferences ?? [];
      if (!refs.some(r => r.uid === uid)) {
        continue;
      }
      const current = this.#current(
        type,
        object.metadata.namespace,
        object.metadata.name,
      );
      if (!current) {
        continue;
      }
      const others = refs.filter(r => r.uid !== uid && this.#exists(r.uid));
      if (others.length === 0) {
        if (!current.metadata.deletionTimestamp) {
          this.#deleteObject(type, current, {
            dryRun: false,
            propagationPolicy: 'Background',
          });
        }
      } else {
        const updated = structuredClone(current);
        updated.metadata.ownerReferences = refs.filter(r => r.uid !== uid);
        this.#host.save(type, updated);
      }
    }
  }

  /** Orphan and foreground deletion: the garbage collector's part, then its finalizer goes. */
  #collectGarbageFor(type: ResourceType, owner: KubeObject) {
    const finalizers = owner.metadata.finalizers ?? [];
    const orphan = finalizers.includes(FINALIZER_ORPHAN);
    const foreground = finalizers.includes(FINALIZER_FOREGROUND);
    if (!orphan && !foreground) {
      return;
    }
    this.#host.later(() => {
      const uid = owner.metadata.uid;
      for (const { type: t, object } of this.#everything()) {
        const refs = object.metadata.ownerReferences ?? [];
        if (!refs.some(r => r.uid === uid)) {
          continue;
        }
        const current = this.#current(
          t,
          object.metadata.namespace,
          object.metadata.name,
        );
        if (!current) {
          continue;
        }
        if (orphan) {
          const updated = structuredClone(current);
          updated.metadata.ownerReferences = refs.filter(r => r.uid !== uid);
          if (updated.metadata.ownerReferences.length === 0) {
            delete updated.metadata.ownerReferences;
          }
          this.#host.save(t, updated);
        } else if (!current.metadata.deletionTimestamp) {
          this.#deleteObject(t, current, {
            dryRun: false,
            propagationPolicy: 'Foreground',
          });
        }
      }
      const current = this.#current(
        type,
        owner.metadata.namespace,
        owner.metadata.name,
      );
      if (!current || current.metadata.uid !== uid) {
        return;
      }
      const done = structuredClone(current);
      done.metadata.finalizers = (done.metadata.finalizers ?? []).filter(
        f => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND,
      );
      if (
        done.metadata.finalizers.length === 0 &&
        (done.metadata.deletionGracePeriodSeconds ?? 0) === 0
      ) {
        this.#removeNow(type, current);
      } else {
        if (done.metadata.finalizers.length === 0) {
          delete done.metadata.finalizers;
        }
        this.#host.save(type, done);
      }
    });
  }

  // ---------------------------------------------------------------- common

  #current(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.#host.store.get(
      storeKeyOf(type),
      type.namespaced ? namespace : undefined,
      name,
    );
  }

  /** Decodes a create or update body (JSON or YAML), defaulting and checking apiVersion and kind. */
  #decode(request: WriteRequest): KubeObject {
    const kind = mediaType(request.contentType);
    let value: unknown;
    const text = request.body.toString('utf8');
    if (JSON_TYPES.includes(kind)) {
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw badRequest(
          `couldn't get version/kind; json parse error: ${
            (e as Error).message
          }`,
        );
      }
    } else if (YAML_TYPES.includes(kind)) {
      try {
        value = parseYaml(text);
      } catch (e) {
        throw badRequest(
          `error converting YAML to JSON: ${(e as Error).message}`,
        );
      }
    } else {
      throw unsupportedMediaType(['application/json', 'application/yaml']);
    }
    if (!isObject(value)) {
      throw badRequest(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${
          Array.isArray(value) ? 'array' : typeof value
        } into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      );
    }
    const { type } = request;
    const expected = apiVersionOf(type);
    const object = value as KubeObject;
    object.apiVersion = object.apiVersion || expected;
    object.kind = object.kind || type.kind;
    // kube-apiserver decodes into the endpoint's type: what does not fit
    // fails in its scheme (custom resources: the version check).
    if (object.apiVersion !== expected) {
      throw badRequest(
        type.custom
          ? `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`
          : `${object.kind} in version "${type.version}" cannot be handled as a ${type.kind}: no kind "${object.kind}" is registered for version "${object.apiVersion}" in scheme "pkg/runtime/scheme.go:111"`,
      );
    }
    if (object.kind !== type.kind) {
      throw badRequest(
        `${object.kind} in version "${type.version}" cannot be handled as a ${
          type.kind
        }: converting (${type.version}.${object.kind}) to (${internalGroup(
          type,
        )}.${type.kind}): unknown conversion`,
      );
    }
    if (object.metadata !== undefined && !isObject(object.metadata)) {
      throw badRequest('metadata must be an object');
    }
    object.metadata = object.metadata ?? ({} as KubeObject['metadata']);
    return object;
  }
}

/** Sets deletionTimestamp (now) and a grace period of 0, bumping the generation once (kube's markAsDeleting). */
function markAsDeleting(object: KubeObject) {
  const meta = object.metadata;
  if (!meta.deletionTimestamp && (meta.generation ?? 0) > 0) {
    meta.generation = (meta.generation ?? 0) + 1;
  }
  meta.deletionTimestamp = meta.deletionTimestamp ?? nowSeconds();
  meta.deletionGracePeriodSeconds = 0;
}

/** The internal API group's package name in kube's conversion messages (`core`, `apps`). */
function internalGroup(type: ResourceType): string {
  return type.group === '' ? 'core' : type.group.split('.')[0];
}

function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) {
    return false;
  }
  for (const v of values) {
    if (v !== 'All') {
      throw new HttpError(
        400,
        `Invalid dryRun value: ${JSON.stringify(v)}: supported values: "All"`,
      );
    }
  }
  return true;
}

function generateName(prefix: string): string {
  const base =
    prefix.length > MAX_GENERATED_PREFIX
      ? prefix.slice(0, MAX_GENERATED_PREFIX)
      : prefix;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  }
  return base + suffix;
}

// The fields of a pod's spec an update may change (ValidatePodUpdate): images,
// activeDeadlineSeconds, tolerations (additions), terminationGracePeriodSeconds.
function mutablePodSpec(spec: any): unknown {
  if (!isObject(spec)) {
    return spec;
  }
  const copy = structuredClone(spec);
  for (const list of ['containers', 'initContainers']) {
    for (const c of copy[list] ?? []) {
      if (isObject(c)) {
        delete c.image;
      }
    }
  }
  delete copy.activeDeadlineSeconds;
  delete copy.tolerations;
  delete copy.terminationGracePeriodSeconds;
  delete copy.schedulingGates;
  return copy;
}
