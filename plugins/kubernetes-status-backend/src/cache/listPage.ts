import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterTimeoutError } from './errors';
import { ListItemSplitter } from './listItemSplitter';

/** The list metadata: what the next page needs. */
export interface ListMetadata {
  resourceVersion?: string;
  continue?: string;
}

/** One page of a Kubernetes list, as the API server sent it (untyped JSON). */
export interface ListPage {
  metadata?: ListMetadata;
  items?: Array<Record<string, any>>;
}

/** A page being received. */
export interface PendingListPage {
  /**
   * The list metadata as soon as it has arrived: kube-apiserver (and the
   * simulator) write `metadata` before `items`, so the continue token is
   * known long before the page is complete and the next page can be asked
   * for while this one is still being received and parsed. Resolves with the
   * page's metadata when it came after the items, with undefined when the
   * page failed or timed out first.
   */
  metadata: Promise<ListMetadata | undefined>;
  page: Promise<ListPage>;
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
 * GETs one list page as plain JSON, handing each item to `onItem` as soon as
 * it has arrived (ListItemSplitter). client-node's `KubernetesObjectApi.list`
 * does a discovery call first and turns every object into its typed model
 * classes (and timestamps into Dates), which costs more time and memory than
 * the caches keep; they keep a compact copy of each item
 * (compactObjects.ts), so plain JSON is all they need. TLS, client
 * certificates, proxies and tokens come from the KubeConfig, as for
 * client-node's own calls. The page answered has the list's kind and
 * metadata and no items.
 */
export function listPage(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string | number | undefined>,
  options: {
    signal?: AbortSignal;
    what: string;
    /** The whole page's time budget; past it the request is destroyed. */
    timeoutMs: number;
    onItem(item: Record<string, any>): void;
  },
): PendingListPage {
  let resolveMetadata!: (metadata: ListMetadata | undefined) => void;
  const metadata = new Promise<ListMetadata | undefined>(resolve => {
    resolveMetadata = resolve;
  });
  const page = requestPage(kubeConfig, path, query, options, resolveMetadata);
  page.then(
    p => resolveMetadata(p.metadata),
    () => resolveMetadata(undefined),
  );
  return { metadata, page };
}

async function requestPage(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string | number | undefined>,
  options: {
    signal?: AbortSignal;
    what: string;
    /** The whole page's time budget; past it the request is destroyed. */
    timeoutMs: number;
    onItem(item: Record<string, any>): void;
  },
  onMetadata: (metadata: ListMetadata) => void,
): Promise<ListPage> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('No current cluster in the kubeconfig');
  const url = new URL(cluster.server + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '')
      url.searchParams.set(key, String(value));
  }
  const requestOptions: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(requestOptions);
  const transport = url.protocol === 'https:' ? https : http;
  // The request itself is aborted when its time is up, so a late page
  // neither keeps the socket nor delivers items.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline])
    : deadline;
  return new Promise<ListPage>((resolve, rejectPage) => {
    const reject = (err: unknown) =>
      rejectPage(
        deadline.aborted
          ? new ClusterTimeoutError(
              `${options.what} timed out after ${options.timeoutMs} ms`,
            )
          : err,
      );
    const req = transport.request(
      url,
      {
        ...requestOptions,
        method: 'GET',
        signal,
        headers: {
          ...(requestOptions.headers as Record<string, string>),
          Accept: 'application/json',
          // As client-node asks: large lists from a remote API server are
          // far smaller compressed.
          'Accept-Encoding': 'gzip',
        },
      },
      res => {
        const status = res.statusCode ?? 0;
        // An HTML page (a proxy's sign-in page) is read whole, as an error:
        // classifyError says "answered HTML, not the Kubernetes API".
        const html = /^text\/html/i.test(
          String(res.headers['content-type'] ?? ''),
        );
        const ok = status >= 200 && status <= 299 && !html;
        const body =
          res.headers['content-encoding'] === 'gzip'
            ? res.pipe(createGunzip())
            : res;
        const fail = (err: unknown) => {
          req.destroy();
          reject(err);
        };
        // Error answers are small: read whole. Pages are split as they arrive.
        const chunks: Buffer[] = [];
        const splitter = ok
          ? new ListItemSplitter(
              text => options.onItem(JSON.parse(text)),
              head => {
                const early = parseJson(`${head}]}`);
                if (early?.metadata) onMetadata(early.metadata);
              },
            )
          : undefined;
        body.on('data', (chunk: Buffer) => {
          if (!splitter) {
            chunks.push(chunk);
            return;
          }
          try {
            splitter.write(chunk);
          } catch (err) {
            fail(
              new Error(
                `${options.what}: an item is not JSON (${
                  (err as Error).message
                })`,
              ),
            );
          }
        });
        res.on('error', reject);
        if (body !== res) body.on('error', fail);
        body.on('end', () => {
          if (!splitter) {
            reject(
              new KubernetesHttpError(
                status,
                Buffer.concat(chunks).toString('utf8'),
                options.what,
              ),
            );
            return;
          }
          const shell = parseJson(splitter.end());
          if (!shell)
            reject(new Error(`${options.what}: the answer is not a JSON list`));
          else resolve(shell);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
