import { KubeConfig } from '@kubernetes/client-node';
import { request as httpsRequest } from 'node:https';
import {
  KubernetesSimulator,
  type KubernetesSimulatorOptions,
} from '../KubernetesSimulator';

/** Token the test simulators expect. */
export const TOKEN = 'test-token';

/** What a client needs to reach a started simulator: its URL and CA. */
export interface SimulatorEndpoint {
  url: string;
  caData: string;
  caPem: string;
}

/**
 * A KubeConfig for a started simulator, the way a consumer configures
 * client-node: its https URL and CA (verification on); `null` for no token.
 */
export function kubeConfigFor(
  sim: Pick<SimulatorEndpoint, 'url' | 'caData'>,
  token: string | null = TOKEN,
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: sim.url, caData: sim.caData }],
    users: [{ name: 'reader', ...(token ? { token } : {}) }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'reader' }],
    currentContext: 'sim',
  });
  return kc;
}

/** Starts a simulator on a free port; remember to stop it. */
export async function startSimulator(
  options: KubernetesSimulatorOptions = {},
): Promise<KubernetesSimulator> {
  const sim = new KubernetesSimulator({ token: TOKEN, ...options });
  await sim.start({ port: 0, host: '127.0.0.1' });
  return sim;
}

/** For `.then(resolvedInstead, apiError)`: a request expected to fail succeeded. */
export function resolvedInstead(value: unknown): never {
  throw new Error(
    `Expected the request to fail, it returned ${JSON.stringify(value)?.slice(
      0,
      200,
    )}`,
  );
}

/** The HTTP status and parsed body of a client-node ApiException. */
export function apiError(error: unknown): { code: number; body: any } {
  const e = error as { code?: number; body?: unknown };
  let body = e.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // plain text body
    }
  }
  return { code: e.code ?? -1, body };
}

/** The answer of {@link simFetch}: status, headers and the whole body. */
export interface SimResponse {
  status: number;
  headers: { get(name: string): string | undefined };
  text(): Promise<string>;
  json(): Promise<any>;
}

/**
 * A fetch-like request to a simulator over verified TLS (its CA), for tests
 * that look at raw answers: headers, status codes, streamed lines. Reads the
 * whole body.
 */
export function simFetch(
  sim: Pick<SimulatorEndpoint, 'url' | 'caPem'>,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<SimResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, sim.url),
      {
        method: init.method ?? 'GET',
        // Node sends a DELETE body only with a length.
        headers: {
          ...init.headers,
          ...(init.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(init.body)) }
            : {}),
        },
        ca: sim.caPem,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get: name => {
                const v = res.headers[name.toLowerCase()];
                return Array.isArray(v) ? v.join(', ') : v;
              },
            },
            text: async () => text,
            json: async () => JSON.parse(text),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
