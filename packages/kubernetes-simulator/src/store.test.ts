import { ObjectStore, ResourceVersionExpiredError } from './store';

const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns' },
  data,
});

describe('ObjectStore', () => {
  it('keeps a bounded history; older resourceVersions expire', () => {
    const store = new ObjectStore({ historySize: 3 });
    for (let i = 0; i < 5; i++) {
      store.put('/v1/configmaps', cm(`c${i}`));
    }
    expect(store.resourceVersion).toBe(5);
    expect(store.eventsSince(2).map(e => e.resourceVersion)).toEqual([3, 4, 5]);
    expect(() => store.eventsSince(1)).toThrow(
      new ResourceVersionExpiredError(1, 2),
    );
    store.compact();
    expect(store.eventsSince(5)).toEqual([]);
    expect(() => store.eventsSince(4)).toThrow(
      'too old resource version: 4 (5)',
    );
  });

  it('rebuilds earlier snapshots from history', () => {
    const store = new ObjectStore();
    store.put('/v1/configmaps', cm('a', { v: '1' }));
    store.put('/v1/configmaps', cm('b'));
    const rv = store.resourceVersion;
    store.put('/v1/configmaps', cm('a', { v: '2' }));
    store.remove('/v1/configmaps', 'ns', 'b');
    store.put('/v1/configmaps', cm('c'));
    const then = store.snapshot('/v1/configmaps', rv, 'ns').map(i => i.object);
    expect(then.map(o => [o.metadata.name, o.data.v])).toEqual([
      ['a', '1'],
      ['b', undefined],
    ]);
    expect(store.items('/v1/configmaps').map(i => i.key)).toEqual([
      'ns/a',
      'ns/c',
    ]);
  });

  it('notifies subscribers synchronously, DELETED carrying a new resourceVersion', () => {
    const store = new ObjectStore();
    const seen: string[] = [];
    const unsubscribe = store.subscribe(e =>
      seen.push(`${e.type}@${e.object.metadata.resourceVersion}`),
    );
    store.put('/v1/configmaps', cm('a'));
    store.remove('/v1/configmaps', 'ns', 'a');
    unsubscribe();
    store.put('/v1/configmaps', cm('b'));
    expect(seen).toEqual(['ADDED@1', 'DELETED@2']);
  });
});
