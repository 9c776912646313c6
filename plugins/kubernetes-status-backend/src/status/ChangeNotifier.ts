import { SignalsService } from '@backstage/plugin-signals-node';
import {
  EntityKubernetesSelector,
  KubernetesStatusSignal,
  kubernetesStatusSignalChannel,
} from '@paved/plugin-kubernetes-status-common';
import {
  CachedObjectChange,
  KubernetesObjectCacheService,
  WATCHED_RESOURCES,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';
import { LabelMatcher, parseLabelSelector } from '../cache/labelSelector';
import { involvedObjectOf } from './summarize';

// The objects whose events an entity's status shows, by kind.
const INVOLVED_RESOURCES = new Map<string, WatchedResourceKey>([
  ['Pod', 'pods'],
  ['Deployment', 'deployments'],
]);

interface Interest {
  matches: LabelMatcher;
  namespaces?: Set<string>;
  clusters?: Set<string>;
  expiresAt: number;
  pendingClusters: Set<string>;
  timer?: NodeJS.Timeout;
}

/**
 * Pushes "your objects changed" signals to browsers showing an entity, so
 * the UI refetches instead of polling. Entities register interest when their
 * status is read; interest expires after `ttlMs` without reads. Bursts are
 * coalesced into one signal per `debounceMs`. Signals carry no object data.
 */
export class ChangeNotifier {
  private readonly interests = new Map<string, Interest>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly options: {
      cache: KubernetesObjectCacheService;
      signals: SignalsService;
      debounceMs?: number;
      ttlMs?: number;
    },
  ) {
    this.unsubscribe = options.cache.onChange(change => this.handle(change));
  }

  watch(entityRef: string, selector: EntityKubernetesSelector) {
    const existing = this.interests.get(entityRef);
    const expiresAt = Date.now() + (this.options.ttlMs ?? 10 * 60_000);
    if (existing) {
      existing.expiresAt = expiresAt;
      return;
    }
    this.interests.set(entityRef, {
      matches: parseLabelSelector(selector.labelSelector),
      namespaces: selector.namespaces
        ? new Set(selector.namespaces)
        : undefined,
      clusters: selector.clusters ? new Set(selector.clusters) : undefined,
      expiresAt,
      pendingClusters: new Set(),
    });
  }

  stop() {
    this.unsubscribe();
    for (const interest of this.interests.values())
      clearTimeout(interest.timer);
    this.interests.clear();
  }

  private handle(change: CachedObjectChange) {
    const now = Date.now();
    const labels = this.labelsOf(change);
    const namespace = change.object.metadata?.namespace ?? '';
    for (const [entityRef, interest] of this.interests) {
      if (interest.expiresAt < now) {
        clearTimeout(interest.timer);
        this.interests.delete(entityRef);
        continue;
      }
      if (interest.clusters && !interest.clusters.has(change.cluster)) continue;
      const inAnyNamespace =
        WATCHED_RESOURCES[change.resource].entityScope === 'labels';
      if (
        !inAnyNamespace &&
        interest.namespaces &&
        !interest.namespaces.has(namespace)
      )
        continue;
      if (!labels || !interest.matches(labels)) continue;
      this.schedule(entityRef, interest, change.cluster);
    }
  }

  // Events carry no workload labels: use those of the object they are about.
  private labelsOf(
    change: CachedObjectChange,
  ): Record<string, string> | undefined {
    if (change.resource !== 'events')
      return change.object.metadata?.labels ?? {};
    const involved = involvedObjectOf(change.object);
    const resource = involved?.kind
      ? INVOLVED_RESOURCES.get(involved.kind)
      : undefined;
    if (!resource || !involved?.name || !involved.namespace) return undefined;
    const target = this.options.cache
      .list({
        cluster: change.cluster,
        resource,
        namespaces: [involved.namespace],
      })
      .find(o => o.metadata?.name === involved.name);
    return target?.metadata?.labels;
  }

  private schedule(entityRef: string, interest: Interest, cluster: string) {
    interest.pendingClusters.add(cluster);
    if (interest.timer) return;
    interest.timer = setTimeout(() => {
      interest.timer = undefined;
      // An object type (not the interface itself) is a JsonObject to publish.
      const message = {
        entityRef,
        clusters: [...interest.pendingClusters],
        changedAt: new Date().toISOString(),
      } satisfies KubernetesStatusSignal;
      interest.pendingClusters.clear();
      void this.options.signals.publish({
        recipients: { type: 'broadcast' },
        channel: kubernetesStatusSignalChannel(entityRef),
        message,
      });
    }, this.options.debounceMs ?? 1000);
    interest.timer.unref();
  }
}
