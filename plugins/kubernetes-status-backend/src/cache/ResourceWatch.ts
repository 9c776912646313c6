import {
  ADD,
  DELETE,
  ERROR,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  UPDATE,
  Watch,
} from '@kubernetes/client-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterError } from '@paved/plugin-kubernetes-status-common';
import {
  StampedKubernetesObject,
  WatchedResource,
} from '@paved/plugin-kubernetes-status-node';
import { ClusterTimeoutError, classifyError } from './errors';
import { StringPool, compactObject } from './compactObjects';
import { listPage } from './listPage';

/** Tuning of list/watch; defaults in config.d.ts. */
export interface WatchTuning {
  requestTimeoutMs: number;
  pageSize: number;
  /** The server closes each watch after this long; the informer resumes from its resourceVersion. */
  watchTimeoutSeconds: number;
  /** No event or bookmark for this long means a dead connection: restart. */
  idleTimeoutMs: number;
  maxBackoffMs: number;
}

export interface ResourceWatchOptions {
  cluster: string;
  kubeConfig: KubeConfig;
  resource: WatchedResource;
  namespace?: string;
  labelSelector?: string;
  tuning: WatchTuning;
  logger: LoggerService;
  /** Shared strings of the cached objects (one pool per process is best). */
  pool?: StringPool;
  onChange(
    type: 'added' | 'updated' | 'deleted',
    object: StampedKubernetesObject,
  ): void;
}

