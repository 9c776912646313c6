import { writeFileSync } from 'node:fs';
import { KubernetesSimulator } from '@paved/kubernetes-simulator';
import {
  startKubeControlPlane,
  type KubeControlPlane,
} from '../KubeControlPlane';
import {
  classify,
  diff,
  formatDifferences,
  runSequence,
  send,
  type DefaultedField,
  type Difference,
  type KnownDivergence,
  type Session,
  type Step,
  type Target,
} from './harness';
import { scaledMs } from '@paved/test-timing';

/**
 * Conformance of Paved's simulated API server (@paved/kubernetes-simulator)
 * to a real kube-apiserver: the same requests over HTTPS to both, the
 * answers compared after normalising what legitimately differs. Every other
 * difference either gets fixed in the simulator or listed in KNOWN (and in
 * the simulator README's divergence list) with its reason.
 */
jest.setTimeout(scaledMs(240_000));

const NS = 'conformance';
const REAL = 'kube-apiserver';
const SIM = 'simulator';
const TOKEN = 'conformance-token';

/**
 * Fields kube-apiserver sets that the simulator does not, removed from both
 * answers before comparing: none at present. (The simulator applies
 * kube-apiserver's defaulting and the DefaultTolerationSeconds/Priority
 * admission of Pods itself; all of it is compared.)
 */
const DEFAULTED: DefaultedField[] = [];

/**
 * Differences that are known: deliberate ones, and simulator bugs this test
 * found that are still to be fixed there (`pending`, with what to change).
 * Each is also in packages/kubernetes-simulator/README.md ("Known
 * divergences from kube-apiserver"). An entry that no longer matches fails
 * the test, so the list stays true.
 */
const KNOWN: KnownDivergence[] = [
  {
    step: /^watch configmaps from a compacted resourceVersion$/,
    path: 'events[0].object.message',
    kind: 'deliberate',
    reason:
      'the simulator words 410 like the watch cache ("too old resource version: X (Y)"); the reference serves ConfigMaps from etcd (watch cache off, for a deterministic 410), which says "The resourceVersion for the provided watch is too old."',
  },
];

const configMap = (
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = { k: 'v' },
) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});
const application = (
  name: string,
  labels: Record<string, string>,
  path = 'deploy',
) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, labels },
  spec: {
    project: 'default',
    source: {
      repoURL: 'https://git.example/shop.git',
      path,
      targetRevision: 'main',
    },
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'shop',
    },
  },
});
const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ name: 'app', image: 'registry.example/web:1.0.0' }],
  },
});

