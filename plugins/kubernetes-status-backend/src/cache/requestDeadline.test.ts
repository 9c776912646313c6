import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { waitFor } from '@paved/test-timing';
import {
  startTestTlsServer,
  type TestTlsServer,
} from '../__testUtils__/tlsServer';
import { ClusterTimeoutError } from './errors';
import { withRequestDeadline } from './requestDeadline';

// A real HTTPS server that answers or never does, and a real client-node call.
describe('withRequestDeadline', () => {
  let server: TestTlsServer;
  let kubeConfig: KubeConfig;
  let answer = true;
  const authorizations: Array<string | undefined> = [];
  // Requests never answered whose connection the client closed.
  let unansweredClosed = 0;

  beforeAll(async () => {
    server = await startTestTlsServer('paved-test-ca', (req, res) => {
      authorizations.push(req.headers.authorization);
      res.on('close', () => {
        if (!res.writableEnded) unansweredClosed += 1;
      });
      if (!answer) return;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ gitVersion: 'v1.37.2' }));
    });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'c',
          server: server.url,
          caData: server.caData,
        },
      ],
      users: [{ name: 'u', token: 'secret-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
  });
  afterAll(() => server.stop());

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
