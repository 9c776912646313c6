import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, toError } from '@backstage/errors';
import {
  ClusterRef,
  PodLogsRequest,
} from '@paved/plugin-kubernetes-status-common';
import { Entity } from '@backstage/catalog-model';
import {
  CachedObjectChange,
  EntityObjects,
  EntityObjectsOptions,
  KubernetesClusterSupplier,
  KubernetesObjectCacheService,
  StampedKubernetesObject,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';
import { ClusterCache } from './ClusterCache';
import { WatchTuning } from './ResourceWatch';
import { parseLabelSelector, requiredLabels } from './labelSelector';
import { StringPool } from './compactObjects';
import { EntityObjectQuery } from './entityObjects';

const MAX_MEMOIZED_VIEWS = 5000;

/** Tuning defaults (documented in config.d.ts and README). */
export function readWatchTuning(config: Config): WatchTuning {
  const c = config.getOptionalConfig('kubernetesStatus');
  return {
    requestTimeoutMs: c?.getOptionalNumber('requestTimeoutMs') ?? 10_000,
    pageSize: c?.getOptionalNumber('pageSize') ?? 500,
    watchTimeoutSeconds: c?.getOptionalNumber('watchTimeoutSeconds') ?? 300,
    idleTimeoutMs: c?.getOptionalNumber('idleTimeoutMs') ?? 150_000,
    maxBackoffMs: c?.getOptionalNumber('maxBackoffMs') ?? 30_000,
  };
}

/** The shared watch caches of every cluster. */
export class KubernetesObjectCache implements KubernetesObjectCacheService {
  private readonly caches = new Map<string, ClusterCache>();
  private readonly listeners = new Set<(change: CachedObjectChange) => void>();
  // Filtered views keyed by query, valid while the type has not changed: page
  // views of the same entity then cost a map lookup instead of a scan.
  private readonly views = new Map<
    string,
    { changeCount: number; objects: StampedKubernetesObject[] }
  >();
  // Per cluster and type, objects by `label=value`, rebuilt after changes.
  private readonly labelIndexes = new Map<
    string,
    { changeCount: number; byLabel: Map<string, StampedKubernetesObject[]> }
  >();
  private readonly entityObjects = new EntityObjectQuery(this);
  private readonly logger: LoggerService;
  private readonly tuning: WatchTuning;
  // Namespaces, labels, images and owners repeat across objects and clusters.
  private readonly pool = new StringPool();

  constructor(options: { logger: LoggerService; tuning: WatchTuning }) {
    this.logger = options.logger;
    this.tuning = options.tuning;
  }

  async addClusterSupplier(supplier: KubernetesClusterSupplier): Promise<void> {
    for (const details of await supplier.getClusters()) {
      if (this.caches.has(details.name)) continue; // first supplier wins (config before catalog)
      const cache = new ClusterCache({
        details,
        tuning: this.tuning,
        pool: this.pool,
        logger: this.logger.child({ cluster: details.name }),
        onChange: (resource, type, object) =>
          this.emit({ cluster: details.name, resource, type, object }),
      });
      this.caches.set(details.name, cache);
      cache.start();
      this.logger.info(
        `Watching Kubernetes cluster ${details.name}${
          details.simulated ? ' (simulated)' : ''
        }`,
      );
    }
  }

  clusters(): ClusterRef[] {
    return [...this.caches.values()].map(c => ({
      name: c.details.name,
      title: c.details.title,
      simulated: !!c.details.simulated,
    }));
  }

  state(cluster: string) {
    return this.caches.get(cluster)?.state();
  }

  list(options: {
    cluster: string;
    resource: WatchedResourceKey;
    namespaces?: string[];
    labelSelector?: string;
  }) {
    const cache = this.caches.get(options.cluster);
    if (!cache) return [];
    const key = [
      options.cluster,
      options.resource,
      options.namespaces?.join(',') ?? '*',
      options.labelSelector ?? '',
    ].join('|');
    const changeCount = cache.changeCount(options.resource);
    const memo = this.views.get(key);
    if (memo && memo.changeCount === changeCount) return memo.objects;
    const matches = parseLabelSelector(options.labelSelector);
    const namespaces = options.namespaces?.length
      ? new Set(options.namespaces)
      : undefined;
    const objects = this.candidates(
      options.cluster,
      options.resource,
      options.labelSelector,
    ).filter(
      o =>
        (!namespaces || namespaces.has(o.metadata?.namespace ?? '')) &&
        matches(o.metadata?.labels),
    );
    if (this.views.size >= MAX_MEMOIZED_VIEWS) this.views.clear();
    this.views.set(key, { changeCount, objects });
    return objects;
  }

  listForEntity<K extends WatchedResourceKey>(
    entity: Entity,
    options: EntityObjectsOptions<K>,
  ): EntityObjects<K> {
    return this.entityObjects.listForEntity(entity, options);
  }

  private candidates(
    cluster: string,
    resource: WatchedResourceKey,
    labelSelector?: string,
  ) {
    const cache = this.caches.get(cluster)!;
    const [first] = requiredLabels(labelSelector);
    if (!first) return cache.objects(resource);
    const key = `${cluster}|${resource}`;
    const changeCount = cache.changeCount(resource);
    let index = this.labelIndexes.get(key);
    if (!index || index.changeCount !== changeCount) {
      const byLabel = new Map<string, StampedKubernetesObject[]>();
      for (const o of cache.objects(resource)) {
        for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
          const entry = `${k}=${v}`;
          const list = byLabel.get(entry);
          if (list) list.push(o);
          else byLabel.set(entry, [o]);
        }
      }
      index = { changeCount, byLabel };
      this.labelIndexes.set(key, index);
    }
    return index.byLabel.get(`${first[0]}=${first[1]}`) ?? [];
  }

  onChange(listener: (change: CachedObjectChange) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async readPodLogs(options: PodLogsRequest) {
    const cache = this.caches.get(options.cluster);
    if (!cache) throw new NotFoundError(`Unknown cluster ${options.cluster}`);
    return cache.readPodLogs(options);
  }

  async listGatekeeperConstraints(cluster: string) {
    const cache = this.caches.get(cluster);
    if (!cache) throw new NotFoundError(`Unknown cluster ${cluster}`);
    return cache.listGatekeeperConstraints();
  }

  /** List requests sent to all clusters so far (benchmark, tests). */
  listRequestCount(): number {
    return [...this.caches.values()].reduce(
      (sum, c) => sum + c.listRequestCount(),
      0,
    );
  }

  async stop() {
    await Promise.all([...this.caches.values()].map(c => c.stop()));
    this.caches.clear();
  }

  private emit(change: CachedObjectChange) {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.warn('Kubernetes change listener failed', toError(err));
      }
    }
  }
}
