import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  VersionApi,
} from '@kubernetes/client-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterError,
  PodLogsRequest,
} from '@paved/plugin-kubernetes-status-common';
import {
  CachedKubernetesObject,
  ClusterCacheState,
  GatekeeperConstraintList,
  KubernetesClusterDetails,
  StampedKubernetesObject,
  WATCHED_RESOURCES,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';
import { ResourceWatch, WatchTuning } from './ResourceWatch';
import { kubeConfigFor } from './kubeConfig';
import { classifyError } from './errors';
import { withRequestDeadline } from './requestDeadline';
import { StringPool } from './compactObjects';

const VERSION_REFRESH_MS = 5 * 60_000;
const GATEKEEPER_CONSTRAINTS = {
  group: 'constraints.gatekeeper.sh',
  version: 'v1beta1',
};

/** All watches of one cluster, its version, and its state. */
export class ClusterCache {
  readonly details: KubernetesClusterDetails;
  private readonly kubeConfig: KubeConfig;
  private readonly watches: ResourceWatch[];
  private readonly tuning: WatchTuning;
  private readonly logger: LoggerService;
  private version?: string;
  private versionError?: ClusterError;
  private versionTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly changeCounts = new Map<WatchedResourceKey, number>();

  constructor(options: {
    details: KubernetesClusterDetails;
    tuning: WatchTuning;
    logger: LoggerService;
    /** Strings shared by the cached objects of every cluster. */
    pool?: StringPool;
    onChange(
      resource: WatchedResourceKey,
      type: 'added' | 'updated' | 'deleted',
      object: StampedKubernetesObject,
    ): void;
  }) {
    this.details = options.details;
    this.tuning = options.tuning;
    this.logger = options.logger;
    this.kubeConfig = kubeConfigFor(options.details);
    const namespaces = options.details.namespaces?.length
      ? options.details.namespaces
      : [undefined];
    this.watches = Object.values(WATCHED_RESOURCES).flatMap(resource =>
      (resource.namespaced ? namespaces : [undefined]).map(
        namespace =>
          new ResourceWatch({
            cluster: options.details.name,
            kubeConfig: this.kubeConfig,
            resource,
            namespace,
            // Only the types an entity selects by label carry workload labels (not events, nodes).
            labelSelector:
              resource.entityScope === 'labels' ||
              resource.entityScope === 'labels-in-namespaces'
                ? options.details.labelSelector
                : undefined,
            tuning: options.tuning,
            logger: options.logger,
            pool: options.pool,
            onChange: (type, object) => {
              this.changeCounts.set(
                resource.key,
                (this.changeCounts.get(resource.key) ?? 0) + 1,
              );
              options.onChange(resource.key, type, object);
            },
          }),
      ),
    );
  }

  start() {
    for (const watch of this.watches) watch.start();
    void this.refreshVersion();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.versionTimer);
    await Promise.all(this.watches.map(w => w.stop()));
  }

  objects(resource: WatchedResourceKey): StampedKubernetesObject[] {
    return this.watches
      .filter(w => w.resource.key === resource)
      .flatMap(w => w.objects());
  }

  /** Grows on every change of a type; lets readers memoize filtered views. */
  changeCount(resource: WatchedResourceKey): number {
    return this.changeCounts.get(resource) ?? 0;
  }

  /** Number of list requests sent so far (for the benchmark and tests). */
  listRequestCount(): number {
    return this.watches.reduce((sum, w) => sum + w.state.listRequests, 0);
  }

  state(): ClusterCacheState {
    const states = this.watches.map(w => ({ key: w.resource.key, ...w.state }));
    const present = states.filter(s => !s.absent);
    const typeErrors = present.flatMap(s => (s.error ? [s.error] : []));
    // When every type fails the same way the cluster is down: one error for it.
    const wholeCluster =
      present.length > 0 &&
      present.every(s => s.error) &&
      new Set(typeErrors.map(e => e.type)).size === 1 &&
      ['unreachable', 'unauthorized', 'timeout'].includes(typeErrors[0].type);
    const errors: ClusterError[] = wholeCluster
      ? [
          {
            type: typeErrors[0].type,
            message: typeErrors[0].message,
            since: typeErrors.map(e => e.since).sort()[0],
          },
        ]
      : dedupe(typeErrors);
    const syncTimes = present.map(s => s.lastSyncAt?.getTime());
    const lastSyncAt = syncTimes.every(t => t !== undefined)
      ? new Date(Math.min(...(syncTimes as number[]))).toISOString()
      : undefined;
    // A type the cluster forbids is reported as an error, not as stale data.
    const unsynced = present.filter(
      s => !s.synced && s.error?.type !== 'forbidden',
    );
    const staleSince = unsynced.length
      ? unsynced
          .map(s => s.error?.since)
          .filter((x): x is string => !!x)
          .sort()[0]
      : undefined;
    return {
      cluster: {
        name: this.details.name,
        title: this.details.title,
        simulated: !!this.details.simulated,
      },
      freshness: { lastSyncAt, stale: unsynced.length > 0, staleSince },
      errors,
      syncedTypes: [...new Set(present.filter(s => s.synced).map(s => s.key))],
      absentTypes: [...new Set(states.filter(s => s.absent).map(s => s.key))],
      version: this.version,
    };
  }

  get versionStatus() {
    return { version: this.version, error: this.versionError };
  }

  async listGatekeeperConstraints(): Promise<GatekeeperConstraintList> {
    const api = this.kubeConfig.makeApiClient(CustomObjectsApi);
    const { requestTimeoutMs } = this.tuning;
    let kinds: Array<{ plural: string; kind: string }>;
    try {
      const resources = await withRequestDeadline(
        requestTimeoutMs,
        'discover Gatekeeper constraint kinds',
        options => api.getAPIResources(GATEKEEPER_CONSTRAINTS, options),
      );
      // Subresources (`<plural>/status`) are not kinds of their own.
      kinds = resources.resources
        .filter(r => !r.name.includes('/'))
        .map(r => ({ plural: r.name, kind: r.kind }));
    } catch (error) {
      if (classifyError(error).status === 404)
        return { installed: false, constraints: [] };
      throw error;
    }
    const lists = await Promise.all(
      kinds.map(k =>
        withRequestDeadline(requestTimeoutMs, `list ${k.plural}`, options =>
          api.listClusterCustomObject(
            { ...GATEKEEPER_CONSTRAINTS, plural: k.plural },
            options,
          ),
        ),
      ),
    );
    const apiVersion = `${GATEKEEPER_CONSTRAINTS.group}/${GATEKEEPER_CONSTRAINTS.version}`;
    return {
      installed: true,
      constraints: lists.flatMap((list, i) =>
        ((list as { items?: CachedKubernetesObject[] }).items ?? []).map(o => ({
          ...o,
          apiVersion,
          kind: kinds[i].kind,
        })),
      ),
    };
  }

  async readPodLogs(options: Omit<PodLogsRequest, 'cluster'>): Promise<string> {
    const core = this.kubeConfig.makeApiClient(CoreV1Api);
    return withRequestDeadline(
      this.tuning.requestTimeoutMs,
      'read pod logs',
      requestOptions =>
        core.readNamespacedPodLog(
          {
            name: options.pod,
            namespace: options.namespace,
            container: options.container,
            previous: options.previous,
            tailLines: options.tailLines,
          },
          requestOptions,
        ),
    );
  }

  private async refreshVersion() {
    // A failed version call is retried after the watch back-off, not after
    // the slow refresh period, so one timeout at start-up does not hide the
    // version for minutes.
    let nextMs = VERSION_REFRESH_MS;
    try {
      const info = await withRequestDeadline(
        this.tuning.requestTimeoutMs,
        'get version',
        options =>
          this.kubeConfig.makeApiClient(VersionApi).getCode({}, options),
      );
      this.version = info.gitVersion;
      this.versionError = undefined;
    } catch (err) {
      const c = classifyError(err);
      this.versionError = {
        type: c.type,
        message: c.message,
        since: new Date().toISOString(),
      };
      this.logger.debug(
        `Version of ${this.details.name} unavailable: ${c.message}`,
      );
      nextMs = Math.min(this.tuning.maxBackoffMs, VERSION_REFRESH_MS);
    }
    if (this.stopped) return;
    this.versionTimer = setTimeout(() => void this.refreshVersion(), nextMs);
    this.versionTimer.unref();
  }
}

function dedupe(errors: ClusterError[]): ClusterError[] {
  const seen = new Map<string, ClusterError>();
  for (const e of errors) seen.set(`${e.type}:${e.resource}`, e);
  return [...seen.values()];
}