/** REST path of a type, cluster-wide or in one namespace. */
export function resourcePath(
  resource: WatchedResource,
  namespace?: string,
): string {
  const base = resource.group
    ? `/apis/${resource.group}/${resource.version}`
    : `/api/${resource.version}`;
  const ns =
    namespace && resource.namespaced
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${base}${ns}/${resource.plural}`;
}

const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

const ABSENT_RECHECK_MS = 5 * 60_000;

/**
 * One list-then-watch cache (client-node's ListWatch) for one object type in
 * one cluster (and namespace): paginated list with a timeout, watch with
 * bookmarks, relist on 410 Gone (ListWatch), back-off and retry on errors,
 * and a watchdog for silent connections.
 */
export class ResourceWatch {
  readonly resource: WatchedResource;
  readonly namespace?: string;
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly options: ResourceWatchOptions;
  private readonly pool: StringPool;
  private synced = false;
  private absent = false;
  private lastSyncAt?: Date;
  private lastActivity = 0;
  private error?: ClusterError;
  private attempt = 0;
  private stopped = true;
  private retryTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private listRequests = 0;

  constructor(options: ResourceWatchOptions) {
    this.options = options;
    this.resource = options.resource;
    this.namespace = options.namespace;
    this.pool = options.pool ?? new StringPool();
    const watch = new Watch(options.kubeConfig);
    const { tuning } = options;
    // ListWatch does not ask for bookmarks or a server-side timeout; add both
    // and note each sign of life for the watchdog.
    const bookmarkingWatch = {
      watch: async (
        path: string,
        params: Record<string, any>,
        callback: any,
        done: (err: any) => void,
      ) => {
        let finished = false;
        const controller = await watch.watch(
          path,
          {
            ...params,
            allowWatchBookmarks: true,
            timeoutSeconds: tuning.watchTimeoutSeconds,
          },
          (phase: string, obj: any, raw: any) => {
            this.markAlive();
            // The cache keeps only the compact, stamped copy; bookmarks and errors pass as they are.
            callback(
              phase,
              OBJECT_EVENTS.has(phase) && obj ? this.compact(obj) : obj,
              raw,
            );
          },
          (err: any) => {
            finished = true;
            done(err);
          },
        );
        if (!finished) this.markSynced();
        return controller;
      },
    } as unknown as Watch;
    this.informer = new ListWatch<KubernetesObject>(
      resourcePath(options.resource, options.namespace),
      bookmarkingWatch,
      () => this.listAll(),
      false,
      options.labelSelector,
      options.resource.fieldSelector,
    );
    // Every object in the informer came through compact(): stamped.
    const cached = (obj: KubernetesObject) =>
      obj as unknown as StampedKubernetesObject;
    this.informer.on(ADD, obj => options.onChange('added', cached(obj)));
    this.informer.on(UPDATE, obj => options.onChange('updated', cached(obj)));
    this.informer.on(DELETE, obj => options.onChange('deleted', cached(obj)));
    this.informer.on(ERROR, err => this.handleError(err));
  }

  start() {
    this.stopped = false;
    this.launch();
    this.watchdog = setInterval(
      () => this.checkAlive(),
      Math.min(10_000, this.options.tuning.idleTimeoutMs / 3),
    );
    this.watchdog.unref();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    await this.informer.stop();
  }

  objects(): StampedKubernetesObject[] {
    return this.informer.list() as unknown as StampedKubernetesObject[];
  }

  get state() {
    return {
      synced: this.synced,
      absent: this.absent,
      lastSyncAt: this.lastSyncAt,
      error: this.error,
      listRequests: this.listRequests,
    };
  }

  private launch() {
    this.informer.start().catch(err => this.handleError(err));
  }

  /**
   * Where objects enter the cache (list items and watch events alike): the
   * compact copy, stamped with the type's `apiVersion` and `kind` (list
   * items from the API server carry neither).
   */
  private compact(obj: Record<string, any>): KubernetesObject {
    return compactObject(
      this.resource,
      obj,
      this.pool,
    ) as unknown as KubernetesObject;
  }

  private async listAll(): Promise<KubernetesListObject<KubernetesObject>> {
    const { resource, namespace, labelSelector, tuning } = this.options;
    const path = resourcePath(resource, namespace);
    const what = `list ${resource.plural}`;
    const aborts: AbortController[] = [];
    // Items are compacted as they arrive (the parsed JSON of one item is
    // garbage at once), each page into its own array so that a page asked
    // for early keeps the server's order. The next page is asked for as soon
    // as this one's continue token has arrived, so the server writes it while
    // this one is received and parsed.
    const request = (continueToken?: string) => {
      this.listRequests++;
      const abort = new AbortController();
      aborts.push(abort);
      const items: KubernetesObject[] = [];
      const pending = listPage(
        this.options.kubeConfig,
        path,
        {
          fieldSelector: resource.fieldSelector,
          labelSelector,
          limit: tuning.pageSize,
          continue: continueToken,
        },
        {
          signal: abort.signal,
          what,
          timeoutMs: tuning.requestTimeoutMs,
          onItem: item => items.push(this.compact(item)),
        },
      );
      // Awaited below unless an earlier page failed.
      pending.page.catch(() => {});
      return { ...pending, items };
    };
    const items: KubernetesObject[] = [];
    let resourceVersion: string | undefined;
    try {
      let current = request();
      for (;;) {
        const early = await current.metadata;
        const next = early?.continue ? request(early.continue) : undefined;
        const page = await current.page;
        for (const item of current.items) items.push(item);
        resourceVersion ??= page.metadata?.resourceVersion;
        const continueToken = page.metadata?.continue || undefined;
        if (!continueToken) break;
        current =
          next && early?.continue === continueToken
            ? next
            : request(continueToken);
      }
    } finally {
      for (const abort of aborts) abort.abort();
    }
    this.markSynced();
    return {
      apiVersion: 'v1',
      kind: 'List',
      items,
      metadata: { resourceVersion },
    } as any;
  }

  private markAlive() {
    this.lastActivity = Date.now();
    if (this.synced) this.lastSyncAt = new Date();
  }

  private markSynced() {
    this.synced = true;
    this.absent = false;
    this.error = undefined;
    this.attempt = 0;
    this.lastSyncAt = new Date();
    this.lastActivity = Date.now();
  }

  private checkAlive() {
    if (this.stopped || !this.synced) return;
    if (Date.now() - this.lastActivity > this.options.tuning.idleTimeoutMs) {
      this.handleError(
        new ClusterTimeoutError(
          `watch of ${this.resource.plural} was silent too long`,
        ),
      );
    }
  }

  private handleError(err: unknown) {
    // Aborts come only from our own restarts and stops.
    if (this.stopped || (err as any)?.name === 'AbortError') return;
    const classified = classifyError(err);
    const { resource } = this.options;
    if (
      resource.optional &&
      (classified.status === 404 ||
        /Unrecognized API version|not found|404/i.test(classified.message))
    ) {
      this.absent = true;
      this.synced = false;
      this.error = undefined;
      this.scheduleRestart(ABSENT_RECHECK_MS);
      return;
    }
    const firstFailure = this.synced || !this.error;
    this.synced = false;
    this.error = {
      type: classified.type,
      resource: resource.plural,
      message: classified.message,
      since: this.error?.since ?? new Date().toISOString(),
    };
    if (firstFailure) {
      this.options.logger.warn(
        `Kubernetes watch of ${resource.plural} in ${this.options.cluster} failed: ${classified.message}`,
      );
    }
    const backoff = Math.min(
      this.options.tuning.maxBackoffMs,
      1000 * 2 ** this.attempt,
    );
    this.attempt = Math.min(this.attempt + 1, 16);
    this.scheduleRestart(backoff * (0.5 + Math.random() / 2));
  }

  private scheduleRestart(delayMs: number) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(async () => {
      if (this.stopped) return;
      await this.informer.stop();
      this.launch();
    }, delayMs);
    this.retryTimer.unref();
  }
}
