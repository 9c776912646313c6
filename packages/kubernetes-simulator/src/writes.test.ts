import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubernetesSimulator } from './KubernetesSimulator';
import { workloadObjects } from './fleet';
import {
  apiError,
  kubeConfigFor,
  resolvedInstead,
  simFetch,
  startSimulator,
} from './__testUtils__/kube';
import { waitFor } from '@paved/test-timing';

const AUTH = { authorization: 'Bearer test-token' };
const JSON_BODY = { ...AUTH, 'content-type': 'application/json' };

function pod(name: string, extra: Record<string, any> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' }, ...extra.metadata },
    spec: {
      containers: [
        { name: 'web', image: 'web:1' },
        { name: 'sidecar', image: 'proxy:1' },
      ],
      ...extra.spec,
    },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

describe('KubernetesSimulator writes over HTTPS', () => {
  let sim: KubernetesSimulator;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;

  beforeEach(async () => {
    sim = await startSimulator({ name: 'writes' });
    sim.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    const kc = kubeConfigFor(sim);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
  });

  afterEach(async () => {
    await sim.stop();
  });

  const send = (method: string, path: string, body?: unknown, type?: string) =>
    simFetch(sim, path, {
      method,
      headers: { ...AUTH, 'content-type': type ?? 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  describe('create', () => {
    it('creates with server-set uid, creationTimestamp, resourceVersion, generation and status, and answers 201', async () => {
      const before = Number(sim.resourceVersion);
      const res = await send('POST', '/api/v1/namespaces/shop/pods', {
        ...pod('web-1', {
          metadata: { uid: 'mine', creationTimestamp: '2001-01-01T00:00:00Z' },
          status: { phase: 'Running' },
        }),
      });
      expect(res.status).toBe(201);
      const created = await res.json();
      expect(created.metadata).toMatchObject({
        name: 'web-1',
        namespace: 'shop',
        generation: 1,
        resourceVersion: String(before + 1),
      });
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata.creationTimestamp).not.toBe(
        '2001-01-01T00:00:00Z',
      );
      // PrepareForCreate: a new pod is Pending, whatever status was sent.
      expect(created.status).toEqual({
        phase: 'Pending',
        qosClass: 'BestEffort',
      });
      expect(sim.get('v1', 'Pod', 'shop', 'web-1')?.metadata.uid).toBe(
        created.metadata.uid,
      );
    });

    it('creates through client-node, from YAML, and with generateName', async () => {
      const created = await core.createNamespacedPod({
        namespace: 'shop',
        body: pod('web-2') as any,
      });
      expect(created.metadata?.resourceVersion).toBe(sim.resourceVersion);

      const yaml = await simFetch(sim, '/api/v1/namespaces/shop/configmaps', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/yaml' },
        body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
      });
      expect(yaml.status).toBe(201);
      expect((await yaml.json()).data).toEqual({ a: '1' });

      const generated = await send('POST', '/api/v1/namespaces/shop/pods', {
        ...pod(''),
        metadata: { generateName: 'web-' },
      });
      expect(generated.status).toBe(201);
      const body = await generated.json();
      expect(body.metadata.name).toMatch(
        /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
      );
      expect(body.metadata.generateName).toBe('web-');
    });

    it('answers 409 AlreadyExists, 404 for a missing namespace, 400 for a namespace mismatch', async () => {
      await send('POST', '/api/v1/namespaces/shop/pods', pod('web-1'));
      const again = await send(
        'POST',
        '/api/v1/namespaces/shop/pods',
        pod('web-1'),
      );
      expect(again.status).toBe(409);
      expect(await again.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'pods "web-1" already exists',
        reason: 'AlreadyExists',
        details: { name: 'web-1', kind: 'pods' },
        code: 409,
      });
      const deployment = workloadObjects({
        name: 'api',
        namespace: 'shop',
        replicas: 1,
        image: 'api:1',
      }).find(o => o.kind === 'Deployment')!;
      const path = '/apis/apps/v1/namespaces/shop/deployments';
      expect((await send('POST', path, deployment)).status).toBe(201);
      const dup = await (await send('POST', path, deployment)).json();
      expect(dup).toMatchObject({
        message: 'deployments.apps "api" already exists',
        details: { name: 'api', group: 'apps', kind: 'deployments' },
      });

      const missing = await send(
        'POST',
        '/api/v1/namespaces/nowhere/pods',
        pod('x'),
      );
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        reason: 'NotFound',
        message: 'namespaces "nowhere" not found',
        details: { name: 'nowhere', kind: 'namespaces' },
      });

      const mismatch = await send('POST', '/api/v1/namespaces/shop/pods', {
        ...pod('x'),
        metadata: { name: 'x', namespace: 'default' },
      });
      expect(mismatch.status).toBe(400);
      expect((await mismatch.json()).message).toBe(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    });

    it('answers 422 Invalid with causes for a bad name, and 500 for a resourceVersion on create', async () => {
      const bad = await send(
        'POST',
        '/api/v1/namespaces/shop/pods',
        pod('Web_1'),
      );
      expect(bad.status).toBe(422);
      const body = await bad.json();
      expect(body).toMatchObject({
        reason: 'Invalid',
        code: 422,
        details: {
          name: 'Web_1',
          kind: 'Pod',
          causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
        },
      });
      expect(body.message).toMatch(
        /^Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain/,
      );
      const unnamed = await (
        await send('POST', '/api/v1/namespaces/shop/pods', {
          ...pod(''),
          metadata: {},
        })
      ).json();
      expect(unnamed.message).toBe(
        'Pod "" is invalid: metadata.name: Required value: name or generateName is required',
      );
      const withRv = await send('POST', '/api/v1/namespaces/shop/pods', {
        ...pod('x'),
        metadata: { name: 'x', resourceVersion: '5' },
      });
      expect(withRv.status).toBe(500);
      const status = await withRv.json();
      expect(status.message).toBe(
        'resourceVersion should not be set on objects to be created',
      );
      expect(status.reason).toBeUndefined();
    });

    it('answers 415 for a body it cannot decode, 400 for a wrong apiVersion, 413 beyond 3 MiB', async () => {
      const text = await simFetch(sim, '/api/v1/namespaces/shop/pods', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(text.status).toBe(415);
      expect((await text.json()).reason).toBe('UnsupportedMediaType');
      const wrong = await send('POST', '/api/v1/namespaces/shop/pods', {
        ...pod('x'),
        apiVersion: 'apps/v1',
      });
      expect(wrong.status).toBe(400);
      expect((await wrong.json()).message).toBe(
        // kube-apiserver's scheme words it so.
        'Pod in version "v1" cannot be handled as a Pod: no kind "Pod" is registered for version "apps/v1" in scheme "pkg/runtime/scheme.go:111"',
      );
      const huge = await simFetch(sim, '/api/v1/namespaces/shop/configmaps', {
        method: 'POST',
        headers: JSON_BODY,
        body: JSON.stringify({
          metadata: { name: 'big' },
          data: { a: 'x'.repeat(3 * 1024 * 1024) },
        }),
      });
      expect(huge.status).toBe(413);
      expect((await huge.json()).reason).toBe('RequestEntityTooLarge');
    });

    it('does not store a dry run', async () => {
      const res = await send(
        'POST',
        '/api/v1/namespaces/shop/configmaps?dryRun=All',
        { metadata: { name: 'dry' } },
      );
      expect(res.status).toBe(201);
      expect(sim.get('v1', 'ConfigMap', 'shop', 'dry')).toBeUndefined();
    });
  });

  describe('update and patch', () => {
    let deployment: any;
    const path = '/apis/apps/v1/namespaces/shop/deployments/api';

    beforeEach(async () => {
      const d = workloadObjects({
        name: 'api',
        namespace: 'shop',
        replicas: 1,
        image: 'api:1',
      }).find(o => o.kind === 'Deployment')!;
      deployment = await apps.createNamespacedDeployment({
        namespace: 'shop',
        body: d as any,
      });
    });

    it('answers 409 Conflict to a stale resourceVersion, and bumps generation only for spec and annotations', async () => {
      expect(deployment.metadata.generation).toBe(1);
      expect(deployment.status).toEqual({});
      const labelled = await apps.replaceNamespacedDeployment({
        name: 'api',
        namespace: 'shop',
        body: {
          ...deployment,
          metadata: { ...deployment.metadata, labels: { tier: 'api' } },
          // The main resource ignores status.
          status: { replicas: 7 },
        },
      });
      expect(labelled.metadata?.generation).toBe(1);
      expect(labelled.status).toEqual({});
      expect(Number(labelled.metadata?.resourceVersion)).toBeGreaterThan(
        Number(deployment.metadata.resourceVersion),
      );

      const stale = await send('PUT', path, {
        ...deployment,
        spec: { ...deployment.spec, replicas: 3 },
      });
      expect(stale.status).toBe(409);
      expect(await stale.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Operation cannot be fulfilled on deployments.apps "api": the object has been modified; please apply your changes to the latest version and try again',
        reason: 'Conflict',
        details: { name: 'api', group: 'apps', kind: 'deployments' },
        code: 409,
      });

      const scaled = await apps.replaceNamespacedDeployment({
        name: 'api',
        namespace: 'shop',
        body: { ...labelled, spec: { ...labelled.spec!, replicas: 3 } },
      });
      expect(scaled.metadata?.generation).toBe(2);
      const annotated = await objects.patch(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'api',
            namespace: 'shop',
            annotations: { note: 'x' },
          },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.MergePatch,
      );
      // Deployments count annotation changes too (they go to ReplicaSets).
      expect((annotated.metadata as any).generation).toBe(3);
    });

    it('does not write an update that changes nothing: same resourceVersion, no watch event', async () => {
      const events: string[] = [];
      const controller = await new Watch(kubeConfigFor(sim)).watch(
        '/apis/apps/v1/namespaces/shop/deployments',
        { resourceVersion: deployment.metadata.resourceVersion },
        type => events.push(type),
        () => undefined,
      );
      const same = await apps.replaceNamespacedDeployment({
        name: 'api',
        namespace: 'shop',
        body: deployment,
      });
      expect(same.metadata?.resourceVersion).toBe(
        deployment.metadata.resourceVersion,
      );
      await apps.patchNamespacedDeployment(
        { name: 'api', namespace: 'shop', body: { spec: { replicas: 5 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await waitFor('one MODIFIED', () => events.length === 1);
      controller.abort();
      expect(events).toEqual(['MODIFIED']);
    });

    it('answers 404 to an update of a missing object, but PUT creates a Service', async () => {
      const missing = await send(
        'PUT',
        '/api/v1/namespaces/shop/configmaps/none',
        { metadata: { name: 'none' } },
      );
      expect(missing.status).toBe(404);
      expect((await missing.json()).message).toBe(
        'configmaps "none" not found',
      );
      const svc = await send('PUT', '/api/v1/namespaces/shop/services/front', {
        metadata: { name: 'front' },
        spec: { ports: [{ port: 80 }] },
      });
      expect(svc.status).toBe(201);
      expect((await svc.json()).status).toEqual({ loadBalancer: {} });
      const renamed = await send(
        'PUT',
        '/api/v1/namespaces/shop/services/front',
        { metadata: { name: 'back' } },
      );
      expect(renamed.status).toBe(400);
      expect((await renamed.json()).message).toBe(
        'the name of the object (back) does not match the name on the URL (front)',
      );
    });

    it('patches with merge, strategic merge (lists by merge key) and JSON patch', async () => {
      await core.createNamespacedPod({
        namespace: 'shop',
        body: pod('p') as any,
      });
      const strategic = await core.patchNamespacedPod(
        {
          name: 'p',
          namespace: 'shop',
          body: {
            metadata: { labels: { version: '2' } },
            spec: { containers: [{ name: 'web', image: 'web:2' }] },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      expect(strategic.spec?.containers.map(c => [c.name, c.image])).toEqual([
        ['web', 'web:2'],
        ['sidecar', 'proxy:1'],
      ]);
      expect(strategic.metadata?.labels).toEqual({ app: 'web', version: '2' });
      expect(strategic.metadata?.generation).toBe(2);

      // A merge patch replaces lists: dropping the sidecar is a forbidden pod update.
      const merge = await send(
        'PATCH',
        '/api/v1/namespaces/shop/pods/p',
        { spec: { containers: [{ name: 'web', image: 'web:3' }] } },
        'application/merge-patch+json',
      );
      expect(merge.status).toBe(422);
      expect((await merge.json()).message).toMatch(
        /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than/,
      );

      const json = await core.patchNamespacedPod({
        name: 'p',
        namespace: 'shop',
        // client-node's default patch type is application/json-patch+json.
        body: [
          { op: 'test', path: '/spec/containers/1/name', value: 'sidecar' },
          { op: 'replace', path: '/spec/containers/1/image', value: 'proxy:2' },
          { op: 'add', path: '/metadata/annotations', value: { a: 'b' } },
        ],
      });
      expect(json.spec?.containers[1].image).toBe('proxy:2');
      expect(json.metadata?.annotations).toEqual({ a: 'b' });
      const failed = await send(
        'PATCH',
        '/api/v1/namespaces/shop/pods/p',
        [{ op: 'test', path: '/spec/containers/0/image', value: 'nope' }],
        'application/json-patch+json',
      );
      expect(failed.status).toBe(422);
      expect(await failed.json()).toMatchObject({
        reason: 'Invalid',
        message:
          'the server rejected our request due to an error in our request',
      });
      const odd = await send(
        'PATCH',
        '/api/v1/namespaces/shop/pods/p',
        {},
        'application/foo',
      );
      expect(odd.status).toBe(415);
      expect((await odd.json()).message).toBe('415: Unsupported Media Type');

      const stale = await send(
        'PATCH',
        '/api/v1/namespaces/shop/pods/p',
        { metadata: { resourceVersion: '1', labels: { x: 'y' } } },
        'application/merge-patch+json',
      );
      expect(stale.status).toBe(409);
      const unknown = await send(
        'PATCH',
        '/api/v1/namespaces/shop/pods/p',
        {},
        'application/apply-patch+yaml',
      );
      expect(unknown.status).toBe(415);
      expect((await unknown.json()).message).toBe(
        'server-side apply (application/apply-patch+yaml) is not served by the Paved Kubernetes simulator: use a JSON, merge or strategic merge patch, or an update',
      );
    });

    it('changes only status through the status subresource, and not the generation', async () => {
      const res = await send('PUT', `${path}/status`, {
        ...deployment,
        metadata: { ...deployment.metadata, labels: { ignored: 'yes' } },
        spec: { ...deployment.spec, replicas: 9 },
        status: { replicas: 1, readyReplicas: 1, observedGeneration: 1 },
      });
      expect(res.status).toBe(200);
      const updated = await res.json();
      expect(updated.status).toEqual({
        replicas: 1,
        readyReplicas: 1,
        observedGeneration: 1,
      });
      expect(updated.spec.replicas).toBe(1);
      expect(updated.metadata.labels).toEqual(deployment.metadata.labels);
      expect(updated.metadata.generation).toBe(1);

      const patched = await apps.patchNamespacedDeploymentStatus(
        {
          name: 'api',
          namespace: 'shop',
          body: { status: { availableReplicas: 1 }, spec: { replicas: 4 } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(patched.status?.availableReplicas).toBe(1);
      expect(patched.spec?.replicas).toBe(1);
      const read = await apps.readNamespacedDeploymentStatus({
        name: 'api',
        namespace: 'shop',
      });
      expect(read.status?.availableReplicas).toBe(1);
    });
  });

  describe('custom resources', () => {
    const kustomizations =
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/shop/kustomizations';
    const applications =
      '/apis/argoproj.io/v1alpha1/namespaces/shop/applications';

    it('drops status on create, needs a resourceVersion to update, refuses strategic merge patches', async () => {
      const created = await (
        await send('POST', kustomizations, {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'apps' },
          spec: { interval: '5m', path: './apps' },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        })
      ).json();
      expect(created.status).toBeUndefined();
      expect(created.metadata.generation).toBe(1);
      const { resourceVersion: _rv, ...withoutRv } = created.metadata;
      const unconditional = await send('PUT', `${kustomizations}/apps`, {
        ...created,
        metadata: withoutRv,
      });
      expect(unconditional.status).toBe(422);
      expect((await unconditional.json()).message).toBe(
        'Kustomization.kustomize.toolkit.fluxcd.io "apps" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
      );
      const strategic = await send(
        'PATCH',
        `${kustomizations}/apps`,
        { spec: { path: './b' } },
        'application/strategic-merge-patch+json',
      );
      expect(strategic.status).toBe(415);
      const status = await send(
        'PATCH',
        `${kustomizations}/apps/status`,
        {
          spec: { path: './ignored' },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
        'application/merge-patch+json',
      );
      const withStatus = await status.json();
      expect(withStatus.spec.path).toBe('./apps');
      expect(withStatus.status.conditions[0].type).toBe('Ready');
      expect(withStatus.metadata.generation).toBe(1);
    });

    it('stores an Argo CD Application status with the object (no status subresource), bumping the generation', async () => {
      const created = await (
        await send('POST', applications, {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'shop' },
          spec: { project: 'default' },
          status: { sync: { status: 'Synced' } },
        })
      ).json();
      expect(created.status).toEqual({ sync: { status: 'Synced' } });
      const updated = await (
        await send(
          'PATCH',
          `${applications}/shop`,
          { status: { sync: { status: 'OutOfSync' } } },
          'application/merge-patch+json',
        )
      ).json();
      expect(updated.status.sync.status).toBe('OutOfSync');
      expect(updated.metadata.generation).toBe(2);
      expect((await send('GET', `${applications}/shop/status`)).status).toBe(
        404,
      );
    });
  });

  describe('delete', () => {
    it('answers a Status for a Deployment and lets the garbage collector delete its ReplicaSet and pods', async () => {
      sim.apply(
        workloadObjects({
          name: 'api',
          namespace: 'shop',
          replicas: 2,
          image: 'api:1',
        }),
      );
      const deployment = sim.get('apps/v1', 'Deployment', 'shop', 'api')!;
      const res = await send(
        'DELETE',
        '/apis/apps/v1/namespaces/shop/deployments/api',
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name: 'api',
          group: 'apps',
          kind: 'deployments',
          uid: deployment.metadata.uid,
        },
      });
      await waitFor(
        'the dependents to be collected',
        () =>
          sim.list('apps/v1', 'ReplicaSet', 'shop').length === 0 &&
          sim.list('v1', 'Pod', 'shop').length === 0,
      );
      const again = await send(
        'DELETE',
        '/apis/apps/v1/namespaces/shop/deployments/api',
      );
      expect(again.status).toBe(404);
    });

    it('orphans dependents when asked: the ReplicaSet stays, without its owner reference', async () => {
      sim.apply(
        workloadObjects({
          name: 'api',
          namespace: 'shop',
          replicas: 1,
          image: 'api:1',
        }),
      );
      const res = await send(
        'DELETE',
        '/apis/apps/v1/namespaces/shop/deployments/api',
        { propagationPolicy: 'Orphan' },
      );
      expect(res.status).toBe(200);
      const marked = await res.json();
      expect(marked.metadata.finalizers).toEqual(['orphan']);
      expect(marked.metadata.deletionTimestamp).toBeDefined();
      await waitFor(
        'the deployment to go',
        () => !sim.get('apps/v1', 'Deployment', 'shop', 'api'),
      );
      const [rs] = sim.list('apps/v1', 'ReplicaSet', 'shop');
      expect(rs.metadata.ownerReferences).toBeUndefined();
    });

    it('deletes a scheduled pod gracefully (MODIFIED with deletionTimestamp, then DELETED), an unscheduled one at once', async () => {
      const events: string[] = [];
      const controller = await new Watch(kubeConfigFor(sim)).watch(
        '/api/v1/namespaces/shop/pods',
        { resourceVersion: sim.resourceVersion },
        (type, obj) =>
          events.push(
            `${type} ${obj.metadata.name} ${
              obj.metadata.deletionTimestamp ? 'deleting' : ''
            }`.trim(),
          ),
        () => undefined,
      );
      await core.createNamespacedPod({
        namespace: 'shop',
        body: pod('scheduled', { spec: { nodeName: 'node-1' } }) as any,
      });
      await core.createNamespacedPod({
        namespace: 'shop',
        body: pod('pending') as any,
      });
      const graceful = await core.deleteNamespacedPod({
        name: 'scheduled',
        namespace: 'shop',
      });
      expect(graceful.metadata?.deletionTimestamp).toBeDefined();
      expect(graceful.metadata?.deletionGracePeriodSeconds).toBe(30);
      expect(graceful.metadata?.generation).toBe(2);
      const immediate = await core.deleteNamespacedPod({
        name: 'pending',
        namespace: 'shop',
      });
      expect(immediate.metadata?.deletionGracePeriodSeconds).toBe(0);
      await waitFor('six events', () => events.length === 6);
      controller.abort();
      expect(events.sort()).toEqual(
        [
          'ADDED scheduled',
          'ADDED pending',
          'MODIFIED scheduled deleting',
          'MODIFIED pending deleting',
          'DELETED scheduled deleting',
          'DELETED pending deleting',
        ].sort(),
      );
    });

    it('keeps an object with finalizers until the last one is removed, and refuses new ones', async () => {
      await send('POST', '/api/v1/namespaces/shop/configmaps', {
        metadata: { name: 'held', finalizers: ['paved.dev/hold'] },
      });
      const res = await send(
        'DELETE',
        '/api/v1/namespaces/shop/configmaps/held',
      );
      expect(res.status).toBe(200);
      const held = await res.json();
      expect(held.kind).toBe('ConfigMap');
      expect(held.metadata.deletionTimestamp).toBeDefined();
      expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
      const more = await send(
        'PATCH',
        '/api/v1/namespaces/shop/configmaps/held',
        { metadata: { finalizers: ['paved.dev/hold', 'paved.dev/more'] } },
        'application/merge-patch+json',
      );
      expect(more.status).toBe(422);
      expect((await more.json()).message).toContain(
        'no new finalizers can be added if the object is being deleted',
      );
      const released = await send(
        'PATCH',
        '/api/v1/namespaces/shop/configmaps/held',
        { metadata: { finalizers: null } },
        'application/merge-patch+json',
      );
      expect(released.status).toBe(200);
      expect(sim.get('v1', 'ConfigMap', 'shop', 'held')).toBeUndefined();
    });

    it('checks preconditions, and deletes collections by label', async () => {
      const cm = await (
        await send('POST', '/api/v1/namespaces/shop/configmaps', {
          metadata: { name: 'a', labels: { group: 'x' } },
        })
      ).json();
      await send('POST', '/api/v1/namespaces/shop/configmaps', {
        metadata: { name: 'b', labels: { group: 'x' } },
      });
      await send('POST', '/api/v1/namespaces/shop/configmaps', {
        metadata: { name: 'c' },
      });
      const wrong = await send(
        'DELETE',
        '/api/v1/namespaces/shop/configmaps/a',
        {
          preconditions: { uid: 'other' },
        },
      );
      expect(wrong.status).toBe(409);
      expect((await wrong.json()).message).toBe(
        `Operation cannot be fulfilled on ConfigMap "a": the UID in the precondition (other) does not match the UID in record (${cm.metadata.uid}). The object might have been deleted and then recreated`,
      );
      const collection = await send(
        'DELETE',
        '/api/v1/namespaces/shop/configmaps?labelSelector=group%3Dx',
      );
      expect(collection.status).toBe(200);
      const list = await collection.json();
      expect(list.kind).toBe('ConfigMapList');
      expect(list.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
      expect(
        sim.list('v1', 'ConfigMap', 'shop').map(c => c.metadata.name),
      ).toEqual(['c']);
    });

    it('terminates a namespace: Terminating first, its content and then itself deleted, no new content meanwhile', async () => {
      sim.apply(pod('p') as any);
      sim.apply({
        ...(pod('q') as any),
        metadata: { name: 'q', namespace: 'shop' },
      });
      const res = await core.deleteNamespace({ name: 'shop' });
      expect((res as any).status?.phase).toBe('Terminating');
      const refused = await send('POST', '/api/v1/namespaces/shop/configmaps', {
        metadata: { name: 'late' },
      });
      // The namespace controller may already be done: then the namespace is gone.
      expect([403, 404]).toContain(refused.status);
      await waitFor(
        'the namespace to go',
        () => !sim.get('v1', 'Namespace', undefined, 'shop'),
      );
      expect(sim.list('v1', 'Pod', 'shop')).toEqual([]);
      await core
        .readNamespace({ name: 'shop' })
        .then(resolvedInstead, e => expect(apiError(e).code).toBe(404));
    });
  });

  describe('access reviews', () => {
    it('answers SelfSubjectAccessReviews from the forbid rules', async () => {
      sim.forbid({ resource: 'secrets' });
      sim.forbid({ resource: 'pods', verbs: ['delete'], namespace: 'shop' });
      const authz = kubeConfigFor(sim).makeApiClient(AuthorizationV1Api);
      const ask = (resourceAttributes: Record<string, string>) =>
        authz
          .createSelfSubjectAccessReview({
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: { resourceAttributes },
            },
          })
          .then(r => r.status?.allowed);
      await expect(
        ask({ verb: 'list', resource: 'pods', namespace: 'shop' }),
      ).resolves.toBe(true);
      await expect(
        ask({ verb: 'delete', resource: 'pods', namespace: 'shop' }),
      ).resolves.toBe(false);
      await expect(
        ask({ verb: 'delete', resource: 'pods', namespace: 'other' }),
      ).resolves.toBe(true);
      await expect(ask({ verb: 'get', resource: 'secrets' })).resolves.toBe(
        false,
      );
      const denied = await send('DELETE', '/api/v1/namespaces/shop/pods/x');
      expect(denied.status).toBe(403);
      expect((await denied.json()).message).toBe(
        'pods "x" is forbidden: User "system:serviceaccount:paved:reader" cannot delete resource "pods" in API group "" in the namespace "shop"',
      );
      const whoami = await (
        await send(
          'POST',
          '/apis/authentication.k8s.io/v1/selfsubjectreviews',
          {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'SelfSubjectReview',
          },
        )
      ).json();
      expect(whoami.status.userInfo.username).toBe(
        'system:serviceaccount:paved:reader',
      );
    });
  });
});
