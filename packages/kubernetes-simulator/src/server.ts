import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { stringifyError } from '@backstage/errors';
import type { Authorizer } from './auth';
import type { RequestCounters } from './counters';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  REVIEW_GROUPS,
  versionInfo,
} from './discovery';
import { HttpError, notFound, statusObject } from './errors';
import { decodeSelfSubjectAccessReview, PROTOBUF_MEDIA_TYPE } from './protobuf';
import { TABLE_CONTENT_TYPE, toTable, wantsTable } from './tables';
import type { Faults, RequestVerb, ServerControl } from './faults';
import type { LogStore } from './logs';
import {
  apiVersionOf,
  storeKeyOf,
  type ResourceRegistry,
  type ResourceType,
} from './resources';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type Matcher,
} from './selectors';
import {
  lowerBound,
  ResourceVersionExpiredError,
  type KubeObject,
  type ObjectStore,
  type StoreEvent,
  type StoredItem,
} from './store';
import {
  ApiWriter,
  MAX_REQUEST_BODY_BYTES,
  type WriteHost,
  type WriteRequest,
} from './writes';

/** Everything the HTTP server serves from and acts on. */
export interface ApiServerContext {
  /** Cluster name, sent in the `X-Paved-Simulator` header of every response. */
  name: string;
  store: ObjectStore;
  registry: ResourceRegistry;
  authorizer: Authorizer;
  faults: Faults;
  counters: RequestCounters;
  logs: LogStore;
  bookmarkIntervalMs: number;
  /** The write path's hooks into the simulator. */
  writes: Omit<WriteHost, 'store' | 'registry'>;
}

/** The serving certificate and key (PEM) the API server speaks TLS with. */
export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

type Route =
  | { kind: 'health' }
  | { kind: 'discovery'; document: 'version' | 'api' | 'apis' }
  | { kind: 'discovery'; document: 'group'; group: string }
  | {
      kind: 'discovery';
      document: 'groupVersion';
      group: string;
      version: string;
    }
  | {
      kind: 'resource';
      group: string;
      version: string;
      namespace?: string;
      resource: string;
      name?: string;
      subresource?: string;
      watchPath: boolean;
    };

/** Parses a request path the way kube-apiserver's RequestInfoFactory does, for the paths served. */
function parseRoute(pathname: string): Route | undefined {
  const parts = pathname
    .split('/')
    .filter(p => p !== '')
    .map(decodeURIComponent);
  if (parts.length === 1 && ['healthz', 'livez', 'readyz'].includes(parts[0])) {
    return { kind: 'health' };
  }
  if (parts.length === 1 && parts[0] === 'version') {
    return { kind: 'discovery', document: 'version' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) {
      return { kind: 'discovery', document: 'api' };
    }
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) {
      return { kind: 'discovery', document: 'apis' };
    }
    if (parts.length === 2) {
      return { kind: 'discovery', document: 'group', group: parts[1] };
    }
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) {
    return { kind: 'discovery', document: 'groupVersion', group, version };
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // namespaces/{name}/status and /finalize are a Namespace's subresources
  // (kube's RequestInfoFactory: namespaceSubresources).
  if (
    rest[0] === 'namespaces' &&
    rest.length === 3 &&
    ['status', 'finalize'].includes(rest[2])
  ) {
    return {
      kind: 'resource',
      group,
      version,
      resource: 'namespaces',
      name: rest[1],
      subresource: rest[2],
      watchPath,
    };
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) {
    return undefined;
  }
  return {
    kind: 'resource',
    group,
    version,
    namespace,
    resource: rest[0],
    name: rest[1],
    subresource: rest[2],
    watchPath,
  };
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/** Continue tokens: base64 of `{v, rv, start}` like the apiserver's etcd3 tokens. */
interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start }),
  ).toString('base64');
}

