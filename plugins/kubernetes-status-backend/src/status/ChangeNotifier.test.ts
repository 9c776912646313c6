import { SignalsService } from '@backstage/plugin-signals-node';
import {
  CachedObjectChange,
  KubernetesObjectCacheService,
  StampedKubernetesObject,
} from '@paved/plugin-kubernetes-status-node';
import { waitFor } from '@paved/test-timing';
import { ChangeNotifier } from './ChangeNotifier';

// Which cache changes reach an entity's browsers as a signal: the
// entity's labels in its namespaces, GitOps objects in any namespace,
// events through the object they are about; bursts coalesced per cluster.
describe('ChangeNotifier', () => {
  const pod: StampedKubernetesObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'orders-1',
      namespace: 'orders',
      labels: { app: 'orders' },
    },
  };
  let listener: ((change: CachedObjectChange) => void) | undefined;
  const cache = {
    onChange: (l: (change: CachedObjectChange) => void) => {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    list: ({ resource }: { resource: string }) =>
      resource === 'pods' ? [pod] : [],
  } as unknown as KubernetesObjectCacheService;
  const publish = jest.fn<
    ReturnType<SignalsService['publish']>,
    Parameters<SignalsService['publish']>
  >();
  const signals: SignalsService = { publish };
  let notifier: ChangeNotifier;

  beforeEach(() => {
    publish.mockReset();
    notifier = new ChangeNotifier({ cache, signals, debounceMs: 10 });
    notifier.watch('component:default/orders', {
      labelSelector: 'app=orders',
      namespaces: ['orders'],
      clusters: ['prod'],
    });
  });
  afterEach(() => notifier.stop());

  const change = (
    resource: CachedObjectChange['resource'],
    object: Partial<StampedKubernetesObject>,
    cluster = 'prod',
  ) =>
    listener!({
      cluster,
      resource,
      type: 'updated',
      object: { apiVersion: 'v1', kind: 'X', ...object },
    });
  const published = () => publish.mock.calls.map(([s]) => s);

  it('signals once per burst, naming the clusters that changed', async () => {
    change('pods', pod);
    change('deployments', { metadata: { ...pod.metadata, name: 'orders' } });
    await waitFor('a signal', () => published().length === 1);
    expect(published()[0]).toMatchObject({
      channel: expect.stringContaining('component:default/orders'),
      message: { entityRef: 'component:default/orders', clusters: ['prod'] },
    });
  });

  it('ignores other labels, other namespaces and other clusters, but takes GitOps objects from any namespace', async () => {
    change('pods', { metadata: { ...pod.metadata, labels: { app: 'cart' } } });
    change('pods', { metadata: { ...pod.metadata, namespace: 'cart' } });
    change('pods', pod, 'staging');
    change('nodes', { metadata: { name: 'n1', labels: { app: 'orders' } } });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(published()).toHaveLength(0);
    change('applications', {
      metadata: {
        name: 'orders',
        namespace: 'argocd',
        labels: { app: 'orders' },
      },
    });
    await waitFor('a signal', () => published().length === 1);
    expect(published()).toHaveLength(1);
  });

  it("signals for a warning event about one of the entity's pods, not for one about a pod it does not know", async () => {
    change('events', {
      metadata: { name: 'e2', namespace: 'orders' },
      involvedObject: { kind: 'Pod', name: 'other', namespace: 'orders' },
    } as Partial<StampedKubernetesObject>);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(published()).toHaveLength(0);
    change('events', {
      metadata: { name: 'e1', namespace: 'orders' },
      involvedObject: { kind: 'Pod', name: 'orders-1', namespace: 'orders' },
    } as Partial<StampedKubernetesObject>);
    await waitFor('a signal', () => published().length === 1);
  });
});
