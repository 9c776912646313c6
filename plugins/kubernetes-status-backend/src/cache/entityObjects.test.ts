import { Entity } from '@backstage/catalog-model';
import { ClusterError } from '@paved/plugin-kubernetes-status-common';
import {
  ClusterCacheState,
  StampedKubernetesObject,
  WATCHED_RESOURCES,
  WatchedResourceKey,
} from '@paved/plugin-kubernetes-status-node';
import { CacheReader, EntityObjectQuery } from './entityObjects';
import { parseLabelSelector } from './labelSelector';

const ALL_KEYS = Object.values(WATCHED_RESOURCES).map(r => r.key);

function object(
  resource: WatchedResourceKey,
  namespace: string | undefined,
  name: string,
  labels?: Record<string, string>,
  extra: Record<string, unknown> = {},
): StampedKubernetesObject {
  const { apiVersion, kind } = WATCHED_RESOURCES[resource];
  return {
    apiVersion,
    kind,
    metadata: { name, namespace, labels },
    ...extra,
  };
}

const id = (value: string) => ({ 'backstage.io/kubernetes-id': value });

function warning(name: string, about: StampedKubernetesObject) {
  return object('events', about.metadata?.namespace, name, undefined, {
    reason: 'BackOff',
    involvedObject: {
      kind: about.kind,
      namespace: about.metadata?.namespace,
      name: about.metadata?.name,
    },
  });
}

const ordersPod = object('pods', 'commerce', 'orders-1', {
  ...id('orders'),
  tier: 'web',
});
const ordersWorkerPod = object('pods', 'commerce', 'orders-worker-1', {
  ...id('orders'),
  tier: 'worker',
});
const ordersStagingPod = object('pods', 'staging', 'orders-1', id('orders'));
const ordersDeployment = object('deployments', 'commerce', 'orders', {
  ...id('orders'),
  tier: 'web',
});
const ordersApplication = object('applications', 'argocd', 'orders', {
  ...id('orders'),
  tier: 'web',
});
const paymentsPod = object('pods', 'commerce', 'payments-1', id('payments'));
const node = object('nodes', undefined, 'node-1', id('orders'));
const ordersWarning = warning('orders-1.backoff', ordersPod);
const stagingWarning = warning('orders-1.staging', ordersStagingPod);
const paymentsWarning = warning('payments-1.backoff', paymentsPod);

const CLUSTER_A = [
  ordersPod,
  ordersWorkerPod,
  ordersStagingPod,
  ordersDeployment,
  ordersApplication,
  paymentsPod,
  node,
  ordersWarning,
  stagingWarning,
  paymentsWarning,
];
const CLUSTER_B = [object('pods', 'commerce', 'orders-b', id('orders'))];

function cacheState(
  name: string,
  options: {
    errors?: ClusterError[];
    synced?: WatchedResourceKey[];
    absent?: WatchedResourceKey[];
  } = {},
): ClusterCacheState {
  const absent = options.absent ?? [];
  return {
    cluster: { name, simulated: true },
    freshness: { stale: false },
    errors: options.errors ?? [],
    syncedTypes: options.synced ?? ALL_KEYS.filter(k => !absent.includes(k)),
    absentTypes: absent,
  };
}

const error = (
  type: ClusterError['type'],
  resource?: string,
): ClusterError => ({
  type,
  resource,
  message: `${type} ${resource ?? ''}`,
  since: '2026-12-01T10:00:00Z',
});

/**
 * The caches' `clusters`, `state` and `list` over fixed objects, filtered as
 * the real caches filter, each answer memoized until {@link FakeCaches.change}.
 */
class FakeCaches implements CacheReader {
  lists = 0;
  private readonly views = new Map<string, StampedKubernetesObject[]>();

  constructor(
    readonly objects: Record<string, StampedKubernetesObject[]>,
    readonly states: Record<string, ClusterCacheState>,
  ) {}