const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const APPS = `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications`;
const KUSTOMIZATIONS = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations`;
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

const get = (name: string, path: string): Step => ({
  name,
  request: () => ({ method: 'GET', path }),
});
const post = (name: string, path: string, body: unknown): Step => ({
  name,
  request: () => ({ method: 'POST', path, body }),
});
const patch = (
  name: string,
  path: string,
  contentType: string,
  body: unknown,
): Step => ({
  name,
  request: () => ({ method: 'PATCH', path, body, contentType }),
});
const del = (name: string, path: string, body?: unknown): Step => ({
  name,
  request: () => ({ method: 'DELETE', path, body }),
});
/** A list page after `previous` (its continue token, from the same server). */
const nextPage = (
  name: string,
  previous: string,
  path: (token: string) => string,
): Step => ({
  name,
  request: (s: Session) => ({
    method: 'GET',
    path: path(encodeURIComponent(s.answer(previous).body.metadata.continue)),
  }),
});
const seen = (name: string) => (events: Array<{ type: string; object: any }>) =>
  events.some(e => e.object?.metadata?.name === name);

function sequence(outOfBand: {
  compact: Record<string, () => Promise<void>>;
}): Step[] {
  return [
    post('create namespace', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    }),
    post('create a second namespace', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `${NS}-other` },
    }),
    post(
      'create in a missing namespace',
      '/api/v1/namespaces/missing/configmaps',
      configMap('x', {}),
    ),
    get('list configmaps, empty', CM),
    post(
      'create cm-a',
      CM,
      configMap('cm-a', { app: 'web', tier: 'frontend' }),
    ),
    post('create cm-b', CM, configMap('cm-b', { app: 'web', tier: 'backend' })),
    post(
      'create cm-c',
      CM,
      configMap('cm-c', { app: 'web', tier: 'frontend', canary: 'true' }),
    ),
    post('create cm-d', CM, configMap('cm-d', { app: 'api' })),
    post('create cm-e', CM, configMap('cm-e', { app: 'api', tier: 'backend' })),
    post('create an existing name', CM, configMap('cm-a', {})),
    post('create an invalid name', CM, configMap('Not_A_Name', {})),
    post('create a kind that does not match the path', CM, {
      ...pod('x'),
      metadata: { name: 'x' },
    }),
    get('get cm-a', `${CM}/cm-a`),
    get('get a missing name', `${CM}/nope`),
    get(
      'list, label selector',
      `${CM}?labelSelector=${encodeURIComponent('app=web')}`,
    ),
    get(
      'list, set-based selector',
      `${CM}?labelSelector=${encodeURIComponent(
        'tier in (frontend,backend),!canary',
      )}`,
    ),
    get(
      'list, field selector',
      `${CM}?fieldSelector=${encodeURIComponent('metadata.name=cm-b')}`,
    ),
    get(
      'list, unsupported field selector',
      `${CM}?fieldSelector=${encodeURIComponent('data.k=v')}`,
    ),
    get(
      'list, invalid label selector',
      `${CM}?labelSelector=${encodeURIComponent('app in web')}`,
    ),
    get('list, limit 2, page 1', `${CM}?limit=2`),
    nextPage(
      'list, limit 2, page 2',
      'list, limit 2, page 1',
      t => `${CM}?limit=2&continue=${t}`,
    ),
    nextPage(
      'list, limit 2, page 3',
      'list, limit 2, page 2',
      t => `${CM}?limit=2&continue=${t}`,
    ),
    get(
      'list, limit 2 and a selector, page 1',
      `${CM}?limit=2&labelSelector=app%3Dweb`,
    ),
    nextPage(
      'list, limit 2 and a selector, page 2',
      'list, limit 2 and a selector, page 1',
      t => `${CM}?limit=2&labelSelector=app%3Dweb&continue=${t}`,
    ),
    get(
      'list across namespaces, field selector on namespace',
      `/api/v1/configmaps?fieldSelector=metadata.namespace%3D${NS}&labelSelector=app%3Dapi`,
    ),
    patch('merge patch', `${CM}/cm-a`, MERGE, {
      metadata: { labels: { extra: '1', tier: null } },
      data: { k: 'v2', added: 'yes' },
    }),
    patch('JSON patch', `${CM}/cm-b`, JSON_PATCH, [
      { op: 'replace', path: '/data/k', value: 'x' },
      { op: 'add', path: '/metadata/annotations', value: { note: 'patched' } },
    ]),
    patch('JSON patch with a failing test', `${CM}/cm-b`, JSON_PATCH, [
      { op: 'test', path: '/data/k', value: 'not-x' },
    ]),
    patch('strategic merge patch', `${CM}/cm-c`, STRATEGIC, {
      data: { k: 'strategic' },
    }),
    patch('patch a missing object', `${CM}/nope`, MERGE, { data: { k: 'v' } }),
    patch(
      'patch with an unsupported content type',
      `${CM}/cm-c`,
      'text/plain',
      'k=v',
    ),
    get('get cm-d before update', `${CM}/cm-d`),
    {
      name: 'update with the current resourceVersion',
      request: s => ({
        method: 'PUT',
        path: `${CM}/cm-d`,
        body: {
          ...s.answer('get cm-d before update').body,
          data: { k: 'updated' },
        },
      }),
    },
    {
      name: 'update with a stale resourceVersion',
      request: s => ({
        method: 'PUT',
        path: `${CM}/cm-d`,
        body: {
          ...s.answer('get cm-d before update').body,
          data: { k: 'stale' },
        },
      }),
    },
    {
      name: 'update without a resourceVersion',
      request: () => ({
        method: 'PUT',
        path: `${CM}/cm-d`,
        body: configMap('cm-d', { app: 'api' }, { k: 'unconditional' }),
      }),
    },
    {
      name: 'update with a name that does not match the path',
      request: () => ({
        method: 'PUT',
        path: `${CM}/cm-d`,
        body: configMap('cm-other', {}),
      }),
    },
    del('delete cm-e', `${CM}/cm-e`),
    del('delete a missing object', `${CM}/cm-e`),
    get('list after writes', CM),

    // Pods: status subresource, field selectors on status and spec.
    post('create an unscheduled pod', PODS, pod('pending')),
    post('create a scheduled pod', PODS, pod('running', 'node-1')),
    {
      name: 'status update of a pod',
      request: s => ({
        method: 'PUT',
        path: `${PODS}/running/status`,
        body: {
          ...s.answer('create a scheduled pod').body,
          status: {
            phase: 'Running',
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                lastProbeTime: null,
                lastTransitionTime: '2026-12-01T10:00:00Z',
              },
            ],
          },
        },
      }),
    },
    patch('status patch ignores spec', `${PODS}/running/status`, MERGE, {
      metadata: { labels: { ignored: 'no' } },
      spec: { activeDeadlineSeconds: 5 },
      status: { message: 'via patch' },
    }),
    patch('main resource patch ignores status', `${PODS}/pending`, MERGE, {
      status: { phase: 'Running' },
    }),
    get(
      'list pods, field selector status.phase',
      `${PODS}?fieldSelector=status.phase%3DRunning`,
    ),
    get(
      'list pods, field selector spec.nodeName',
      `${PODS}?fieldSelector=spec.nodeName%3Dnode-1`,
    ),
    get(
      'list pods, field selector spec.nodeName empty',
      `${PODS}?fieldSelector=spec.nodeName%3D`,
    ),
    del('delete the unscheduled pod', `${PODS}/pending`),
    del('delete the scheduled pod, grace period 0', `${PODS}/running`, {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
    }),

    // Custom resources (Argo CD Application, Flux Kustomization): generation, status, watch.
    post('create app-1', APPS, application('app-1', { team: 'a' })),
    post('create app-2', APPS, application('app-2', { team: 'b' })),
    get('list applications', APPS),
    {
      name: 'watch applications from a resourceVersion, label selector',
      watch: s =>
        `${APPS}?resourceVersion=${s.rv(
          'list applications',
        )}&labelSelector=team%3Da`,
      during: [
        post('create app-3', APPS, application('app-3', { team: 'a' })),
        patch('change the spec of app-3', `${APPS}/app-3`, MERGE, {
          spec: { source: { path: 'deploy/v2' } },
        }),
        // Argo CD's CRD has no status subresource (`subresources: {}`): status is written with the object.
        patch('status subresource of app-3', `${APPS}/app-3/status`, MERGE, {
          status: { sync: { status: 'Synced' } },
        }),
        patch('status of app-3', `${APPS}/app-3`, MERGE, {
          status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
        }),
        patch('app-3 stops matching', `${APPS}/app-3`, MERGE, {
          metadata: { labels: { team: 'b' } },
        }),
        patch('app-2 starts matching', `${APPS}/app-2`, MERGE, {
          metadata: { labels: { team: 'a' } },
        }),
        del('delete app-2', `${APPS}/app-2`),
        post('create app-z', APPS, application('app-z', { team: 'a' })),
      ],
      until: seen('app-z'),
    },
    get('get app-3', `${APPS}/app-3`),
    {
      name: 'watch applications with sendInitialEvents',
      watch: () =>
        `${APPS}?sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      until: events =>
        events.some(
          e =>
            e.type === 'BOOKMARK' &&
            e.object?.metadata?.annotations?.['k8s.io/initial-events-end'],
        ),
    },
    {
      // A change the watch does not show (another namespace) moves the
      // resourceVersion on: kube-apiserver then sends a BOOKMARK 2 s before
      // timeoutSeconds (it sends none while nothing moved), then ends the stream.
      name: 'watch applications with bookmarks until the server ends it',
      watch: s =>
        `${APPS}?resourceVersion=${s.rv(
          'get app-3',
        )}&allowWatchBookmarks=true&timeoutSeconds=6`,
      during: [
        post(
          'create an application elsewhere',
          `/apis/argoproj.io/v1alpha1/namespaces/${NS}-other/applications`,
          application('elsewhere', { team: 'a' }),
        ),
      ],
      timeoutMs: 30_000,
    },
    post('create a kustomization', KUSTOMIZATIONS, {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'shop', labels: { team: 'a' } },
      spec: {
        interval: '5m',
        path: './deploy',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'shop' },
      },
    }),
    patch('kustomization status', `${KUSTOMIZATIONS}/shop/status`, MERGE, {
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ReconciliationSucceeded',
            message: 'Applied',
            lastTransitionTime: '2026-12-01T10:00:00Z',
          },
        ],
      },
    }),
    get(
      'list kustomizations, label selector',
      `${KUSTOMIZATIONS}?labelSelector=team%3Da`,
    ),

    // 410 Gone: after a compaction, a watch or a continue from before it.
    get('list configmaps before compaction', CM),
    get('list configmaps before compaction, limit 1', `${CM}?limit=1`),
    post('create cm-f after the list', CM, configMap('cm-f', { app: 'web' })),
    // etcd keeps the compaction revision itself: two writes, so the watch's start is compacted away.
    post('create cm-g after the list', CM, configMap('cm-g', { app: 'web' })),
    { name: 'compact', outOfBand: outOfBand.compact },
    {
      name: 'watch configmaps from a compacted resourceVersion',
      watch: s =>
        `${CM}?resourceVersion=${s.rv('list configmaps before compaction')}`,
      timeoutMs: 20_000,
    },
    nextPage(
      'continue a list from before compaction',
      'list configmaps before compaction, limit 1',
      t => `${CM}?limit=1&continue=${t}`,
    ),
    {
      name: 'exact list at a compacted resourceVersion',
      request: s => ({
        method: 'GET',
        path: `${CM}?resourceVersion=${s.rv(
          'list configmaps before compaction',
        )}&resourceVersionMatch=Exact`,
      }),
    },
  ];
}

