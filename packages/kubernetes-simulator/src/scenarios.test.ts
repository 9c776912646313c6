import {
  AppsV1Api,
  CoreV1Api,
  Watch,
  type V1Deployment,
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

describe('scenarios and logs', () => {
  let sim: KubernetesSimulator;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeEach(async () => {
    sim = await startSimulator();
    core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    apps = kubeConfigFor(sim).makeApiClient(AppsV1Api);
    sim.apply(
      workloadObjects({
        name: 'web',
        namespace: 'shop',
        replicas: 3,
        image: 'web:1',
      }),
    );
  });

  afterEach(async () => {
    await sim.stop();
  });

  const podsOf = async () =>
    (
      await core.listNamespacedPod({
        namespace: 'shop',
        labelSelector: 'app.kubernetes.io/name=web',
      })
    ).items;

  describe('pod logs', () => {
    it('serves a container log as plain text with tailLines and container', async () => {
      const [pod] = await podsOf();
      const name = pod.metadata!.name!;
      sim.appendLog({
        namespace: 'shop',
        pod: name,
        lines: ['one', 'two', 'three'],
      });
      await expect(
        core.readNamespacedPodLog({ namespace: 'shop', name }),
      ).resolves.toBe('one\ntwo\nthree\n');
      await expect(
        core.readNamespacedPodLog({
          namespace: 'shop',
          name,
          container: 'web',
          tailLines: 2,
        }),
      ).resolves.toBe('two\nthree\n');
      const res = await simFetch(
        sim,
        `/api/v1/namespaces/shop/pods/${name}/log?timestamps=true&tailLines=1`,
        { headers: { authorization: 'Bearer test-token' } },
      );
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(await res.text()).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/,
      );
    });

    it('answers 400 like the kubelet for a wrong container or a missing previous run', async () => {
      sim.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'two-containers', namespace: 'shop' },
        spec: {
          containers: [
            { name: 'app', image: 'a' },
            { name: 'sidecar', image: 'b' },
          ],
        },
      });
      const ambiguous = await core
        .readNamespacedPodLog({ namespace: 'shop', name: 'two-containers' })
        .then(resolvedInstead, apiError);
      expect(ambiguous).toMatchObject({
        code: 400,
        body: {
          reason: 'BadRequest',
          message:
            'a container name must be specified for pod two-containers, choose one of: [app sidecar]',
        },
      });
      const wrong = await core
        .readNamespacedPodLog({
          namespace: 'shop',
          name: 'two-containers',
          container: 'x',
        })
        .then(resolvedInstead, apiError);
      expect(wrong.body.message).toBe(
        'container x is not valid for pod two-containers',
      );
      const previous = await core
        .readNamespacedPodLog({
          namespace: 'shop',
          name: 'two-containers',
          container: 'app',
          previous: true,
        })
        .then(resolvedInstead, apiError);
      expect(previous.body.message).toBe(
        'previous terminated container "app" in pod "two-containers" not found',
      );
      const missing = await core
        .readNamespacedPodLog({ namespace: 'shop', name: 'nope' })
        .then(resolvedInstead, apiError);
      expect(missing).toMatchObject({
        code: 404,
        body: { message: 'pods "nope" not found' },
      });
    });
  });

  describe('rollout', () => {
    it('rolls a Deployment out step by step and ends with a consistent status', async () => {
      const before = await apps.readNamespacedDeployment({
        namespace: 'shop',
        name: 'web',
      });
      const oldRs = (await apps.listNamespacedReplicaSet({ namespace: 'shop' }))
        .items[0];
      const statuses: V1Deployment[] = [];
      const controller = await new Watch(kubeConfigFor(sim)).watch(
        '/apis/apps/v1/namespaces/shop/deployments',
        { resourceVersion: sim.resourceVersion },
        (type, obj) => type === 'MODIFIED' && statuses.push(obj),
        () => undefined,
      );

      const result = await sim.scenarios.startRollout({
        namespace: 'shop',
        deployment: 'web',
        image: 'web:2',
        stepMs: 30,
      });
      expect(result).toMatchObject({
        completed: true,
        reason: 'NewReplicaSetAvailable',
        revision: '2',
      });

      const after = await apps.readNamespacedDeployment({
        namespace: 'shop',
        name: 'web',
      });
      expect(after.metadata?.generation).toBe(
        (before.metadata?.generation ?? 0) + 1,
      );
      expect(
        after.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      ).toBe('2');
      expect(after.spec?.template.spec?.containers[0].image).toBe('web:2');
      expect(after.status).toMatchObject({
        observedGeneration: after.metadata?.generation,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      });
      expect(after.status?.unavailableReplicas).toBeUndefined();
      const conditions = Object.fromEntries(
        (after.status?.conditions ?? []).map(c => [c.type, c]),
      );
      expect(conditions.Progressing).toMatchObject({
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${result.replicaSet}" has successfully progressed.`,
      });
      expect(conditions.Available).toMatchObject({
        status: 'True',
        reason: 'MinimumReplicasAvailable',
      });

      const sets = (await apps.listNamespacedReplicaSet({ namespace: 'shop' }))
        .items;
      const newRs = sets.find(s => s.metadata?.name === result.replicaSet)!;
      expect(newRs.metadata?.name).not.toBe(oldRs.metadata?.name);
      expect(newRs.metadata?.labels?.['pod-template-hash']).not.toBe(
        oldRs.metadata?.labels?.['pod-template-hash'],
      );
      expect(newRs.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Deployment',
        name: 'web',
        uid: after.metadata?.uid,
        controller: true,
      });
      expect(newRs.status).toMatchObject({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      });
      const old = sets.find(s => s.metadata?.name === oldRs.metadata?.name)!;
      expect(old.spec?.replicas).toBe(0);
      expect(old.status?.replicas).toBe(0);

      const pods = await podsOf();
      expect(pods).toHaveLength(3);
      for (const pod of pods) {
        expect(pod.spec?.containers[0].image).toBe('web:2');
        expect(pod.metadata?.ownerReferences?.[0].uid).toBe(
          newRs.metadata?.uid,
        );
        expect(pod.metadata?.labels?.['pod-template-hash']).toBe(
          newRs.metadata?.labels?.['pod-template-hash'],
        );
        expect(
          pod.status?.conditions?.find(c => c.type === 'Ready')?.status,
        ).toBe('True');
      }

      // Watchers saw the rollout in progress, not only its end.
      await waitFor('a watcher to see the new replica set available', () =>
        statuses.some(d =>
          d.status?.conditions?.some(
            c =>
              c.reason === 'NewReplicaSetAvailable' &&
              d.metadata?.generation === 2,
          ),
        ),
      );
      expect(
        statuses.some(
          d =>
            d.status?.conditions?.some(c => c.reason === 'ReplicaSetUpdated') &&
            (d.status?.updatedReplicas ?? 0) < 3,
        ),
      ).toBe(true);
      const scaling = await core.listNamespacedEvent({
        namespace: 'shop',
        fieldSelector:
          'involvedObject.kind=Deployment,reason=ScalingReplicaSet',
      });
      expect(scaling.items.length).toBeGreaterThanOrEqual(2);
      controller.abort();
    });

    it('gets stuck in ImagePullBackOff and reports ProgressDeadlineExceeded', async () => {
      const result = await sim.scenarios.stuckRollout({
        namespace: 'shop',
        deployment: 'web',
        image: 'web:does-not-exist',
        stepMs: 20,
        progressDeadlineMs: 250,
      });
      expect(result).toMatchObject({
        completed: false,
        reason: 'ProgressDeadlineExceeded',
      });
      const deployment = await apps.readNamespacedDeployment({
        namespace: 'shop',
        name: 'web',
      });
      expect(
        deployment.status?.conditions?.find(c => c.type === 'Progressing'),
      ).toMatchObject({
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${result.replicaSet}" has timed out progressing.`,
      });
      expect(deployment.status?.availableReplicas).toBe(3);
      const stuck = (await podsOf()).filter(
        p => p.spec?.containers[0].image === 'web:does-not-exist',
      );
      expect(stuck.length).toBeGreaterThan(0);
      expect(
        stuck[0].status?.containerStatuses?.[0].state?.waiting?.reason,
      ).toBe('ImagePullBackOff');
      const pull = await core.listNamespacedEvent({
        namespace: 'shop',
        fieldSelector: `involvedObject.name=${stuck[0].metadata?.name},type=Warning`,
      });
      expect(pull.items.map(e => e.reason).sort()).toEqual([
        'BackOff',
        'Failed',
      ]);
    });
  });

  describe('crash loop', () => {
    it('increments restarts, waits in CrashLoopBackOff and emits a BackOff event', async () => {
      const [pod] = await podsOf();
      const name = pod.metadata!.name!;
      const loop = sim.scenarios.crashLoop({
        namespace: 'shop',
        pod: name,
        intervalMs: 60,
      });
      await waitFor('three restarts', async () => {
        const current = await core.readNamespacedPod({
          namespace: 'shop',
          name,
        });
        return (current.status?.containerStatuses?.[0].restartCount ?? 0) >= 3;
      });
      loop.stop();
      expect(loop.restarts).toBeGreaterThanOrEqual(3);

      const current = await core.readNamespacedPod({ namespace: 'shop', name });
      const status = current.status!.containerStatuses![0];
      expect(status.ready).toBe(false);
      expect(status.state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(status.state?.waiting?.message).toContain(
        `restarting failed container=web pod=${name}_shop(`,
      );
      expect(status.lastState?.terminated).toMatchObject({
        reason: 'Error',
        exitCode: 1,
      });
      expect(status.lastState?.terminated?.finishedAt).toBeInstanceOf(Date);

      const events = await core.listNamespacedEvent({
        namespace: 'shop',
        fieldSelector: `involvedObject.name=${name},involvedObject.kind=Pod,type=Warning`,
      });
      expect(events.items).toHaveLength(1);
      const [event] = events.items;
      expect(event).toMatchObject({
        reason: 'BackOff',
        message: `Back-off restarting failed container web in pod ${name}_shop(${pod.metadata?.uid})`,
        involvedObject: {
          kind: 'Pod',
          name,
          namespace: 'shop',
          uid: pod.metadata?.uid,
        },
      });
      expect(event.count).toBe(status.restartCount);
      expect(event.lastTimestamp).toBeInstanceOf(Date);

      const deployment = await apps.readNamespacedDeployment({
        namespace: 'shop',
        name: 'web',
      });
      expect(deployment.status).toMatchObject({
        replicas: 3,
        readyReplicas: 2,
        unavailableReplicas: 1,
      });

      const log = await core.readNamespacedPodLog({ namespace: 'shop', name });
      expect(log).toContain('FATAL giving up after 3 attempts');
      const previous = await core.readNamespacedPodLog({
        namespace: 'shop',
        name,
        previous: true,
      });
      expect(previous).toContain('ERROR failed to connect');
    });

    it('reports OOMKilled with exit code 137', async () => {
      const [pod] = await podsOf();
      const name = pod.metadata!.name!;
      const loop = sim.scenarios.crashLoop({
        namespace: 'shop',
        pod: name,
        reason: 'OOMKilled',
        intervalMs: 10_000,
      });
      loop.stop();
      const current = await core.readNamespacedPod({ namespace: 'shop', name });
      expect(current.status?.containerStatuses?.[0]).toMatchObject({
        restartCount: 1,
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
      });
    });
  });
});
