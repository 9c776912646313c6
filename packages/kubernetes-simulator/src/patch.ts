// The three patch formats kube-apiserver accepts on PATCH (server-side apply
// aside): JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and Kubernetes'
// strategic merge patch, with the merge keys of the built-in types the
// simulator serves.

/** A patch that cannot be applied; the server answers with `code`. */
export class PatchError extends Error {
  constructor(message: string, readonly code = 422) {
    super(message);
    this.name = 'PatchError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => deepEqual(v, b[i]))
    );
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length && ka.every(k => k in b && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

// ---------------------------------------------------------------------------
// JSON Merge Patch (RFC 7386)

/** Applies an RFC 7386 merge patch: objects merge, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): any {
  if (!isObject(patch)) {
    return clone(patch);
  }
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------
// JSON Patch (RFC 6902)

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer "${pointer}"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') {
    return length;
  }
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    throw new PatchError(`invalid array index "${token}"`);
  }
  const index = Number(token);
  if (index > length || (!forAdd && index === length)) {
    throw new PatchError(`array index ${index} out of bounds`);
  }
  return index;
}

function parentOf(doc: any, tokens: string[], path: string): any {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      node = node[arrayIndex(token, node.length, false)];
    } else if (isObject(node) && token in node) {
      node = node[token];
    } else {
      throw new PatchError(`doc is missing path: "${path}": missing value`);
    }
  }
  if (!Array.isArray(node) && !isObject(node)) {
    throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return node;
}

function getAt(doc: any, path: string): unknown {
  let node = doc;
  for (const token of parsePointer(path)) {
    if (Array.isArray(node)) {
      node = node[arrayIndex(token, node.length, false)];
    } else if (isObject(node) && token in node) {
      node = node[token];
    } else {
      throw new PatchError(`doc is missing path: "${path}": missing value`);
    }
  }
  return node;
}

function removeAt(doc: any, path: string): { doc: any; removed: unknown } {
  const tokens = parsePointer(path);
  if (tokens.length === 0) {
    return { doc: undefined, removed: doc };
  }
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length, false);
    return { doc, removed: parent.splice(index, 1)[0] };
  }
  if (!(last in parent)) {
    throw new PatchError(
      `unable to remove nonexistent key: ${last}: missing value`,
    );
  }
  const removed = parent[last];
  delete parent[last];
  return { doc, removed };
}

function addAt(doc: any, path: string, value: unknown, replace: boolean): any {
  const tokens = parsePointer(path);
  if (tokens.length === 0) {
    return clone(value);
  }
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length, !replace);
    if (replace) {
      parent[index] = clone(value);
    } else {
      parent.splice(index, 0, clone(value));
    }
  } else {
    // kube-apiserver's json-patch lets `replace` add a missing object key.
    parent[last] = clone(value);
  }
  return doc;
}

/** Applies an RFC 6902 JSON Patch (add, remove, replace, move, copy, test). */
export function jsonPatch(target: unknown, operations: unknown): any {
  if (!Array.isArray(operations)) {
    throw new PatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      400,
    );
  }
  let doc: any = clone(target);
  for (const raw of operations) {
    const op = raw as JsonPatchOperation;
    if (
      !isObject(op) ||
      typeof op.op !== 'string' ||
      typeof op.path !== 'string'
    ) {
      throw new PatchError('invalid JSON Patch operation', 400);
    }
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'remove':
        doc = removeAt(doc, op.path).doc;
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, true);
        break;
      case 'move': {
        const { doc: after, removed } = removeAt(doc, String(op.from));
        doc = addAt(after, op.path, removed, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, String(op.from)), false);
        break;
      case 'test':
        if (!deepEqual(getAt(doc, op.path), op.value)) {
          throw new PatchError(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`, 400);
    }
  }
  return doc;
}

// ---------------------------------------------------------------------------
// Strategic merge patch

/** Patch metadata of one field: a list merged by key (or a merged list of scalars), and its items' fields. */
export interface PatchField {
  /** Lists: merged by this key instead of replaced. */
  mergeKey?: string;
  /** A list of scalars merged as a set (`finalizers`). */
  mergeScalars?: boolean;
  /** Fields of the value (an object) or of the list's items. */
  fields?: PatchSchema;
}

/** Patch metadata of an object's fields (struct tags `patchStrategy` / `patchMergeKey`). */
export type PatchSchema = Record<string, PatchField>;

const CONTAINER: PatchSchema = {
  ports: { mergeKey: 'containerPort' },
  env: { mergeKey: 'name' },
  volumeMounts: { mergeKey: 'mountPath' },
  volumeDevices: { mergeKey: 'devicePath' },
};

const POD_SPEC: PatchSchema = {
  containers: { mergeKey: 'name', fields: CONTAINER },
  initContainers: { mergeKey: 'name', fields: CONTAINER },
  ephemeralContainers: { mergeKey: 'name', fields: CONTAINER },
  volumes: { mergeKey: 'name' },
  imagePullSecrets: { mergeKey: 'name' },
  hostAliases: { mergeKey: 'ip' },
  topologySpreadConstraints: { mergeKey: 'topologyKey' },
  schedulingGates: { mergeKey: 'name' },
  resourceClaims: { mergeKey: 'name' },
};

const OBJECT_META: PatchSchema = {
  ownerReferences: { mergeKey: 'uid' },
  finalizers: { mergeScalars: true },
};

const POD_TEMPLATE: PatchField = {
  fields: { metadata: { fields: OBJECT_META }, spec: { fields: POD_SPEC } },
};

const CONDITIONS: PatchField = { fields: { conditions: { mergeKey: 'type' } } };

function kindSchema(
  spec?: PatchSchema,
  status: PatchField = CONDITIONS,
): PatchSchema {
  return {
    metadata: { fields: OBJECT_META },
    ...(spec ? { spec: { fields: spec } } : {}),
    status,
  };
}

const WORKLOAD = kindSchema({ template: POD_TEMPLATE });

/** Merge keys of the built-in kinds the simulator serves, from k8s.io/api's struct tags. */
export const STRATEGIC_MERGE_SCHEMAS: Record<string, PatchSchema> = {
  Pod: kindSchema(POD_SPEC, {
    fields: {
      conditions: { mergeKey: 'type' },
      podIPs: { mergeKey: 'ip' },
      hostIPs: { mergeKey: 'ip' },
    },
  }),
  Service: kindSchema({ ports: { mergeKey: 'port' } }),
  Node: kindSchema(
    { podCIDRs: { mergeScalars: true } },
    {
      fields: {
        conditions: { mergeKey: 'type' },
        addresses: { mergeKey: 'type' },
      },
    },
  ),
  Namespace: kindSchema({}),
  ConfigMap: kindSchema(),
  Event: kindSchema(),
  Deployment: WORKLOAD,
  ReplicaSet: WORKLOAD,
  StatefulSet: WORKLOAD,
  DaemonSet: WORKLOAD,
  Job: WORKLOAD,
  CronJob: kindSchema(
    {
      jobTemplate: {
        fields: {
          metadata: { fields: OBJECT_META },
          spec: { fields: { template: POD_TEMPLATE } },
        },
      },
    },
    { fields: {} },
  ),
  Ingress: kindSchema({}),
  HorizontalPodAutoscaler: kindSchema({}),
};

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch: like a merge patch, but lists with a
 * merge key are merged item by item, lists of scalars with the merge
 * strategy as sets, and the directives `$patch` (replace, delete, merge),
 * `$retainKeys`, `$deleteFromPrimitiveList/<field>` and
 * `$setElementOrder/<field>` are honoured.
 */
export function strategicMergePatch(
  target: unknown,
  patch: unknown,
  schema: PatchSchema,
): any {
  if (!isObject(patch)) {
    throw new PatchError(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
      400,
    );
  }
  const result = mergeMap(isObject(target) ? clone(target) : {}, patch, schema);
  return result ?? {};
}

function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema,
): JsonObject | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') {
    return undefined;
  }
  if (directive === 'replace') {
    const replaced: JsonObject = clone(patch);
    delete replaced[DIRECTIVE];
    return stripDirectives(replaced) as JsonObject;
  }
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`Unknown patch type: ${String(directive)}`, 400);
  }
  let result = original;
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) {
      throw new PatchError(
        `$retainKeys must be a list of strings, got ${JSON.stringify(retain)}`,
        400,
      );
    }
    const keep = new Set(retain.map(String));
    result = Object.fromEntries(
      Object.entries(result).filter(([k]) => keep.has(k)),
    );
  }
  const orders: Record<string, Json[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS) {
      continue;
    }
    if (key.startsWith(SET_ORDER)) {
      orders[key.slice(SET_ORDER.length)] = Array.isArray(value) ? value : [];
      continue;
    }
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const remove = Array.isArray(value) ? value : [];
      const current = result[field];
      if (Array.isArray(current)) {
        result[field] = current.filter(v => !remove.some(r => deepEqual(r, v)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const meta = schema[key];
    const current = result[key];
    if (Array.isArray(value)) {
      result[key] = mergeList(
        Array.isArray(current) ? current : [],
        value,
        meta,
        key,
      );
    } else if (isObject(value)) {
      const merged = mergeMap(
        isObject(current) ? current : {},
        value,
        meta?.fields ?? {},
      );
      if (merged === undefined) {
        delete result[key];
      } else {
        result[key] = merged;
      }
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = result[field];
    if (Array.isArray(list)) {
      result[field] = applyOrder(list, order, schema[field]?.mergeKey);
    }
  }
  return result;
}

function mergeList(
  original: Json[],
  patch: Json[],
  meta: PatchField | undefined,
  field: string,
): Json[] {
  if (meta?.mergeScalars) {
    const merged = [...original];
    for (const v of patch) {
      if (!merged.some(m => deepEqual(m, v))) {
        merged.push(v);
      }
    }
    return merged;
  }
  const key = meta?.mergeKey;
  const replaceItem = patch.find(
    p => isObject(p) && p[DIRECTIVE] === 'replace',
  );
  if (!key || replaceItem) {
    // No merge strategy, or `{$patch: replace}` in the list: the patch is the list.
    return patch
      .filter(p => !(isObject(p) && p[DIRECTIVE] === 'replace'))
      .map(stripDirectives) as Json[];
  }
  const merged = [...original];
  for (const item of patch) {
    if (!isObject(item)) {
      throw new PatchError(
        `unable to find api field in struct ${field} for the json field "${field}"`,
        400,
      );
    }
    const keyValue = item[key];
    const index = merged.findIndex(
      m => isObject(m) && deepEqual(m[key], keyValue),
    );
    if (item[DIRECTIVE] === 'delete') {
      if (index >= 0) {
        merged.splice(index, 1);
      }
      continue;
    }
    if (keyValue === undefined) {
      throw new PatchError(
        `map: ${JSON.stringify(
          item,
        )} does not contain declared merge key: ${key}`,
        400,
      );
    }
    if (index >= 0) {
      const m = mergeMap(merged[index] as JsonObject, item, meta.fields ?? {});
      if (m === undefined) {
        merged.splice(index, 1);
      } else {
        merged[index] = m;
      }
    } else {
      merged.push(stripDirectives(item));
    }
  }
  return merged;
}

// The items the order names come first, in its order; the rest keep theirs.
function applyOrder(
  list: Json[],
  order: Json[],
  key: string | undefined,
): Json[] {
  const position = (item: Json) =>
    order.findIndex(o =>
      key && isObject(o) && isObject(item)
        ? deepEqual(o[key], item[key])
        : deepEqual(o, item),
    );
  const named = list
    .filter(i => position(i) >= 0)
    .sort((a, b) => position(a) - position(b));
  const others = list.filter(i => position(i) < 0);
  return [...named, ...others];
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) {
    return value.map(stripDirectives);
  }
  if (!isObject(value)) {
    return value;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (
      k === DIRECTIVE ||
      k === RETAIN_KEYS ||
      k.startsWith(SET_ORDER) ||
      k.startsWith(DELETE_FROM_PRIMITIVE)
    ) {
      continue;
    }
    out[k] = stripDirectives(v);
  }
  return out;
}
