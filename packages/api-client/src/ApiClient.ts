import { ResponseError } from '@backstage/errors';

/**
 * What the client needs of service discovery. The frontend's `DiscoveryApi`
 * and the backend's `DiscoveryService` both have this shape.
 *
 * @public
 */
export interface ApiClientDiscovery {
  /** The base URL of a plugin's backend, e.g. `http://localhost:7007/api/policy`. */
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * What the client needs to send a request. The frontend's `FetchApi` has
 * this shape (it adds the user's credentials); `{ fetch }` of the global
 * works too.
 *
 * @public
 */
export interface ApiClientFetch {
  fetch: typeof fetch;
}

/**
 * One query parameter value. An array is sent as the parameter repeated
 * (`?level=error&level=warning`); `undefined` and `null` leave the parameter
 * out.
 *
 * @public
 */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | ReadonlyArray<string | number | boolean>;

/**
 * One request of {@link ApiClient.request}.
 *
 * @public
 */
export interface ApiRequestOptions {
  /** Default `GET`. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Query parameters, encoded and appended to the path in their order. */
  query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON (`Content-Type: application/json`) when not `undefined`. */
  body?: unknown;
  /** Extra request headers. */
  headers?: Readonly<Record<string, string>>;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * A typed client of one plugin's backend, made by {@link createApiClient}.
 *
 * @public
 */
export interface ApiClient {
  /**
   * Sends one request to `<base URL of the plugin><path>` and resolves with
   * the answer's JSON body, typed as `T` (not validated). A `204 No Content`
   * answer resolves with `undefined`.
   *
   * Rejects with a `ResponseError` (from `@backstage/errors`, carrying the
   * status and the backend's error body) for any non-2xx answer; a network
   * failure of `fetch` is passed through unchanged.
   *
   * @param path - starts with `/`; build it with {@link encodePath} when it
   *   holds values.
   */
  request<T>(path: string, options?: ApiRequestOptions): Promise<T>;
}

/**
 * Options of {@link createApiClient}.
 *
 * @public
 */
export interface ApiClientOptions {
  discoveryApi: ApiClientDiscovery;
  fetchApi: ApiClientFetch;
  /** The backend plugin to call, as `discoveryApi.getBaseUrl` knows it. */
  pluginId: string;
}

/**
 * Encodes query parameters, in their order, skipping `undefined` and `null`
 * and repeating the parameter for each value of an array.
 *
 * @public
 */
export function encodeQuery(
  query: Readonly<Record<string, QueryValue>> = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values: ReadonlyArray<string | number | boolean> = Array.isArray(
      value,
    )
      ? value
      : [value as string | number | boolean];
    for (const v of values) params.append(key, String(v));
  }
  return params.toString();
}

/**
 * Tagged template for request paths: every interpolated value is encoded
 * as one path segment (`encodeURIComponent`), the literal parts are kept.
 *
 * @example
 * ```ts
 * encodePath`/entities/${kind}/${namespace}/${name}/status`
 * // '/entities/Component/default/orders%20service/status'
 * ```
 *
 * @public
 */
export function encodePath(
  literals: TemplateStringsArray,
  ...values: ReadonlyArray<string | number>
): string {
  return literals.reduce(
    (path, literal, i) =>
      i === 0
        ? literal
        : `${path}${encodeURIComponent(String(values[i - 1]))}${literal}`,
    '',
  );
}

/**
 * Creates the typed client of one plugin's backend: base URL from
 * `discoveryApi.getBaseUrl(pluginId)` (asked on every request, so a changed
 * discovery answer is used), the request through `fetchApi.fetch`, query
 * parameters encoded, a JSON body, and non-2xx answers thrown as
 * `ResponseError`.
 *
 * @example
 * ```ts
 * const client = createApiClient({ discoveryApi, fetchApi, pluginId: 'policy' });
 * const health = await client.request<EngineHealthResponse>('/health');
 * await client.request('/runs', { method: 'POST' });
 * ```
 *
 * @public
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { discoveryApi, fetchApi, pluginId } = options;
  return {
    async request<T>(path: string, request: ApiRequestOptions = {}) {
      const base = await discoveryApi.getBaseUrl(pluginId);
      const search = encodeQuery(request.query);
      const url = `${base}${path}${
        search ? `${path.includes('?') ? '&' : '?'}${search}` : ''
      }`;
      const response = await fetchApi.fetch(url, requestInit(request));
      if (!response.ok) throw await ResponseError.fromResponse(response);
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    },
  };
}

/** Only the fields the request sets, or none (`fetch(url)` for a plain GET). */
function requestInit(request: ApiRequestOptions): RequestInit | undefined {
  const init: RequestInit = {};
  if (request.method && request.method !== 'GET') init.method = request.method;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) {
    if (!Object.keys(headers).some(h => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    init.body = JSON.stringify(request.body);
  }
  if (Object.keys(headers).length) init.headers = headers;
  if (request.signal) init.signal = request.signal;
  return Object.keys(init).length ? init : undefined;
}
