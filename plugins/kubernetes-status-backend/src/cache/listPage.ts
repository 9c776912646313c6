import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';

/** One page of a Kubernetes list, as the API server sent it (untyped JSON). */
export interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: Array<Record<string, any>>;
}

/** A non-2xx answer, shaped like client-node's errors for `classifyError`. */
export class KubernetesHttpError extends Error {
  readonly statusCode: number;
  readonly body: string;
  constructor(statusCode: number, body: string, what: string) {
    super(`${what}: HTTP ${statusCode}`);
    this.name = 'KubernetesHttpError';
    this.statusCode = statusCode;
    this.body = body;
  }
}

/**
 * GETs one list page and parses it as plain JSON. client-node's
 * `KubernetesObjectApi.list` does a discovery call first and turns every
 * object into its typed model classes (and timestamps into Dates), which
 * costs more time and memory than the caches keep; they keep a compact copy
 * of each item (compactObjects.ts), so plain JSON is all they need. TLS,
 * client certificates, proxies and tokens come from the KubeConfig, as for
 * client-node's own calls.
 */
export async function listPage(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string | number | undefined>,
  options: { signal?: AbortSignal; what: string },
): Promise<ListPage> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('No current cluster in the kubeconfig');
  const url = new URL(cluster.server + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  const requestOptions: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(requestOptions);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<ListPage>((resolve, reject) => {
    const req = transport.request(
      url,
      {
        ...requestOptions,
        method: 'GET',
        signal: options.signal,
        headers: {
          ...(requestOptions.headers as Record<string, string>),
          Accept: 'application/json',
          // As client-node asks: large lists from a remote API server are
          // far smaller compressed.
          'Accept-Encoding': 'gzip',
        },
      },
      res => {
        const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        const chunks: Buffer[] = [];
        body.on('data', (chunk: Buffer) => chunks.push(chunk));
        body.on('error', reject);
        body.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          chunks.length = 0;
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(new KubernetesHttpError(status, text, options.what));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(new Error(`${options.what}: the answer is not JSON (${(err as Error).message})`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