  clusters() {
    return Object.keys(this.objects).map(name => this.states[name].cluster);
  }

  state(cluster: string) {
    return this.states[cluster];
  }

  list(options: {
    cluster: string;
    resource: WatchedResourceKey;
    namespaces?: string[];
    labelSelector?: string;
  }) {
    this.lists++;
    const key = JSON.stringify(options);
    const memo = this.views.get(key);
    if (memo) return memo;
    const { kind } = WATCHED_RESOURCES[options.resource];
    const matches = parseLabelSelector(options.labelSelector);
    const objects = (this.objects[options.cluster] ?? []).filter(
      o =>
        o.kind === kind &&
        (!options.namespaces ||
          options.namespaces.includes(o.metadata?.namespace ?? '')) &&
        matches(o.metadata?.labels),
    );
    this.views.set(key, objects);
    return objects;
  }

  change(cluster: string, objects: StampedKubernetesObject[]) {
    this.objects[cluster] = objects;
    this.views.clear();
  }
}

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default', annotations },
    spec: {},
  };
}

const names = (objects: StampedKubernetesObject[]) =>
  objects.map(o => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);

type Case = {
  title: string;
  annotations: Record<string, string>;
  resources: WatchedResourceKey[];
  clusters?: string[];
  allNamespaces?: boolean;
  states?: Record<string, ClusterCacheState>;
  /** Per cluster: state, then per type the state and the objects' namespace/name. */
  expected: Record<
    string,
    {
      state: string;
      types: Partial<Record<WatchedResourceKey, [string, string[]]>>;
    }
  >;
};

