import { Entity } from '@backstage/catalog-model';
import {
  EntityKubernetesSelector,
  entityKubernetesSelector,
} from '@paved/plugin-kubernetes-status-common';
import {
  CacheReadState,
  ClusterCacheState,
  EntityClusterObjects,
  EntityObjects,
  EntityObjectsOptions,
  KubernetesObjectCacheService,
  StampedKubernetesObject,
  WATCHED_RESOURCES,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';

/** What the entity query reads: the caches' own `clusters`, `state` and `list`. */
export type CacheReader = Pick<
  KubernetesObjectCacheService,
  'clusters' | 'state' | 'list'
>;

// Worst first; `absent` counts only when every asked type is absent.
const SEVERITY: CacheReadState[] = ['unreachable', 'forbidden', 'stale', 'ok'];

// The types whose objects' events are the entity's events.
const EVENT_SUBJECTS = Object.values(WATCHED_RESOURCES)
  .filter(r => r.entityScope === 'labels-in-namespaces')
  .map(r => r.key);

// Event lists kept per cluster and selector (the entities read recently).
const MAX_MEMOIZED_EVENT_LISTS = 2000;

/** Whether a cluster's cached objects of one type can be trusted, from its cache state. */
export function resourceReadState(
  state: ClusterCacheState,
  resource: WatchedResourceKey,
): CacheReadState {
  // The caches report a cluster failing as a whole as one error without a type.
  if (state.errors.some(e => !e.resource)) return 'unreachable';
  if (state.absentTypes.includes(resource)) return 'absent';
  const { plural } = WATCHED_RESOURCES[resource];
  const errors = state.errors.filter(e => e.resource === plural);
  if (errors.some(e => e.type === 'forbidden')) return 'forbidden';
  if (errors.length || !state.syncedTypes.includes(resource)) return 'stale';
  return 'ok';
}

/** The worst of the states of the asked types; `absent` when all are. */
export function clusterReadState(states: CacheReadState[]): CacheReadState {
  if (states.length && states.every(s => s === 'absent')) return 'absent';
  return SEVERITY.find(s => states.includes(s)) ?? 'ok';
}

const objectKey = (kind: string, namespace?: string, name?: string) =>
  `${kind}/${namespace ?? ''}/${name ?? ''}`;

/**
 * `listForEntity` of the object caches: the entity's annotations give the
 * selector, each type's `entityScope` how its objects belong to the entity.
 * Reads only the (memoized) lists of the caches; the events of an entity,
 * filtered by the objects they are about, are memoized here on the identity
 * of the lists they are made from.
 */
export class EntityObjectQuery {
  private readonly events = new Map<
    string,
    { inputs: unknown[]; objects: StampedKubernetesObject[] }
  >();

  constructor(private readonly cache: CacheReader) {}

  listForEntity<K extends WatchedResourceKey>(
    entity: Entity,
    options: EntityObjectsOptions<K>,
  ): EntityObjects<K> {
    const selector = entityKubernetesSelector(entity);
    if (!selector) return { clusters: [] };
    const clusters: EntityClusterObjects<K>[] = [];
    for (const cluster of this.cache.clusters()) {
      if (selector.clusters && !selector.clusters.includes(cluster.name))
        continue;
      if (options.clusters && !options.clusters.includes(cluster.name))
        continue;
      const cacheState = this.cache.state(cluster.name);
      if (!cacheState) continue;
      const namespaces = options.allNamespaces
        ? undefined
        : selector.namespaces;
      const objects = {} as Record<K, StampedKubernetesObject[]>;
      const resourceStates = {} as Record<K, CacheReadState>;
      for (const resource of options.resources) {
        objects[resource] = this.objects(
          cluster.name,
          resource,
          selector,
          namespaces,
        );
        resourceStates[resource] = resourceReadState(cacheState, resource);
      }
      clusters.push({
        cluster,
        state: clusterReadState(Object.values(resourceStates)),
        resourceStates,
        cacheState,
        objects,
      });
    }
    return { selector, clusters };
  }

  private objects(
    cluster: string,
    resource: WatchedResourceKey,
    selector: EntityKubernetesSelector,
    namespaces: string[] | undefined,
  ): StampedKubernetesObject[] {
    switch (WATCHED_RESOURCES[resource].entityScope) {
      case 'labels-in-namespaces':
        return this.cache.list({
          cluster,
          resource,
          namespaces,
          labelSelector: selector.labelSelector,
        });
      case 'labels':
        return this.cache.list({
          cluster,
          resource,
          labelSelector: selector.labelSelector,
        });
      case 'involved-object':
        return this.eventsOf(cluster, resource, selector, namespaces);
      default:
        return [];
    }
  }

  /** The events in the entity's namespaces about one of its namespaced objects. */
  private eventsOf(
    cluster: string,
    resource: WatchedResourceKey,
    selector: EntityKubernetesSelector,
    namespaces: string[] | undefined,
  ): StampedKubernetesObject[] {
    const all = this.cache.list({ cluster, resource, namespaces });
    const subjects = EVENT_SUBJECTS.map(subject =>
      this.cache.list({
        cluster,
        resource: subject,
        namespaces,
        labelSelector: selector.labelSelector,
      }),
    );
    const inputs = [all, ...subjects];
    const key = JSON.stringify([
      cluster,
      resource,
      selector.labelSelector,
      namespaces ?? null,
    ]);
    const memo = this.events.get(key);
    if (
      memo &&
      memo.inputs.length === inputs.length &&
      memo.inputs.every((list, i) => list === inputs[i])
    ) {
      return memo.objects;
    }
    const owned = new Set(
      subjects.flatMap(list =>
        list.map(o =>
          objectKey(o.kind, o.metadata?.namespace, o.metadata?.name),
        ),
      ),
    );
    const objects = all.filter(e => {
      const involved = (e as { involvedObject?: Record<string, string> })
        .involvedObject;
      return (
        !!involved &&
        owned.has(objectKey(involved.kind, involved.namespace, involved.name))
      );
    });
    this.events.delete(key);
    if (this.events.size >= MAX_MEMOIZED_EVENT_LISTS) {
      this.events.delete(this.events.keys().next().value!);
    }
    this.events.set(key, { inputs, objects });
    return objects;
  }
}
