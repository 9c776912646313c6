import { KubeConfig } from '@kubernetes/client-node';
import {
  KubernetesSimulator,
  type KubernetesSimulatorOptions,
} from '../KubernetesSimulator';

/** Token the test simulators expect. */
export const TOKEN = 'test-token';

/** A KubeConfig pointing at `url`, the way a consumer of the simulator configures client-node; `null` for no token. */
export function kubeConfigFor(url: string, token: string | null = TOKEN) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
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

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
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