const CASES: Case[] = [
  {
    title: 'kubernetes-id: the objects labelled with it, in every namespace',
    annotations: id('orders'),
    resources: ['pods', 'deployments'],
    expected: {
      a: {
        state: 'ok',
        types: {
          pods: [
            'ok',
            [
              'commerce/orders-1',
              'commerce/orders-worker-1',
              'staging/orders-1',
            ],
          ],
          deployments: ['ok', ['commerce/orders']],
        },
      },
      b: { state: 'ok', types: { pods: ['ok', ['commerce/orders-b']] } },
    },
  },
  {
    title:
      'kubernetes-label-selector: a set-based selector, preferred to the id',
    annotations: {
      ...id('payments'),
      'backstage.io/kubernetes-label-selector':
        'backstage.io/kubernetes-id=orders,tier in (web)',
    },
    resources: ['pods', 'deployments', 'applications'],
    expected: {
      a: {
        state: 'ok',
        types: {
          pods: ['ok', ['commerce/orders-1']],
          deployments: ['ok', ['commerce/orders']],
          applications: ['ok', ['argocd/orders']],
        },
      },
      b: {
        state: 'ok',
        types: { pods: ['ok', []], deployments: ['ok', []] },
      },
    },
  },
  {
    title:
      'kubernetes-namespace: namespaced objects in those namespaces only; GitOps objects wherever their tool keeps them',
    annotations: {
      ...id('orders'),
      'backstage.io/kubernetes-namespace': 'commerce, billing',
      'backstage.io/kubernetes-cluster': 'a',
    },
    resources: ['pods', 'applications'],
    expected: {
      a: {
        state: 'ok',
        types: {
          pods: ['ok', ['commerce/orders-1', 'commerce/orders-worker-1']],
          applications: ['ok', ['argocd/orders']],
        },
      },
    },
  },
  {
    title: 'allNamespaces: the namespace annotation ignored (diagnostics)',
    annotations: {
      ...id('orders'),
      'backstage.io/kubernetes-namespace': 'commerce',
      'backstage.io/kubernetes-cluster': 'a',
    },
    resources: ['pods'],
    allNamespaces: true,
    expected: {
      a: {
        state: 'ok',
        types: {
          pods: [
            'ok',
            [
              'commerce/orders-1',
              'commerce/orders-worker-1',
              'staging/orders-1',
            ],
          ],
        },
      },
    },
  },
  {
    title:
      'kubernetes-cluster: only the clusters it names (unknown ones skipped)',
    annotations: {
      ...id('orders'),
      'backstage.io/kubernetes-cluster': 'b,gone',
    },
    resources: ['pods'],
    expected: {
      b: { state: 'ok', types: { pods: ['ok', ['commerce/orders-b']] } },
    },
  },
  {
    title: 'options.clusters narrows within the annotation, never beyond it',
    annotations: { ...id('orders'), 'backstage.io/kubernetes-cluster': 'a' },
    resources: ['pods'],
    clusters: ['a', 'b'],
    expected: {
      a: {
        state: 'ok',
        types: {
          pods: [
            'ok',
            [
              'commerce/orders-1',
              'commerce/orders-worker-1',
              'staging/orders-1',
            ],
          ],
        },
      },
    },
  },
  {
    title: 'options.clusters alone: one cluster of all',
    annotations: id('orders'),
    resources: ['pods'],
    clusters: ['b'],
    expected: {
      b: { state: 'ok', types: { pods: ['ok', ['commerce/orders-b']] } },
    },
  },
  {
    title:
      'events: the warnings in its namespaces about its objects; nodes: never an entity’s',
    annotations: {
      ...id('orders'),
      'backstage.io/kubernetes-namespace': 'commerce',
      'backstage.io/kubernetes-cluster': 'a',
    },
    resources: ['events', 'nodes'],
    expected: {
      a: {
        state: 'ok',
        types: {
          events: ['ok', ['commerce/orders-1.backoff']],
          nodes: ['ok', []],
        },
      },
    },
  },
  {
    title:
      'a cluster down as a whole: unreachable, with the objects last seen; the other cluster unaffected',
    annotations: id('orders'),
    resources: ['pods', 'applications'],
    states: {
      a: cacheState('a', { errors: [error('unreachable')], synced: [] }),
    },
    expected: {
      a: {
        state: 'unreachable',
        types: {
          pods: [
            'unreachable',
            [
              'commerce/orders-1',
              'commerce/orders-worker-1',
              'staging/orders-1',
            ],
          ],
          applications: ['unreachable', ['argocd/orders']],
        },
      },
      b: {
        state: 'ok',
        types: {
          pods: ['ok', ['commerce/orders-b']],
          applications: ['ok', []],
        },
      },
    },
  },
  {
    title: 'a type the RBAC role forbids: forbidden, the other types ok',
    annotations: { ...id('orders'), 'backstage.io/kubernetes-cluster': 'a' },
    resources: ['pods', 'deployments'],
    states: {
      a: cacheState('a', {
        errors: [error('forbidden', 'deployments')],
        synced: ALL_KEYS.filter(k => k !== 'deployments'),
      }),
    },
    expected: {
      a: {
        state: 'forbidden',
        types: {
          pods: [
            'ok',
            [
              'commerce/orders-1',
              'commerce/orders-worker-1',
              'staging/orders-1',
            ],
          ],
          deployments: ['forbidden', ['commerce/orders']],
        },
      },
    },
  },
  {
    title:
      'a type whose watch fails or has not synced yet: stale (worse than ok, better than forbidden)',
    annotations: { ...id('orders'), 'backstage.io/kubernetes-cluster': 'a' },
    resources: ['pods', 'deployments', 'services'],
    states: {
      a: cacheState('a', {
        errors: [error('timeout', 'pods')],
        synced: ['deployments'],
      }),
    },
    expected: {
      a: {
        state: 'stale',
        types: {
          pods: [
            'stale',
            [
              'commerce/orders-1',
              'commerce/orders-worker-1',
              'staging/orders-1',
            ],
          ],
          deployments: ['ok', ['commerce/orders']],
          services: ['stale', []],
        },
      },
    },
  },
  {
    title:
      'an optional CRD the cluster does not serve: absent, which does not make the cluster worse',
    annotations: { ...id('orders'), 'backstage.io/kubernetes-cluster': 'b' },
    resources: ['pods', 'applications', 'helmreleases'],
    states: {
      b: cacheState('b', { absent: ['applications', 'helmreleases'] }),
    },
    expected: {
      b: {
        state: 'ok',
        types: {
          pods: ['ok', ['commerce/orders-b']],
          applications: ['absent', []],
          helmreleases: ['absent', []],
        },
      },
    },
  },
  {
    title: 'only absent types asked: the cluster is absent',
    annotations: { ...id('orders'), 'backstage.io/kubernetes-cluster': 'b' },
    resources: ['kustomizations'],
    states: { b: cacheState('b', { absent: ['kustomizations'] }) },
    expected: {
      b: { state: 'absent', types: { kustomizations: ['absent', []] } },
    },
  },
];

