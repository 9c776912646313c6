import {
  apiVersionOf,
  type ResourceRegistry,
  type ResourceType,
} from './resources';

/**
 * The Kubernetes version the simulator claims: the release whose API
 * semantics it follows (the pinned KUBE_VERSION of the real kube-apiserver
 * it is compared with); the build metadata says it is simulated.
 */
export const SIMULATED_KUBERNETES_VERSION = 'v1.37.2+paved-simulator';

/** The `/version` document. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '37',
    gitVersion: SIMULATED_KUBERNETES_VERSION,
    gitCommit: 'paved-simulator',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'none (Node.js simulator)',
    compiler: 'paved-simulator',
    platform: `${process.platform}/${process.arch}`,
  };
}

/** The `/api` document (APIVersions). */
export function coreApiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(group: string, versions: string[]) {
  return {
    name: group,
    versions: versions.map(version => ({
      groupVersion: `${group}/${version}`,
      version,
    })),
    preferredVersion: {
      groupVersion: `${group}/${versions[0]}`,
      version: versions[0],
    },
  };
}

/**
 * API groups served without stored objects: the review APIs `kubectl auth
 * can-i` and `kubectl auth whoami` post to (create only).
 */
export const REVIEW_GROUPS: readonly {
  group: string;
  version: string;
  resources: { name: string; kind: string }[];
}[] = [
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    resources: [{ name: 'selfsubjectreviews', kind: 'SelfSubjectReview' }],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resources: [
      { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
    ],
  },
];

function groupsOf(registry: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const gv of registry.groupVersions()) {
    const versions = groups.get(gv.group) ?? [];
    versions.push(gv.version);
    groups.set(gv.group, versions);
  }
  for (const review of REVIEW_GROUPS) {
    groups.set(review.group, [review.version]);
  }
  return groups;
}

/** The `/apis` document (APIGroupList). */
export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupsOf(registry)].map(([group, versions]) =>
      groupDocument(group, versions),
    ),
  };
}

/** The `/apis/{group}` document (APIGroup), or undefined for an unknown group. */
export function apiGroup(registry: ResourceRegistry, group: string) {
  const versions = groupsOf(registry).get(group);
  if (!versions) {
    return undefined;
  }
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupDocument(group, versions),
  };
}

function resourceEntries(t: ResourceType) {
  const entries: Record<string, unknown>[] = [
    {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    },
  ];
  for (const sub of t.subresources ?? []) {
    entries.push({
      name: `${t.plural}/${sub}`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: sub === 'status' ? ['get', 'patch', 'update'] : ['get'],
    });
  }
  return entries;
}

/**
 * The `/api/v1` or `/apis/{group}/{version}` document (APIResourceList), or
 * undefined when the group/version is not served.
 */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const review = REVIEW_GROUPS.find(
    r => r.group === group && r.version === version,
  );
  if (review) {
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${group}/${version}`,
      resources: review.resources.map(r => ({
        name: r.name,
        singularName: r.kind.toLowerCase(),
        namespaced: false,
        kind: r.kind,
        verbs: ['create'],
      })),
    };
  }
  let types: ResourceType[] | undefined;
  if (group === '') {
    types = version === 'v1' ? registry.coreTypes() : undefined;
  } else {
    types = registry
      .groupVersions()
      .find(gv => gv.group === group && gv.version === version)?.resources;
  }
  if (!types) {
    return undefined;
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: types.flatMap(resourceEntries),
  };
}
