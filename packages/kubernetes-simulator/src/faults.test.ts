import {
  AppsV1Api,
  CoreV1Api,
  Observable,
  VersionApi,
  Watch,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
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

// Real HTTP and real timers: leave room for a busy CI machine.

/** Per-request options that abort the request after `ms`, as a client timeout. */
function withTimeout(ms: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(ms));
          return new Observable(Promise.resolve(ctx));
        },
        post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

describe('authentication, RBAC, faults and counters', () => {
  let sim: KubernetesSimulator;
  let core: CoreV1Api;

  beforeEach(async () => {
    sim = await startSimulator();
    core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    sim.apply(
      workloadObjects({
        name: 'web',
        namespace: 'shop',
        replicas: 2,
        image: 'web:1',
      }),
    );
  });

  afterEach(async () => {
    await sim.stop();
  });

  it('answers 401 Unauthorized without a token or with a wrong one', async () => {
    const anonymous = kubeConfigFor(sim, null).makeApiClient(CoreV1Api);
    await expect(
      anonymous.listNamespacedPod({ namespace: 'shop' }),
    ).rejects.toMatchObject({
      code: 401,
    });
    const wrong = kubeConfigFor(sim, 'not-the-token').makeApiClient(VersionApi);
    await expect(wrong.getCode()).rejects.toMatchObject({ code: 401 });
    const res = await simFetch(sim, `/api/v1/pods`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('answers 403 Forbidden with the RBAC message for a forbidden resource', async () => {
    sim.forbid({ resource: 'secrets' });
    sim.forbid({ resource: 'events', namespace: 'shop' });
    const secrets = await core
      .listNamespacedSecret({ namespace: 'shop' })
      .then(resolvedInstead, apiError);
    expect(secrets).toEqual({
      code: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'secrets is forbidden: User "system:serviceaccount:paved:reader" cannot list resource "secrets" in API group "" in the namespace "shop"',
        reason: 'Forbidden',
        details: { kind: 'secrets' },
        code: 403,
      },
    });
    const clusterEvents = await core
      .listEventForAllNamespaces()
      .then(resolvedInstead, apiError);
    expect(clusterEvents.code).toBe(403);
    expect(clusterEvents.body.message).toBe(
      'events is forbidden: User "system:serviceaccount:paved:reader" cannot list resource "events" in API group "" at the cluster scope',
    );
    await expect(
      core.listNamespacedEvent({ namespace: 'other' }),
    ).resolves.toMatchObject({
      kind: 'EventList',
    });
    let watchError: any;
    await new Watch(kubeConfigFor(sim)).watch(
      '/api/v1/namespaces/shop/events',
      {},
      () => undefined,
      err => {
        watchError = err;
      },
    );
    await waitFor('watch refusal', () => watchError);
    expect(watchError.statusCode).toBe(403);
    sim.allowAll();
    await expect(core.listEventForAllNamespaces()).resolves.toBeDefined();
  });

  it('adds the configured latency to every request and before a watch starts', async () => {
    sim.faults.latencyMs = 120;
    const started = Date.now();
    await core.listNamespacedPod({ namespace: 'shop' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);

    const watchStarted = Date.now();
    const controller = await new Watch(kubeConfigFor(sim)).watch(
      '/api/v1/pods',
      { resourceVersion: sim.resourceVersion },
      () => undefined,
      () => undefined,
    );
    expect(Date.now() - watchStarted).toBeGreaterThanOrEqual(120);
    controller.abort();
  });

  it('fails the next requests with failNext, then recovers', async () => {
    sim.faults.failNext({ count: 2, status: 503 });
    const first = await core
      .listNamespacedPod({ namespace: 'shop' })
      .then(resolvedInstead, apiError);
    expect(first).toMatchObject({
      code: 503,
      body: { kind: 'Status', reason: 'ServiceUnavailable', code: 503 },
    });
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }),
    ).rejects.toMatchObject({
      code: 503,
    });
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }),
    ).resolves.toBeDefined();

    sim.faults.failNext({ status: 500, resource: 'deployments' });
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }),
    ).resolves.toBeDefined();
    const apps = kubeConfigFor(sim).makeApiClient(AppsV1Api);
    const failed = await apps
      .listNamespacedDeployment({ namespace: 'shop' })
      .then(resolvedInstead, apiError);
    expect(failed).toMatchObject({
      code: 500,
      body: { reason: 'InternalError' },
    });
  });

  it('refuses connections while down, cuts watches, and comes back on the same port', async () => {
    const url = sim.url;
    let watchEnded = false;
    await new Watch(kubeConfigFor(sim)).watch(
      '/api/v1/pods',
      { resourceVersion: sim.resourceVersion },
      () => undefined,
      () => {
        watchEnded = true;
      },
    );
    await sim.faults.setDown(true);
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await waitFor('the watch to be cut', () => watchEnded);

    await sim.faults.setDown(false);
    expect(sim.url).toBe(url);
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }),
    ).resolves.toMatchObject({
      kind: 'PodList',
    });
  });

  it('hangs requests until the client times out', async () => {
    sim.faults.hang(true);
    const started = Date.now();
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }, withTimeout(300)),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    sim.faults.hang(false);
    await expect(
      core.listNamespacedPod({ namespace: 'shop' }),
    ).resolves.toBeDefined();
  });

  it('counts the requests it served by verb and resource', async () => {
    sim.counters.reset();
    const pods = await core.listNamespacedPod({ namespace: 'shop' });
    await core.listPodForAllNamespaces();
    await core.readNamespacedPod({
      namespace: 'shop',
      name: pods.items[0].metadata!.name!,
    });
    await core.readNamespacedPodLog({
      namespace: 'shop',
      name: pods.items[0].metadata!.name!,
    });
    await kubeConfigFor(sim).makeApiClient(VersionApi).getCode();
    await kubeConfigFor(sim)
      .makeApiClient(AppsV1Api)
      .listDeploymentForAllNamespaces();
    const controller = await new Watch(kubeConfigFor(sim)).watch(
      '/api/v1/pods',
      { resourceVersion: sim.resourceVersion },
      () => undefined,
      () => undefined,
    );
    controller.abort();
    // Answered with 401, so counted too (byStatus tells the outcome).
    await simFetch(sim, `/api/v1/pods`);

    expect(sim.counters.snapshot()).toEqual({
      total: 8,
      byVerb: {
        list: 4,
        get: 1,
        watch: 1,
        log: 1,
        discovery: 1,
        create: 0,
        update: 0,
        patch: 0,
        delete: 0,
        deletecollection: 0,
      },
      byResource: { pods: 5, 'pods/log': 1, deployments: 1 },
      byStatus: { 200: 7, 401: 1 },
    });
    sim.counters.reset();
    expect(sim.counters.total).toBe(0);
  });
});