describe('listForEntity', () => {
  it.each(CASES)('$title', c => {
    const caches = new FakeCaches(
      { a: CLUSTER_A, b: CLUSTER_B },
      { a: cacheState('a'), b: cacheState('b'), ...c.states },
    );
    const found = new EntityObjectQuery(caches).listForEntity(
      entity(c.annotations),
      {
        resources: c.resources,
        clusters: c.clusters,
        allNamespaces: c.allNamespaces,
      },
    );
    expect(found.selector).toBeDefined();
    const actual = Object.fromEntries(
      found.clusters.map(x => [
        x.cluster.name,
        {
          state: x.state,
          types: Object.fromEntries(
            c.resources.map(type => [
              type,
              [x.resourceStates[type], names(x.objects[type]).sort()],
            ]),
          ),
        },
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(c.expected).map(([cluster, e]) => [
        cluster,
        {
          state: e.state,
          types: Object.fromEntries(
            c.resources.map(type => [type, e.types[type] ?? ['ok', []]]),
          ),
        },
      ]),
    );
    expect(actual).toEqual(expected);
    for (const x of found.clusters) {
      expect(x.cacheState).toBe(caches.state(x.cluster.name));
    }
  });

  it.each([
    ['no Kubernetes annotation', {}],
    [
      'only a namespace and a cluster',
      {
        'backstage.io/kubernetes-namespace': 'commerce',
        'backstage.io/kubernetes-cluster': 'a',
      },
    ],
    ['blank ones', { 'backstage.io/kubernetes-id': '  ' }],
  ])(
    'without a selector (%s): no selector, no clusters, nothing read',
    (_, annotations) => {
      const caches = new FakeCaches({ a: CLUSTER_A }, { a: cacheState('a') });
      expect(
        new EntityObjectQuery(caches).listForEntity(entity(annotations), {
          resources: ['pods'],
        }),
      ).toEqual({ clusters: [] });
      expect(caches.lists).toBe(0);
    },
  );

  it('answers the same arrays while the lists they come from are the same, new ones after a change', () => {
    const caches = new FakeCaches({ a: CLUSTER_A }, { a: cacheState('a') });
    const query = new EntityObjectQuery(caches);
    const read = () =>
      query.listForEntity(entity(id('orders')), {
        resources: ['events', 'pods'],
      }).clusters[0].objects;
    const first = read();
    expect(names(first.events).sort()).toEqual([
      'commerce/orders-1.backoff',
      'staging/orders-1.staging',
    ]);
    const second = read();
    expect(second.events).toBe(first.events);
    expect(second.pods).toBe(first.pods);
    // The staging pod goes: its warning is no longer the entity's.
    caches.change(
      'a',
      CLUSTER_A.filter(o => o !== ordersStagingPod),
    );
    const third = read();
    expect(third.events).not.toBe(first.events);
    expect(names(third.events)).toEqual(['commerce/orders-1.backoff']);
  });
});
