import { createServer, type Server } from 'node:https';
import { type RequestListener } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  createCertificateAuthority,
  createServingCertificate,
  pemToData,
} from '@paved/kubernetes-simulator';

/** An HTTPS server on 127.0.0.1 whose certificate a CA of its own signs. */
export interface TestTlsServer {
  server: Server;
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The CA certificate as a kubeconfig's `certificate-authority-data`. */
  caData: string;
  /** Closes the server, cutting open connections. */
  stop(): Promise<void>;
}

/** Starts an HTTPS server answering with `handler`, on a port of the OS's choosing. */
export async function startTestTlsServer(
  caName: string,
  handler: RequestListener,
): Promise<TestTlsServer> {
  const ca = await createCertificateAuthority(caName);
  const serving = await createServingCertificate(ca, { hosts: ['127.0.0.1'] });
  const server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    handler,
  );
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    server,
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caData: pemToData(ca.certPem),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