function decodeContinue(value: string): ContinueToken {
  let parsed: any;
  try {
    if (!/^[A-Za-z0-9+/=_-]+$/.test(value)) {
      throw new Error('illegal base64 data');
    }
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch (e) {
    throw new HttpError(
      400,
      `continue key is not valid: ${(e as Error).message}`,
    );
  }
  if (
    parsed?.v !== 'meta.k8s.io/v1' ||
    typeof parsed.rv !== 'number' ||
    typeof parsed.start !== 'string'
  ) {
    throw new HttpError(
      400,
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  return { rv: parsed.rv, start: parsed.start };
}

const EXPIRED_CONTINUE_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

interface OpenWatch {
  /** Ends the stream cleanly. */
  end(): void;
}

/**
 * The simulated kube-apiserver's HTTPS front end: discovery, get, list
 * (with selectors and pagination), watch, pod logs, writes (create,
 * update, patch, delete, the status subresource) and access reviews.
 */
export class ApiServer implements ServerControl {
  readonly #ctx: ApiServerContext;
  readonly #writer: ApiWriter;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #watches = new Set<OpenWatch>();
  readonly #hung = new Set<ServerResponse>();
  // Watchers of the same event share its JSON text.
  readonly #jsonCache = new WeakMap<object, string>();
  #port = 0;
  #host = '127.0.0.1';
  #listening = false;

  constructor(ctx: ApiServerContext) {
    this.#ctx = ctx;
    this.#writer = new ApiWriter({
      store: ctx.store,
      registry: ctx.registry,
      ...ctx.writes,
    });
  }

  /** Base URL, once listening. */
  get url(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `https://${host}:${this.#port}`;
  }

  /**
   * Starts listening with TLS; port 0 picks a free port, which is kept for
   * later restarts (and so is the certificate).
   */
  async listen(port: number, host: string, tls: TlsMaterial): Promise<string> {
    if (!this.#server) {
      const server = createHttpsServer(
        { cert: tls.certPem, key: tls.keyPem },
        (req, res) => {
          this.#handle(req, res).catch(error => {
            this.#fail(
              res,
              500,
              `Internal error occurred: ${stringifyError(error)}`,
            );
          });
        },
      );
      server.on('connection', (socket: Socket) => {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
      });
      // A client that gives up during the handshake (wrong CA) is its business.
      server.on('tlsClientError', () => undefined);
      this.#server = server;
    }
    this.#host = host;
    this.#port = port;
    await this.goUp();
    return this.url;
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    await this.goDown();
  }

  async goUp(): Promise<void> {
    const server = this.#server;
    if (this.#listening || !server) {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(this.#port, this.#host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#listening = true;
  }

  async goDown(): Promise<void> {
    const server = this.#server;
    if (!this.#listening || !server) {
      return;
    }
    this.#listening = false;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    this.#hung.clear();
    await closed;
  }

  closeWatches(): number {
    const open = [...this.#watches];
    for (const watch of open) {
      watch.end();
    }
    return open.length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { faults, authorizer } = this.#ctx;
    res.setHeader('X-Paved-Simulator', this.#ctx.name);
    if (faults.hanging) {
      // Accepted, never answered: only the client's timeout ends this.
      this.#hung.add(res);
      res.on('close', () => this.#hung.delete(res));
      return;
    }
    if (faults.latencyMs > 0) {
      await delay(faults.latencyMs);
      if (res.destroyed) {
        return;
      }
    }
    const url = new URL(req.url ?? '/', 'http://simulator');
    const route = parseRoute(url.pathname);
    const method = req.method ?? 'GET';
    const verb = this.#verbOf(route, method, url.searchParams);
    const counted =
      route?.kind === 'resource' ? this.#countedResource(route) : undefined;
    const send = (
      code: number,
      body: unknown,
      contentType = 'application/json',
    ) => {
      this.#ctx.counters.record(code, verb, counted);
      this.#send(res, code, body, contentType);
    };
    const fail = (error: HttpError) =>
      send(error.code, {
        ...statusObject(error.code, error.message, error.details, error.reason),
        ...error.extra,
      });

    try {
      const failure = verb ? faults.takeFailure(verb, counted) : undefined;
      if (failure) {
        if (failure.status === 429 || failure.status === 503) {
          res.setHeader('Retry-After', '1');
        }
        throw new HttpError(failure.status, failure.message);
      }
      if (route?.kind === 'health' && method === 'GET') {
        send(200, 'ok', 'text/plain; charset=utf-8');
        return;
      }
      if (!authorizer.authenticate(req.headers.authorization)) {
        throw new HttpError(401);
      }
      if (!route) {
        throw new HttpError(404);
      }
      if (route.kind !== 'resource') {
        if (method !== 'GET' || route.kind !== 'discovery') {
          throw new HttpError(405);
        }
        send(200, this.#discovery(route, req));
        return;
      }
      if (!verb) {
        throw new HttpError(405);
      }
      const review = REVIEW_GROUPS.find(
        r => r.group === route.group && r.version === route.version,
      );
      if (review) {
        if (
          verb !== 'create' ||
          !review.resources.some(r => r.name === route.resource)
        ) {
          throw new HttpError(verb === 'create' ? 404 : 405);
        }
        const body = await readBody(req);
        send(
          201,
          this.#review(route.resource, body, req.headers['content-type']),
        );
        return;
      }
      this.#authorize(route, verb);
      const type = this.#resolve(route);
      // Server-side printing for kubectl (not for subresources).
      const table = !route.subresource && wantsTable(req.headers.accept);
      if (verb === 'watch') {
        this.#watch(
          res,
          route,
          type,
          url.searchParams,
          () => this.#ctx.counters.record(200, verb, counted),
          table,
        );
      } else if (verb === 'log') {
        send(200, this.#log(route, type, url.searchParams), 'text/plain');
      } else if (verb === 'get') {
        const item = this.#get(route, type);
        if (table) {
          send(
            200,
            toTable(
              type,
              [item.object],
              { resourceVersion: item.object.metadata.resourceVersion },
              { includeObject: url.searchParams.get('includeObject') },
            ),
            TABLE_CONTENT_TYPE,
          );
        } else {
          send(200, item.json());
        }
      } else if (verb === 'list') {
        send(
          200,
          this.#list(route, type, url.searchParams, table),
          table ? TABLE_CONTENT_TYPE : 'application/json',
        );
      } else if (verb !== 'discovery') {
        const request: WriteRequest = {
          verb,
          type,
          namespace: route.namespace,
          name: route.name,
          subresource: route.subresource,
          query: url.searchParams,
          contentType: req.headers['content-type'] ?? '',
          body: await readBody(req),
        };
        const result = this.#writer.handle(request);
        send(result.code, result.body);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        fail(error);
      } else if (error instanceof SelectorError) {
        fail(new HttpError(400, error.message));
      } else {
        fail(
          new HttpError(
            500,
            `Internal error occurred: ${stringifyError(error)}`,
          ),
        );
      }
    }
  }

  /** The verb of a request, as kube's RequestInfo names it; undefined for a method the path does not serve. */
  #verbOf(
    route: Route | undefined,
    method: string,
    query: URLSearchParams,
  ): RequestVerb | undefined {
    if (!route) {
      return undefined;
    }
    if (route.kind !== 'resource') {
      return 'discovery';
    }
    switch (method) {
      case 'GET':
        break;
      case 'POST':
        return route.name ? undefined : 'create';
      case 'PUT':
        return route.name ? 'update' : undefined;
      case 'PATCH':
        return route.name ? 'patch' : undefined;
      case 'DELETE':
        return route.name ? 'delete' : 'deletecollection';
      default:
        return undefined;
    }
    if (route.subresource === 'log') {
      return 'log';
    }
    if (route.watchPath || isTrue(query.get('watch'))) {
      return 'watch';
    }
    return route.name ? 'get' : 'list';
  }

  /**
   * `SelfSubjectAccessReview` (what `kubectl auth can-i` asks) answered from
   * the forbid rules, and `SelfSubjectReview` (`kubectl auth whoami`).
   */
  #review(
    resource: string,
    body: Buffer,
    contentType: string | undefined,
  ): unknown {
    let review: any;
    try {
      const protobuf = (contentType ?? '').startsWith(PROTOBUF_MEDIA_TYPE);
      if (resource === 'selfsubjectreviews') {
        // Nothing in a SelfSubjectReview's spec; its body is not needed.
        review = {};
      } else if (protobuf) {
        review = decodeSelfSubjectAccessReview(body);
      } else {
        review = JSON.parse(body.toString('utf8'));
      }
    } catch (e) {
      throw new HttpError(
        400,
        `couldn't get version/kind; json parse error: ${(e as Error).message}`,
      );
    }
    const { authorizer } = this.#ctx;
    if (resource === 'selfsubjectreviews') {
      return {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: {},
        status: {
          userInfo: { username: authorizer.user, groups: authorizer.groups },
        },
      };
    }
    const spec = review?.spec ?? {};
    const attributes = spec.resourceAttributes;
    const nonResource = spec.nonResourceAttributes;
    if (Boolean(attributes) === Boolean(nonResource)) {
      // As kube-apiserver words it (the kind is missing there too).
      const why =
        'Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified';
      throw new HttpError(
        422,
        `.authorization.k8s.io "" is invalid: spec: ${why}`,
        {
          group: 'authorization.k8s.io',
          causes: [
            { reason: 'FieldValueInvalid', message: why, field: 'spec' },
          ],
        },
      );
    }
    let allowed = true;
    if (attributes) {
      const denial = authorizer.authorize({
        verb: String(attributes.verb ?? ''),
        group: String(attributes.group ?? ''),
        resource: String(attributes.resource ?? ''),
        subresource: attributes.subresource || undefined,
        namespace: attributes.namespace || undefined,
        name: attributes.name || undefined,
      });
      allowed = !denial;
    }
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec,
      status: { allowed },
    };
  }

  #countedResource(route: Extract<Route, { kind: 'resource' }>) {
    return route.subresource
      ? `${route.resource}/${route.subresource}`
      : route.resource;
  }

  #authorize(route: Extract<Route, { kind: 'resource' }>, verb: RequestVerb) {
    const denial = this.#ctx.authorizer.authorize({
      verb: verb === 'log' ? 'get' : verb,
      group: route.group,
      resource: route.resource,
      subresource: route.subresource,
      namespace: route.namespace,
      name: route.name,
    });
    if (denial) {
      throw new HttpError(403, denial.message, {
        ...(route.name ? { name: route.name } : {}),
        ...(route.group ? { group: route.group } : {}),
        kind: route.resource,
      });
    }
  }

  #resolve(route: Extract<Route, { kind: 'resource' }>): ResourceType {
    const type = this.#ctx.registry.byPlural(
      route.group,
      route.version,
      route.resource,
    );
    if (!type) {
      throw new HttpError(404);
    }
    // /api/v1/namespaces/{name} reads a Namespace, not a namespaced list.
    if (!type.namespaced && route.namespace !== undefined) {
      throw new HttpError(404);
    }
    if (type.namespaced && route.namespace === undefined && route.name) {
      throw new HttpError(404);
    }
    if (
      route.subresource &&
      !(type.subresources ?? []).includes(route.subresource)
    ) {
      // A custom resource's handler answers its unknown subresources as
      // an object not found; built-in paths are not routed at all.
      throw type.custom && route.name
        ? notFound(type, route.name)
        : new HttpError(404);
    }
    return type;
  }

  #discovery(
    route: Extract<Route, { kind: 'discovery' }>,
    req: IncomingMessage,
  ) {
    const { registry } = this.#ctx;
    switch (route.document) {
      case 'version':
        return versionInfo();
      case 'api':
        return coreApiVersions(
          req.headers.host ?? `${this.#host}:${this.#port}`,
        );
      case 'apis':
        return apiGroupList(registry);
      case 'group': {
        const doc = apiGroup(registry, route.group);
        if (!doc) {
          throw new HttpError(404);
        }
        return doc;
      }
      default: {
        const doc = apiResourceList(registry, route.group, route.version);
        if (!doc) {
          throw new HttpError(404);
        }
        return doc;
      }
    }
  }

  #notFound(type: ResourceType, name: string): HttpError {
    const what = type.group ? `${type.plural}.${type.group}` : type.plural;
    return new HttpError(404, `${what} "${name}" not found`, {
      name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
    });
  }

  #get(
    route: Extract<Route, { kind: 'resource' }>,
    type: ResourceType,
  ): StoredItem {
    const item = this.#ctx.store.getItem(
      storeKeyOf(type),
      route.namespace,
      route.name!,
    );
    if (!item) {
      throw this.#notFound(type, route.name!);
    }
    return item;
  }

  #matcher(type: ResourceType, query: URLSearchParams): Matcher {
    const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined, [
      'metadata.name',
      'metadata.namespace',
      ...(type.fieldLabels ?? []),
    ]);
    return object => labels(object) && fields(object);
  }

  #list(
    route: Extract<Route, { kind: 'resource' }>,
    type: ResourceType,
    query: URLSearchParams,
    table = false,
  ): string {
    const { store } = this.#ctx;
    const key = storeKeyOf(type);
    const matches = this.#matcher(type, query);
    const hasSelector = Boolean(
      query.get('labelSelector') || query.get('fieldSelector'),
    );
    const limitParam = query.get('limit');
    let limit = 0;
    if (limitParam !== null && limitParam !== '') {
      limit = Number(limitParam);
      if (!Number.isInteger(limit)) {
        throw new HttpError(400, `invalid limit: ${limitParam}`);
      }
    }
    const continueParam = query.get('continue');
    let items: StoredItem[];
    let listRv: number;
    let start = '';
    if (continueParam) {
      const token = decodeContinue(continueParam);
      start = token.start;
      // rv < 0 is an "inconsistent" token: continue from the latest state.
      listRv = token.rv < 0 ? store.resourceVersion : token.rv;
      try {
        items = store.snapshot(key, listRv, route.namespace);
      } catch (e) {
        if (e instanceof ResourceVersionExpiredError) {
          throw new HttpError(410, EXPIRED_CONTINUE_MESSAGE, undefined, {
            metadata: { continue: encodeContinue({ rv: -1, start }) },
          });
        }
        throw e;
      }
    } else {
      const rvParam = query.get('resourceVersion');
      if (query.get('resourceVersionMatch') === 'Exact' && rvParam) {
        listRv = Number(rvParam);
        if (!Number.isInteger(listRv)) {
          throw new HttpError(400, `invalid resource version: ${rvParam}`);
        }
        try {
          items = store.snapshot(key, listRv, route.namespace);
        } catch (e) {
          if (e instanceof ResourceVersionExpiredError) {
            throw new HttpError(
              410,
              'The resourceVersion for the provided list is too old.',
            );
          }
          throw e;
        }
      } else {
        listRv = store.resourceVersion;
        items = store.items(key, route.namespace);
      }
    }

    const keys = items.map(i => i.key);
    let index = start ? lowerBound(keys, start) : 0;
    const page: StoredItem[] = [];
    let lastKey: string | undefined;
    while (index < items.length && (limit <= 0 || page.length < limit)) {
      const item = items[index++];
      if (matches(item.object)) {
        page.push(item);
        lastKey = item.key;
      }
    }
    let metadata: Record<string, unknown> = {
      resourceVersion: String(listRv),
    };
    if (limit > 0 && index < items.length && lastKey !== undefined) {
      // Like etcd: the next page starts just after the last key returned.
      metadata.continue = encodeContinue({
        rv: listRv,
        start: `${lastKey}\u0000`,
      });
      if (!hasSelector) {
        metadata.remainingItemCount = items.length - index;
      }
    }
    if (type.custom) {
      // Unstructured lists: `continue` always there, keys in sorted order.
      metadata = {
        continue: metadata.continue ?? '',
        ...(metadata.remainingItemCount !== undefined
          ? { remainingItemCount: metadata.remainingItemCount }
          : {}),
        resourceVersion: metadata.resourceVersion,
      };
    }
    if (table) {
      return JSON.stringify(
        toTable(
          type,
          page.map(i => i.object),
          metadata,
          { includeObject: query.get('includeObject') },
        ),
      );
    }
    return `{"kind":${JSON.stringify(
      type.listKind,
    )},"apiVersion":${JSON.stringify(
      apiVersionOf(type),
    )},"metadata":${JSON.stringify(metadata)},"items":[${page
      .map(i => (type.custom ? i.json() : listItemJson(i)))
      .join(',')}]}`;
  }

  #log(
    route: Extract<Route, { kind: 'resource' }>,
    type: ResourceType,
    query: URLSearchParams,
  ): string {
    const pod = this.#get(route, type).object;
    const podName = pod.metadata.name;
    const names: string[] = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []),
    ].map((c: { name: string }) => c.name);
    let container = query.get('container') ?? '';
    if (!container) {
      const regular = (pod.spec?.containers ?? []).map(
        (c: { name: string }) => c.name,
      );
      if (regular.length !== 1) {
        throw new HttpError(
          400,
          `a container name must be specified for pod ${podName}, choose one of: [${regular.join(
            ' ',
          )}]`,
        );
      }
      container = regular[0];
    }
    if (!names.includes(container)) {
      throw new HttpError(
        400,
        `container ${container} is not valid for pod ${podName}`,
      );
    }
    const ns = route.namespace!;
    const previous = isTrue(query.get('previous'));
    const { logs } = this.#ctx;
    if (previous && !logs.hasPrevious(ns, podName, container)) {
      throw new HttpError(
        400,
        `previous terminated container "${container}" in pod "${podName}" not found`,
      );
    }
    const status = (pod.status?.containerStatuses ?? []).find(
      (s: { name: string }) => s.name === container,
    );
    if (
      !previous &&
      status?.state?.waiting &&
      (status.restartCount ?? 0) === 0
    ) {
      throw new HttpError(
        400,
        `container "${container}" in pod "${podName}" is waiting to start: ${status.state.waiting.reason}`,
      );
    }
    const int = (name: string) => {
      const value = query.get(name);
      if (value === null || value === '') {
        return undefined;
      }
      const n = Number(value);
      if (!Number.isInteger(n)) {
        throw new HttpError(400, `invalid ${name}: ${value}`);
      }
      return n;
    };
    return logs.read(ns, podName, container, {
      previous,
      tailLines: int('tailLines'),
      sinceSeconds: int('sinceSeconds'),
      limitBytes: int('limitBytes'),
      timestamps: isTrue(query.get('timestamps')),
    });
  }

  #watch(
    res: ServerResponse,
    route: Extract<Route, { kind: 'resource' }>,
    type: ResourceType,
    query: URLSearchParams,
    countStart: () => void,
    table = false,
  ): void {
    const { store } = this.#ctx;
    const key = storeKeyOf(type);
    const matches = this.#matcher(type, query);
    const rvParam = query.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
      throw new HttpError(400, `invalid resource version: ${rvParam}`);
    }
    const bookmarks = isTrue(query.get('allowWatchBookmarks'));
    const sendInitialEvents = isTrue(query.get('sendInitialEvents'));
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
    const inScope = (object: KubeObject) =>
      route.namespace === undefined ||
      object.metadata.namespace === route.namespace;

    countStart();
    res.writeHead(200, {
      'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();

    let columnsSent = false;
    const includeObject = query.get('includeObject');
    const write = (eventType: string, objectJson: string) => {
      if (res.writableEnded || res.destroyed) {
        return;
      }
      let json = objectJson;
      if (table && eventType !== 'BOOKMARK' && eventType !== 'ERROR') {
        // One row per event; column definitions with the first only.
        const object = JSON.parse(objectJson) as KubeObject;
        json = JSON.stringify(
          toTable(
            type,
            [object],
            { resourceVersion: object.metadata.resourceVersion },
            { includeObject, columns: !columnsSent },
          ),
        );
        columnsSent = true;
      }
      res.write(`{"type":"${eventType}","object":${json}}\n`);
    };
    // The last resourceVersion this watch told the client: a periodic
    // bookmark is only sent past it (kube-apiserver sends none without
    // progress).
    let lastSent =
      rvParam === '' || rvParam === '0' || sendInitialEvents
        ? store.resourceVersion
        : Number(rvParam);
    const bookmark = (annotations?: Record<string, string>) => {
      if (!annotations && store.resourceVersion <= lastSent) {
        return;
      }
      lastSent = store.resourceVersion;
      write(
        'BOOKMARK',
        JSON.stringify({
          kind: type.kind,
          apiVersion: apiVersionOf(type),
          metadata: {
            resourceVersion: String(store.resourceVersion),
            ...(annotations ? { annotations } : {}),
          },
        }),
      );
    };
    const forward = (event: StoreEvent) => {
      if (event.resource !== key || !inScope(event.object)) {
        return;
      }
      const now = matches(event.object);
      const before = event.previous ? matches(event.previous) : false;
      let sent: string | undefined;
      if (event.type === 'ADDED') {
        sent = now ? 'ADDED' : undefined;
      } else if (event.type === 'DELETED') {
        sent = now || before ? 'DELETED' : undefined;
      } else if (now) {
        // An object that starts matching the selector is ADDED for this watch...
        sent = before ? 'MODIFIED' : 'ADDED';
      } else if (before) {
        // ...and one that stops matching is DELETED, as the watch cache does.
        sent = 'DELETED';
      }
      if (sent === 'DELETED' && event.type === 'MODIFIED') {
        // It stopped matching: the watch cache sends its previous state
        // (what the client has) at the new resourceVersion.
        const previous = event.previous!;
        write(
          sent,
          JSON.stringify({
            ...previous,
            metadata: {
              ...previous.metadata,
              resourceVersion: String(event.resourceVersion),
            },
          }),
        );
      } else if (sent) {
        write(sent, this.#json(event.object));
      }
      if (sent) {
        lastSent = event.resourceVersion;
      }
    };

    if (rvParam === '' || rvParam === '0' || sendInitialEvents) {
      for (const item of store.items(key, route.namespace)) {
        if (matches(item.object)) {
          write('ADDED', item.json());
        }
      }
      if (sendInitialEvents && bookmarks) {
        bookmark({ 'k8s.io/initial-events-end': 'true' });
      }
    } else {
      let missed: StoreEvent[];
      try {
        missed = store.eventsSince(Number(rvParam));
      } catch (e) {
        if (e instanceof ResourceVersionExpiredError) {
          // kube-apiserver answers 200 and sends one ERROR event, then ends.
          write('ERROR', JSON.stringify(statusObject(410, e.message)));
          res.end();
          return;
        }
        throw e;
      }
      missed.forEach(forward);
    }

    const unsubscribe = store.subscribe(forward);
    const timers: NodeJS.Timeout[] = [];
    if (bookmarks) {
      timers.push(setInterval(() => bookmark(), this.#ctx.bookmarkIntervalMs));
    }
    const open: OpenWatch = { end: () => res.end() };
    if (timeoutSeconds > 0) {
      timers.push(setTimeout(() => open.end(), timeoutSeconds * 1000));
    }
    this.#watches.add(open);
    const cleanup = () => {
      unsubscribe();
      timers.forEach(t => clearTimeout(t));
      this.#watches.delete(open);
    };
    // 'close' fires both when the client goes away and after a clean end.
    res.on('close', cleanup);
  }

  #json(object: KubeObject): string {
    let json = this.#jsonCache.get(object);
    if (json === undefined) {
      json = JSON.stringify(object);
      this.#jsonCache.set(object, json);
    }
    return json;
  }

  #send(res: ServerResponse, code: number, body: unknown, contentType: string) {
    if (res.headersSent || res.destroyed) {
      return;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    res.end(text);
  }

  #fail(res: ServerResponse, code: number, message: string) {
    this.#send(res, code, statusObject(code, message), 'application/json');
  }
}

/**
 * An item of a built-in kind's list: kube-apiserver leaves `kind` and
 * `apiVersion` out (custom resources keep them). Cut from the cached JSON
 * when it starts with them, else serialised without.
 */
function listItemJson(item: StoredItem): string {
  const json = item.json();
  const kind = JSON.stringify(item.object.kind);
  const apiVersion = JSON.stringify(item.object.apiVersion);
  for (const prefix of [
    `{"kind":${kind},"apiVersion":${apiVersion},`,
    `{"apiVersion":${apiVersion},"kind":${kind},`,
  ]) {
    if (json.startsWith(prefix)) {
      return `{${json.slice(prefix.length)}`;
    }
  }
  const { kind: _k, apiVersion: _a, ...rest } = item.object;
  return JSON.stringify(rest);
}

/** Reads a request body, up to kube-apiserver's limit (413 beyond). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (tooLarge) {
        reject(
          new HttpError(
            413,
            `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`,
          ),
        );
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}