describe('simulator conformance to kube-apiserver', () => {
  let cp: KubeControlPlane;
  let sim: KubernetesSimulator;
  let real: Target;
  let simulated: Target;

  beforeAll(async () => {
    // ConfigMaps from etcd (no watch cache): a watch from a compacted
    // resourceVersion gets 410 at once, as the simulator's does.
    cp = await startKubeControlPlane({
      watchCacheDisabledFor: ['configmaps'],
      etcdCompactionIntervalSeconds: 0,
    });
    real = { name: REAL, url: cp.url, caPem: cp.caPem, token: cp.adminToken };
    await installGitOpsCrds(real);
  });

  beforeAll(async () => {
    sim = new KubernetesSimulator({
      name: 'conformance',
      token: TOKEN,
      bookmarkIntervalMs: 500,
    });
    await sim.start({ port: 0, host: '127.0.0.1' });
    simulated = { name: SIM, url: sim.url, caPem: sim.caPem, token: TOKEN };
  });

  afterAll(async () => {
    await sim?.stop();
    await cp?.stop();
  });

  it('answers the same requests the same way, apart from listed divergences', async () => {
    const steps = sequence({
      compact: {
        [REAL]: async () => {
          await cp.compactEtcd();
        },
        [SIM]: async () => sim.compact(),
      },
    });
    const reference = await runSequence(real, steps, DEFAULTED);
    const dump = process.env.PAVED_CONFORMANCE_DUMP;
    if (dump)
      writeFileSync(
        `${dump}.${REAL}.json`,
        JSON.stringify(Object.fromEntries(reference), null, 2),
      );
    const candidate = await runSequence(simulated, steps, DEFAULTED);
    if (dump)
      writeFileSync(
        `${dump}.${SIM}.json`,
        JSON.stringify(Object.fromEntries(candidate), null, 2),
      );
    const differences: Difference[] = [];
    for (const [step, observed] of reference) {
      differences.push(...diff(step, observed, candidate.get(step)));
    }
    const { unlisted, listed, unused } = classify(differences, KNOWN);
    const names = { reference: REAL, candidate: SIM };
    const byEntry = KNOWN.map(k => {
      const hits = listed.filter(l => l.known === k);
      return `  [${k.kind}] ${String(k.step)} ${String(k.path)}: ${
        hits.length
      } differences in ${new Set(hits.map(h => h.step)).size} steps`;
    });
    process.stdout.write(
      `[conformance] ${reference.size} steps compared; ${
        differences.length
      } differences, ${listed.length} of them known:\n${byEntry.join('\n')}\n`,
    );
    const problems: string[] = [];
    if (unlisted.length) {
      problems.push(
        `${unlisted.length} unlisted differences:\n${formatDifferences(
          unlisted,
          names,
        )}`,
      );
    }
    if (unused.length) {
      problems.push(
        `listed divergences that no longer occur (remove them here and in the simulator README):\n${unused
          .map(u => `  ${u.step} ${u.path}`)
          .join('\n')}`,
      );
    }
    if (problems.length) throw new Error(problems.join('\n\n'));

    // The reference did what each step is there for (else the comparison proves little).
    const ref = (step: string) => reference.get(step) as any;
    expect(ref('create an existing name').status).toBe(409);
    expect(ref('update with a stale resourceVersion').status).toBe(409);
    expect(ref('list, limit 2, page 1').body.metadata.continue).toBe(
      '<continue>',
    );
    expect(ref('list, limit 2, page 3').body.metadata.continue).toBeUndefined();
    expect(
      ref(
        'watch applications from a resourceVersion, label selector',
      ).events.map((e: any) => e.type),
    ).toEqual([
      'ADDED',
      'MODIFIED',
      'MODIFIED',
      'DELETED',
      'ADDED',
      'DELETED',
      'ADDED',
    ]);
    const initial = ref('watch applications with sendInitialEvents').events;
    expect(initial[initial.length - 1]).toMatchObject({
      type: 'BOOKMARK',
      object: {
        metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } },
      },
    });
    expect(
      ref('watch configmaps from a compacted resourceVersion').events,
    ).toEqual([
      expect.objectContaining({
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }),
      }),
    ]);
    expect(
      ref('watch applications with bookmarks until the server ends it'),
    ).toMatchObject({
      endedByServer: true,
      events: [
        { type: 'MODIFIED' },
        { type: 'DELETED' },
        { type: 'ADDED' },
        {
          type: 'BOOKMARK',
          object: {
            kind: 'Application',
            apiVersion: 'argoproj.io/v1alpha1',
            metadata: { resourceVersion: '<rv>' },
          },
        },
      ],
    });
    expect(ref('continue a list from before compaction').status).toBe(410);
    expect(ref('exact list at a compacted resourceVersion').status).toBe(410);
  });
});

