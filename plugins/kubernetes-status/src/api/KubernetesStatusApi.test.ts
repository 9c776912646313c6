import { ResponseError } from '@backstage/errors';
import { KubernetesStatusClient } from './KubernetesStatusApi';

const BASE = 'http://localhost:7007/api/kubernetes-status';

function setup(respond: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => respond());
  const getBaseUrl = jest.fn(async (_pluginId: string) => BASE);
  const client = new KubernetesStatusClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch, getBaseUrl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

const entity = { kind: 'Component', namespace: 'default', name: 'orders api' };

describe('KubernetesStatusClient', () => {
  it("reads status, diagnostics and clusters from the plugin's base URL, path segments encoded", async () => {
    const { client, fetch, getBaseUrl } = setup(() => json({ ok: true }));
    await expect(client.getEntityStatus(entity)).resolves.toEqual({
      ok: true,
    });
    await client.getEntityDiagnostics(entity);
    await client.getClusters();
    expect(getBaseUrl).toHaveBeenCalledWith('kubernetes-status');
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${BASE}/entities/Component/default/orders%20api/status`,
      `${BASE}/entities/Component/default/orders%20api/diagnostics`,
      `${BASE}/clusters`,
    ]);
  });

  it('asks for logs with the pod, container, instance and line count as query parameters', async () => {
    const { client, fetch } = setup(() => json({ lines: [] }));
    await client.getPodLogs(entity, {
      cluster: 'prod eu',
      namespace: 'commerce',
      pod: 'orders-abc',
      container: 'app',
      previous: true,
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe(
      '/api/kubernetes-status/entities/Component/default/orders%20api/logs',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cluster: 'prod eu',
      podNamespace: 'commerce',
      pod: 'orders-abc',
      container: 'app',
      previous: 'true',
      tailLines: '200',
    });
  });

  it('throws a ResponseError for a non-2xx answer', async () => {
    const { client } = setup(() =>
      json(
        {
          error: { name: 'NotAllowedError', message: 'logs.read denied' },
          request: { method: 'GET', url: '/x' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await client
      .getPodLogs(entity, {
        cluster: 'c',
        namespace: 'n',
        pod: 'p',
        container: 'app',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('logs.read denied');
  });
});
