import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP forwarder on loopback that a test can take down and bring back up. */
export interface TcpProxy {
  /** `<scheme>://127.0.0.1:<port>`: the target URL with the proxy's port (TLS passes through). */
  url: string;
  port: number;
  /** Whether the proxy is down (its port refuses connections). */
  readonly down: boolean;
  /** Connections accepted so far. */
  readonly connections: number;
  /**
   * `true`: closes the listening socket and cuts every open connection
   * (clients see ECONNRESET, new ones ECONNREFUSED), as when a cluster
   * becomes unreachable; `false`: listens again on the same port.
   */
  setDown(down: boolean): Promise<void>;
  /** Closes the proxy for good. */
  stop(): Promise<void>;
}

/**
 * Starts a loopback TCP proxy to `target` (a URL such as a control plane's
 * `https://127.0.0.1:<port>`). Bytes are forwarded unchanged, so TLS stays
 * end to end: a client verifies kube-apiserver's certificate (its SANs
 * include 127.0.0.1) with the control plane's CA as it would directly. Use
 * it to make a real API server unreachable for one client (the code under
 * test) while the test keeps talking to it directly.
 */
export async function startTcpProxy(
  target: string,
  options: { port?: number } = {},
): Promise<TcpProxy> {
  const targetUrl = new URL(target);
  const targetPort = Number(
    targetUrl.port || (targetUrl.protocol === 'https:' ? 443 : 80),
  );
  const targetHost = targetUrl.hostname.replace(/^\[|\]$/g, '');
  const sockets = new Set<Socket>();
  let connections = 0;
  let down = false;
  let port = options.port ?? 0;

  const server = createServer(client => {
    connections++;
    const upstream = createConnection({ host: targetHost, port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', close);
    upstream.on('error', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        port = typeof address === 'object' && address ? address.port : port;
        resolve();
      });
    });
  const close = async () => {
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const socket of sockets) {
      socket.destroy();
    }
    await closed;
  };

  await listen();
  const url = `${targetUrl.protocol}//127.0.0.1:${port}`;
  let stopped = false;
  return {
    url,
    port,
    get down() {
      return down;
    },
    get connections() {
      return connections;
    },
    async setDown(value: boolean) {
      if (stopped || value === down) {
        return;
      }
      down = value;
      if (value) {
        await close();
      } else {
        await listen();
      }
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      if (!down) {
        await close();
      }
    },
  };
}
