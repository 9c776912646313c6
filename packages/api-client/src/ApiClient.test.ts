import { ResponseError } from '@backstage/errors';
import { createApiClient, encodePath, encodeQuery } from './ApiClient';

const BASE = 'http://localhost:7007/api/things';

function setup(respond: (url: string, init?: RequestInit) => Response) {
  const fetch = jest.fn(async (url: string, init?: RequestInit) =>
    respond(url, init),
  );
  const getBaseUrl = jest.fn(async (_pluginId: string) => BASE);
  const client = createApiClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
    pluginId: 'things',
  });
  return { client, fetch, getBaseUrl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** The body Backstage's backend error handler answers with. */
const backendError = (name: string, message: string, statusCode: number) =>
  json(
    {
      error: { name, message },
      request: { method: 'GET', url: '/api/things/x' },
      response: { statusCode },
    },
    statusCode,
  );

interface Thing {
  id: string;
  count: number;
}

describe('createApiClient', () => {
  it("GETs <plugin's base URL><path> with no init and resolves with the typed JSON body", async () => {
    const { client, fetch, getBaseUrl } = setup(() =>
      json({ id: 'a', count: 2 }),
    );
    const thing: Thing = await client.request<Thing>('/things/a');
    expect(thing).toEqual({ id: 'a', count: 2 });
    expect(getBaseUrl).toHaveBeenCalledWith('things');
    expect(fetch).toHaveBeenCalledWith(`${BASE}/things/a`, undefined);
  });

  it('asks discovery on every request', async () => {
    const { client, getBaseUrl } = setup(() => json({}));
    await client.request('/a');
    await client.request('/b');
    expect(getBaseUrl).toHaveBeenCalledTimes(2);
  });

  it('encodes query parameters: repeated for arrays, numbers and booleans as text, undefined and null left out', async () => {
    const { client, fetch } = setup(() => json([]));
    await client.request('/search', {
      query: {
        owner: ['group:default/team-a', 'user:default/jane doe'],
        q: 'a&b=c?d#e',
        limit: 25,
        previous: false,
        offset: undefined,
        cursor: null,
      },
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/things/search');
    expect(url.searchParams.getAll('owner')).toEqual([
      'group:default/team-a',
      'user:default/jane doe',
    ]);
    expect(url.searchParams.get('q')).toBe('a&b=c?d#e');
    expect(url.searchParams.get('limit')).toBe('25');
    expect(url.searchParams.get('previous')).toBe('false');
    expect(url.searchParams.has('offset')).toBe(false);
    expect(url.searchParams.has('cursor')).toBe(false);
    expect(url.hash).toBe('');
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/search?owner=group%3Adefault%2Fteam-a&owner=user%3Adefault%2Fjane+doe&q=a%26b%3Dc%3Fd%23e&limit=25&previous=false`,
    );
  });

  it('adds no "?" when every parameter is left out, and "&" after a query already in the path', async () => {
    const { client, fetch } = setup(() => json([]));
    await client.request('/list', { query: { owner: [], limit: undefined } });
    await client.request('/list?kind=Component', { query: { limit: 5 } });
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${BASE}/list`,
      `${BASE}/list?kind=Component&limit=5`,
    ]);
  });

  it('sends a JSON body with its content type, and the method', async () => {
    const { client, fetch } = setup(() => json({ id: 'b', count: 0 }, 201));
    await expect(
      client.request<Thing>('/things', {
        method: 'POST',
        body: { id: 'b', tags: ['x'] },
      }),
    ).resolves.toEqual({ id: 'b', count: 0 });
    const [, init] = fetch.mock.calls[0];
    expect(init).toEqual({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'b', tags: ['x'] }),
    });
  });

  it('sends only the method for a POST without body, and keeps given headers and signal', async () => {
    const { client, fetch } = setup(() => json({ taskId: 't' }, 202));
    await client.request('/runs', { method: 'POST' });
    const signal = new AbortController().signal;
    await client.request('/things', {
      method: 'PUT',
      body: 'raw',
      headers: { 'content-type': 'application/merge-patch+json' },
      signal,
    });
    expect(fetch.mock.calls[0][1]).toEqual({ method: 'POST' });
    expect(fetch.mock.calls[1][1]).toEqual({
      method: 'PUT',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: '"raw"',
      signal,
    });
  });

  it('resolves with undefined for 204 No Content', async () => {
    const { client } = setup(() => new Response(null, { status: 204 }));
    await expect(
      client.request('/things/a', { method: 'DELETE' }),
    ).resolves.toBeUndefined();
  });

  it.each([
    [401, 'AuthenticationError', 'Missing credentials'],
    [403, 'NotAllowedError', 'Not allowed: things.read'],
    [404, 'NotFoundError', 'No thing named a'],
    [500, 'Error', 'database is down'],
  ])(
    'rejects a %s answer with a ResponseError carrying its status and message',
    async (status, name, message) => {
      const { client } = setup(() => backendError(name, message, status));
      const error = await client.request<never>('/things/a').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.name).toBe('ResponseError');
      expect(error.statusCode).toBe(status);
      expect(error.response.status).toBe(status);
      expect(error.body.error).toEqual({ name, message });
      expect(error.cause.name).toBe(name);
      expect(error.cause.message).toBe(message);
      expect(error.message).toContain(String(status));
    },
  );

  it('rejects a non-JSON error answer (e.g. of a proxy) with a ResponseError too', async () => {
    const { client } = setup(
      () =>
        new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = await client.request<never>('/things').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
    expect(error.statusText).toBe('Bad Gateway');
  });

  it('passes a network failure through unchanged', async () => {
    const failure = new TypeError('Failed to fetch');
    const { client } = setup(() => {
      throw failure;
    });
    await expect(client.request('/things')).rejects.toBe(failure);
  });

  it('passes a discovery failure through unchanged, without fetching', async () => {
    const fetch = jest.fn();
    const failure = new Error('no such plugin');
    const client = createApiClient({
      discoveryApi: { getBaseUrl: async () => Promise.reject(failure) },
      fetchApi: { fetch },
      pluginId: 'things',
    });
    await expect(client.request('/things')).rejects.toBe(failure);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('encodePath', () => {
  it('encodes each value as one path segment and keeps the literal parts', () => {
    const kind = 'Component';
    const namespace = 'team/a';
    const name = 'orders service?#';
    expect(encodePath`/entities/${kind}/${namespace}/${name}/status`).toBe(
      '/entities/Component/team%2Fa/orders%20service%3F%23/status',
    );
    expect(encodePath`/clusters`).toBe('/clusters');
    expect(encodePath`/page/${2}`).toBe('/page/2');
  });
});

describe('encodeQuery', () => {
  it('is empty without parameters', () => {
    expect(encodeQuery()).toBe('');
    expect(encodeQuery({ a: undefined, b: [] })).toBe('');
  });
});
