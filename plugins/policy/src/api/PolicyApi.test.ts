import { ResponseError } from '@backstage/errors';
import { PolicyClient } from './PolicyApi';

const BASE = 'http://localhost:7007/api/policy';

function setup(respond: (url: string, init?: RequestInit) => Response) {
  const fetch = jest.fn(async (url: string, init?: RequestInit) =>
    respond(url, init),
  );
  const getBaseUrl = jest.fn(async (_pluginId: string) => BASE);
  const client = new PolicyClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch } as any,
  });
  return { client, fetch, getBaseUrl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

const errorBody = (name: string, message: string, statusCode: number) =>
  json(
    {
      error: { name, message },
      request: { method: 'GET', url: '/x' },
      response: { statusCode },
    },
    statusCode,
  );

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'orders service',
};

describe('PolicyClient', () => {
  it("reads an entity's findings from the policy plugin's base URL, path segments encoded", async () => {
    const { client, fetch, getBaseUrl } = setup(() =>
      json({ entityRef: 'component:default/orders service' }),
    );
    await expect(client.getEntityFindings(entity)).resolves.toEqual({
      entityRef: 'component:default/orders service',
    });
    expect(getBaseUrl).toHaveBeenCalledWith('policy');
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/entities/Component/default/orders%20service/findings`,
      undefined,
    );
  });

  it('re-evaluates with a POST', async () => {
    const { client, fetch } = setup(() => json({ entityRef: 'x' }));
    await client.evaluateEntity(entity);
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/entities/Component/default/orders%20service/evaluate`,
      {
        method: 'POST',
      },
    );
  });

  it('sends every compliance filter as repeated query parameters with offset and limit', async () => {
    const { client, fetch } = setup(() => json({ items: [], totalCount: 0 }));
    await client.getCompliance({
      owner: ['group:default/team-a', 'user:default/jane'],
      system: ['system:default/shop'],
      kind: ['Component'],
      level: ['error', 'warning'],
      source: ['workload'],
      offset: 50,
      limit: 25,
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/policy/compliance');
    expect(url.searchParams.getAll('owner')).toEqual([
      'group:default/team-a',
      'user:default/jane',
    ]);
    expect(url.searchParams.getAll('system')).toEqual(['system:default/shop']);
    expect(url.searchParams.getAll('kind')).toEqual(['Component']);
    expect(url.searchParams.getAll('level')).toEqual(['error', 'warning']);
    expect(url.searchParams.getAll('source')).toEqual(['workload']);
    expect(url.searchParams.get('offset')).toBe('50');
    expect(url.searchParams.get('limit')).toBe('25');
  });

  it('asks for the unfiltered compliance list without a query string', async () => {
    const { client, fetch } = setup(() => json({ items: [] }));
    await client.getCompliance();
    expect(fetch.mock.calls[0][0]).toBe(`${BASE}/compliance`);
  });

  it('reads the trend of one owner, and health and policies', async () => {
    const { client, fetch } = setup(() => json({ points: [] }));
    await client.getTrend({ owner: 'group:default/team-a', limit: 30 });
    await client.getTrend();
    await client.getEngineHealth();
    await client.getPolicies();
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${BASE}/trend?owner=group%3Adefault%2Fteam-a&limit=30`,
      `${BASE}/trend`,
      `${BASE}/health`,
      `${BASE}/policies`,
    ]);
  });

  it('starts a fleet run with a POST', async () => {
    const { client, fetch } = setup(() =>
      json({ taskId: 'policy:evaluate' }, 202),
    );
    await expect(client.triggerRun()).resolves.toEqual({
      taskId: 'policy:evaluate',
    });
    expect(fetch).toHaveBeenCalledWith(`${BASE}/runs`, { method: 'POST' });
  });

  it.each([
    [401, 'AuthenticationError', 'Missing credentials'],
    [403, 'NotAllowedError', 'Not allowed: policy.findings.read'],
    [404, 'NotFoundError', 'No entity component:default/orders service'],
    [500, 'Error', 'database is down'],
    [503, 'ServiceUnavailableError', 'No policy engine configured'],
  ])(
    'turns a %s answer into a ResponseError carrying the backend error',
    async (status, name, message) => {
      const { client } = setup(() => errorBody(name, message, status));
      const error = await client.evaluateEntity(entity).catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.body.error).toEqual({ name, message });
      expect(error.cause.message).toBe(message);
    },
  );

  it('throws a ResponseError for a non-JSON error answer (e.g. a proxy)', async () => {
    const { client } = setup(
      () =>
        new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = await client.getEngineHealth().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
  });

  it('passes a network failure through', async () => {
    const { client } = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.getPolicies()).rejects.toThrow('Failed to fetch');
  });
});
