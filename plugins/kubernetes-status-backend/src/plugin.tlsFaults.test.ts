import {
  startTestTlsServer,
  type TestTlsServer,
} from './__testUtils__/tlsServer';
import { closedPort } from './__testUtils__/closedPort';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  KubernetesSimulator,
  createCertificateAuthority,
  pemToData,
  workloadObjects,
} from '@paved/kubernetes-simulator';
import { kubernetesStatusPlugin } from './plugin';
import { kubernetesObjectCacheServiceFactory } from './cache/serviceFactory';
import { ordersComponent as orders } from './__testUtils__/entities';
import { waitFor, scaledMs } from '@paved/test-timing';
import { classifyError } from './cache/errors';

// Bad input and faults, each against a real TLS server: a wrong CA, a
// rejected token, a server answering HTML, a closed port. Each cluster is
// flagged with a message naming the cause; the healthy one keeps serving.

const TOKEN = 'test-token';

jest.setTimeout(scaledMs(120_000));

describe('kubernetes-status backend: TLS, credentials and servers that are not the API', () => {
  const healthy = new KubernetesSimulator({ name: 'healthy', token: TOKEN });
  const wrongCa = new KubernetesSimulator({ name: 'wrong-ca', token: TOKEN });
  const badToken = new KubernetesSimulator({ name: 'bad-token', token: TOKEN });
  let loginPage: TestTlsServer | undefined;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    await Promise.all(
      [healthy, wrongCa, badToken].map(s =>
        s.start({ port: 0, host: '127.0.0.1' }),
      ),
    );
    for (const sim of [healthy, wrongCa, badToken]) {
      sim.apply(
        workloadObjects({
          name: 'orders',
          namespace: 'commerce',
          replicas: 2,
          image: 'reg/orders:1',
        }),
      );
    }
    // A proxy's sign-in page: valid TLS (its CA is configured), 200 text/html.
    loginPage = await startTestTlsServer('login-proxy-ca', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><html><body><form action="/login">Sign in</form></body></html>',
      );
    });
    // Another CA than the one wrong-ca's certificate is signed by.
    const otherCa = await createCertificateAuthority('not-the-cluster-ca');
    const closed = await closedPort();

    backend = await startTestBackend({
      features: [
        kubernetesStatusPlugin,
        kubernetesObjectCacheServiceFactory,
        catalogServiceMock.factory({ entities: [orders] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetesStatus: {
              requestTimeoutMs: 5000,
              maxBackoffMs: 1000,
              catalogClusters: { enabled: false },
              clusters: [
                {
                  name: 'healthy',
                  url: healthy.url,
                  caData: healthy.caData,
                  serviceAccountToken: TOKEN,
                },
                {
                  name: 'wrong-ca',
                  url: wrongCa.url,
                  caData: pemToData(otherCa.certPem),
                  serviceAccountToken: TOKEN,
                },
                {
                  name: 'bad-token',
                  url: badToken.url,
                  caData: badToken.caData,
                  serviceAccountToken: 'expired-or-wrong',
                },
                {
                  name: 'login-page',
                  url: loginPage.url,
                  caData: loginPage.caData,
                  serviceAccountToken: TOKEN,
                },
                {
                  name: 'closed-port',
                  url: `https://127.0.0.1:${closed}`,
                  caData: healthy.caData,
                  serviceAccountToken: TOKEN,
                },
              ],
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([healthy, wrongCa, badToken].map(s => s.stop()));
    await loginPage?.stop();
  });

  const clusters = async () => {
    const res = await request(backend.server).get(
      '/api/kubernetes-status/clusters',
    );
    expect(res.status).toBe(200);
    return new Map<string, any>(
      res.body.clusters.map((c: any) => [c.cluster.name, c]),
    );
  };

  /** The cluster's errors once it is flagged with one error for the whole cluster. */
  const flagged = (name: string) =>
    waitFor('the cluster flagged', async () => {
      const c = (await clusters()).get(name);
      return c?.errors.length === 1 && !c.errors[0].resource && !c.reachable
        ? c.errors[0]
        : undefined;
    });

  it('serves the healthy cluster, verified with its caData', async () => {
    const body = await waitFor('the healthy cluster', async () => {
      const res = await request(backend.server).get(
        '/api/kubernetes-status/entities/component/default/orders/status',
      );
      const c = res.body.clusters?.find(
        (x: any) => x.cluster.name === 'healthy',
      );
      return c?.pods.length === 2 ? res.body : undefined;
    });
    expect(
      body.clusters.find((c: any) => c.cluster.name === 'healthy').errors,
    ).toEqual([]);
    const healthyState = (await clusters()).get('healthy');
    expect(healthyState).toMatchObject({ reachable: true, errors: [] });
  });

  it('flags a wrong CA: certificate signed by unknown authority', async () => {
    const error = await flagged('wrong-ca');
    expect(error.type).toBe('unreachable');
    expect(error.message).toMatch(
      /^certificate signed by unknown authority: the API server's certificate does not verify with the cluster's CA \(caData\)/,
    );
    expect(error.message).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/,
    );
  });

  it('flags an expired or wrong token: 401 Unauthorized, the token was rejected', async () => {
    const error = await flagged('bad-token');
    expect(error).toMatchObject({
      type: 'unauthorized',
      message: '401 Unauthorized: the token was rejected',
    });
  });

  it('flags a server answering HTML: not the Kubernetes API (a proxy login page?)', async () => {
    const error = await flagged('login-page');
    expect(error.type).toBe('unreachable');
    // With the HTTP status when the list reader kept it (it reads an HTML page as an error).
    expect(error.message).toMatch(
      /^answered HTML, not the Kubernetes API \(a proxy login page\?\)(: HTTP 200)?$/,
    );
  });

  it('flags a closed port: connection refused', async () => {
    const error = await flagged('closed-port');
    expect(error.type).toBe('unreachable');
    expect(error.message).toMatch(
      /^connection refused: nothing listens at the url \(ECONNREFUSED: /,
    );
  });

  it('keeps serving the healthy cluster, and answers, while the others fail', async () => {
    const all = await clusters();
    expect([...all.keys()].sort()).toEqual([
      'bad-token',
      'closed-port',
      'healthy',
      'login-page',
      'wrong-ca',
    ]);
    expect(all.get('healthy')).toMatchObject({ reachable: true, errors: [] });
    // Changes still arrive from the healthy cluster.
    healthy.apply(
      workloadObjects({
        name: 'orders',
        namespace: 'commerce',
        replicas: 3,
        image: 'reg/orders:1',
      }),
    );
    await waitFor('new pods of the healthy cluster', async () => {
      const res = await request(backend.server).get(
        '/api/kubernetes-status/entities/component/default/orders/status',
      );
      const c = res.body.clusters?.find(
        (x: any) => x.cluster.name === 'healthy',
      );
      // New pods beside the two there were (the generator names them anew).
      return c?.pods.length > 2 ? true : undefined;
    });
    const res = await request(backend.server).get(
      '/api/kubernetes-status/entities/component/default/orders/status',
    );
    expect(res.status).toBe(200);
    const byName = new Map<string, any>(
      res.body.clusters.map((c: any) => [c.cluster.name, c]),
    );
    for (const name of ['wrong-ca', 'bad-token', 'login-page', 'closed-port']) {
      expect(byName.get(name)?.pods ?? []).toEqual([]);
    }
  });
});

describe('classifyError: the cause, named', () => {
  const nodeError = (code: string, message: string) =>
    Object.assign(new Error(message), { code });

  it('names TLS failures as kubectl does', () => {
    expect(
      classifyError(
        nodeError(
          'SELF_SIGNED_CERT_IN_CHAIN',
          'self-signed certificate in certificate chain',
        ),
      ),
    ).toEqual({
      type: 'unreachable',
      message:
        "certificate signed by unknown authority: the API server's certificate does not verify with the cluster's CA (caData) (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain)",
    });
    expect(
      classifyError(nodeError('CERT_HAS_EXPIRED', 'certificate has expired'))
        .message,
    ).toMatch(/^certificate has expired: /);
    expect(
      classifyError(
        nodeError(
          'ERR_TLS_CERT_ALTNAME_INVALID',
          "Hostname/IP does not match certificate's altnames",
        ),
      ).message,
    ).toMatch(/^certificate is not valid for the cluster's host name/);
  });

  it('calls an HTML error page what it is, whatever its status', () => {
    const page = {
      statusCode: 401,
      body: '<html><body>Please sign in</body></html>',
    };
    expect(classifyError(page)).toEqual({
      type: 'unreachable',
      status: 401,
      message:
        'answered HTML, not the Kubernetes API (a proxy login page?): HTTP 401',
    });
    // A Kubernetes 401 (a Status body) is the token's fault.
    expect(
      classifyError({
        statusCode: 401,
        body: '{"kind":"Status","message":"Unauthorized","code":401}',
      }),
    ).toMatchObject({
      type: 'unauthorized',
      message: '401 Unauthorized: the token was rejected',
    });
  });
});