async function installGitOpsCrds(real: Target) {
  // As upstream defines them: Argo CD's Application has no status
  // subresource (`subresources: {}`), Flux's Kustomization has one.
  const crds = [
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Application',
      plural: 'applications',
      status: false,
    },
    {
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      kind: 'Kustomization',
      plural: 'kustomizations',
      status: true,
    },
  ];
  for (const c of crds) {
    const answer = await send(real, {
      method: 'POST',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${c.plural}.${c.group}` },
        spec: {
          group: c.group,
          scope: 'Namespaced',
          names: {
            kind: c.kind,
            plural: c.plural,
            singular: c.kind.toLowerCase(),
            listKind: `${c.kind}List`,
          },
          versions: [
            {
              name: c.version,
              served: true,
              storage: true,
              subresources: c.status ? { status: {} } : {},
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  'x-kubernetes-preserve-unknown-fields': true,
                },
              },
            },
          ],
        },
      },
    });
    if (answer.status !== 201)
      throw new Error(
        `CRD ${c.plural}: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
  }
  for (const c of crds) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const list = await send(real, {
        method: 'GET',
        path: `/apis/${c.group}/${c.version}/${c.plural}`,
      });
      if (list.status === 200) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${c.plural} not served in time`);
      await new Promise(r => setTimeout(r, 200));
    }
  }
}
