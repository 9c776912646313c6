import {
  CoreV1Api,
  makeInformer,
  Watch,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import type { KubernetesSimulator } from './KubernetesSimulator';
import { workloadObjects } from './fleet';
import type { KubeObject } from './store';
import { kubeConfigFor, simFetch, startSimulator } from './__testUtils__/kube';
import { waitFor } from '@paved/test-timing';

// Real HTTP and real timers: leave room for a busy CI machine.

type Seen = { type: string; object: any };

function pod(
  name: string,
  namespace: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
    status: { phase: 'Pending' },
  };
}

describe('watch', () => {
  let sim: KubernetesSimulator;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const open: AbortController[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ bookmarkIntervalMs: 50 });
    kc = kubeConfigFor(sim);
    core = kc.makeApiClient(CoreV1Api);
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
    open.splice(0).forEach(c => c.abort());
    await sim.stop();
  });

  async function watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onDone?: (err: unknown) => void,
  ): Promise<Seen[]> {
    const seen: Seen[] = [];
    const controller = await new Watch(kc).watch(
      path,
      query,
      (type, object) => seen.push({ type, object }),
      err => onDone?.(err),
    );
    open.push(controller);
    return seen;
  }

  it('delivers ADDED, MODIFIED and DELETED in order, filtered by namespace and labels', async () => {
    const list = await core.listNamespacedPod({ namespace: 'shop' });
    const seen = await watch('/api/v1/namespaces/shop/pods', {
      resourceVersion: list.metadata?.resourceVersion,
      labelSelector: 'team=a',
    });
    sim.apply(pod('other-namespace', 'elsewhere', { team: 'a' }));
    sim.apply(pod('other-team', 'shop', { team: 'b' }));
    sim.apply(pod('mine', 'shop', { team: 'a' }));
    sim.update('v1', 'Pod', 'shop', 'mine', p => {
      p.status.phase = 'Running';
    });
    sim.delete('v1', 'Pod', 'shop', 'mine');

    await waitFor('three events', () => seen.length >= 3);
    expect(seen.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED mine',
      'MODIFIED mine',
      'DELETED mine',
    ]);
    expect(seen[1].object.status.phase).toBe('Running');
    const versions = seen.map(e => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
  });

  it('replays the events after the given resourceVersion', async () => {
    const list = await core.listNamespacedPod({ namespace: 'shop' });
    sim.apply(pod('while-away', 'shop'));
    const seen = await watch('/api/v1/namespaces/shop/pods', {
      resourceVersion: list.metadata?.resourceVersion,
    });
    await waitFor('the replayed ADDED event', () => seen.length >= 1);
    expect(seen[0]).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'while-away' } },
    });
  });

  it('starts with synthetic ADDED events for resourceVersion 0 or none', async () => {
    const fromZero = await watch('/api/v1/pods', { resourceVersion: '0' });
    const fromNone = await watch('/api/v1/namespaces/shop/pods', {});
    await waitFor(
      'the synthetic ADDED events',
      () => fromZero.length >= 2 && fromNone.length >= 2,
    );
    expect(fromZero.map(e => e.type)).toEqual(['ADDED', 'ADDED']);
    sim.apply(pod('later', 'shop'));
    await waitFor('the later ADDED event', () => fromNone.length >= 3);
    expect(fromNone[2]).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'later' } },
    });
  });

  it('sends DELETED when an object stops matching the selector and ADDED when it starts', async () => {
    sim.apply(pod('flip', 'shop', { tier: 'x' }));
    const seen = await watch('/api/v1/namespaces/shop/pods', {
      resourceVersion: sim.resourceVersion,
      labelSelector: 'tier=x',
    });
    sim.update('v1', 'Pod', 'shop', 'flip', p => {
      p.metadata.labels = { tier: 'y' };
    });
    sim.update('v1', 'Pod', 'shop', 'flip', p => {
      p.metadata.labels = { tier: 'x' };
    });
    await waitFor(
      'DELETED and ADDED for the label flip',
      () => seen.length >= 2,
    );
    expect(seen.map(e => e.type)).toEqual(['DELETED', 'ADDED']);
  });

  it('sends BOOKMARK events when allowed, only when the resourceVersion moved on', async () => {
    const seen = await watch('/apis/apps/v1/deployments', {
      resourceVersion: sim.resourceVersion,
      allowWatchBookmarks: true,
    });
    // Nothing changed: no bookmark (kube-apiserver sends none without progress).
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(seen).toEqual([]);
    // A change elsewhere (a pod) moves the resourceVersion on: a bookmark says so.
    sim.apply(pod('elsewhere', 'shop'));
    await waitFor('a BOOKMARK event', () =>
      seen.some(e => e.type === 'BOOKMARK'),
    );
    const bookmark = seen.find(e => e.type === 'BOOKMARK')!.object;
    expect(bookmark).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { resourceVersion: sim.resourceVersion },
    });
    // And then no more while nothing changes.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(seen.filter(e => e.type === 'BOOKMARK')).toHaveLength(1);
    const without = await watch('/apis/apps/v1/deployments', {
      resourceVersion: sim.resourceVersion,
    });
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(without).toEqual([]);
  });

  it('answers a watch from a compacted resourceVersion with one ERROR 410 Expired event, then ends', async () => {
    const list = await core.listNamespacedPod({ namespace: 'shop' });
    sim.apply(pod('newer', 'shop'));
    sim.compact();
    let ended = false;
    let doneError: unknown = 'not called';
    const seen = await watch(
      '/api/v1/namespaces/shop/pods',
      { resourceVersion: list.metadata?.resourceVersion },
      err => {
        ended = true;
        doneError = err;
      },
    );
    await waitFor('the watch to end', () => ended);
    expect(doneError).toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${list.metadata?.resourceVersion} (${sim.resourceVersion})`,
        reason: 'Expired',
        code: 410,
      },
    });
  });

  it('closes the watch after timeoutSeconds', async () => {
    let ended = false;
    const started = Date.now();
    await watch(
      '/api/v1/pods',
      { resourceVersion: sim.resourceVersion, timeoutSeconds: 1 },
      () => {
        ended = true;
      },
    );
    await waitFor('timeout', () => ended);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('streams chunked JSON lines for watch=1', async () => {
    const res = await simFetch(
      sim,
      `/api/v1/namespaces/shop/pods?watch=1&timeoutSeconds=1`,
      {
        headers: { authorization: 'Bearer test-token' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(l => l.type)).toEqual(['ADDED', 'ADDED']);
  });

  it('lets an informer recover from 410 by relisting, ending with the right cache', async () => {
    const informer = makeInformer<V1Pod>(
      kc,
      '/api/v1/namespaces/shop/pods',
      () => core.listNamespacedPod({ namespace: 'shop' }),
    );
    const added: string[] = [];
    const deleted: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', p => added.push(p.metadata!.name!));
    informer.on('delete', p => deleted.push(p.metadata!.name!));
    informer.on('error', err => errors.push(err));
    await informer.start();
    await waitFor('the first watch', () => sim.counters.byVerb.watch >= 1);
    expect(informer.list('shop')).toHaveLength(2);
    const [gone] = sim.list('v1', 'Pod', 'shop');

    // The apiserver ends the watch (as on its timeout); before the informer
    // is back, pods change and history is compacted, so its resourceVersion
    // is too old: it gets ERROR 410 and must relist.
    expect(sim.faults.closeWatches()).toBe(1);
    sim.delete('v1', 'Pod', 'shop', gone.metadata.name);
    sim.apply(pod('arrived', 'shop'));
    sim.compact();

    await waitFor(
      'relist',
      () => deleted.length === 1 && added.includes('arrived'),
    );
    expect(deleted).toEqual([gone.metadata.name]);
    const cached = informer
      .list('shop')
      .map(p => p.metadata!.name)
      .sort();
    const actual = sim
      .list('v1', 'Pod', 'shop')
      .map(p => p.metadata.name)
      .sort();
    expect(cached).toEqual(actual);
    expect(sim.counters.byVerb.list).toBe(2);
    await waitFor(
      'the watch after relisting',
      () => sim.counters.byVerb.watch >= 3,
    );
    expect(errors).toEqual([]);

    // And the informer keeps following live changes.
    sim.apply(pod('live', 'shop'));
    await waitFor('live add', () => informer.get('live', 'shop'));
    await informer.stop();
  });
});
