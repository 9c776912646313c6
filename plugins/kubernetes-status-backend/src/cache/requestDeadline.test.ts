import { createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import {
  createCertificateAuthority,
  createServingCertificate,
  pemToData,
} from '@paved/kubernetes-simulator';
import { waitFor } from '@paved/test-timing';
import { ClusterTimeoutError } from './errors';
import { withRequestDeadline } from './requestDeadline';

// A real HTTPS server that answers or never does, and a real client-node call.
describe('withRequestDeadline', () => {
  let server: Server;
  let kubeConfig: KubeConfig;
  let answer = true;
  const authorizations: Array<string | undefined> = [];
  // Requests never answered whose connection the client closed.
  let unansweredClosed = 0;

  beforeAll(async () => {
    const ca = await createCertificateAuthority('paved-test-ca');
    const serving = await createServingCertificate(ca, {
      hosts: ['127.0.0.1'],
    });
    server = createServer(
      { cert: serving.certPem, key: serving.keyPem },
      (req, res) => {
        authorizations.push(req.headers.authorization);
        res.on('close', () => {
          if (!res.writableEnded) unansweredClosed += 1;
        });
        if (!answer) return;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ gitVersion: 'v1.37.2' }));
      },
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'c',
          server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
          caData: pemToData(ca.certPem),
        },
      ],
      users: [{ name: 'u', token: 'secret-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  const getVersion = (ms: number) =>
    withRequestDeadline(ms, 'get version', options =>
      kubeConfig.makeApiClient(VersionApi).getCode({}, options),
    );

  it('answers within the budget, with the kubeconfig credentials still sent', async () => {
    answer = true;
    await expect(getVersion(30_000)).resolves.toMatchObject({
      gitVersion: 'v1.37.2',
    });
    expect(authorizations.at(-1)).toBe('Bearer secret-token');
  });

  it('rejects with a timeout naming the call, and closes the request itself', async () => {
    answer = false;
    const error = await getVersion(200).catch(e => e);
    expect(error).toBeInstanceOf(ClusterTimeoutError);
    expect(error.message).toBe('get version timed out after 200 ms');
    // The server sees the client go away: the socket is not left open.
    await waitFor('the unanswered request to be closed by the client', () =>
      unansweredClosed === 1 ? true : undefined,
    );
  });
});
