import { ListItemSplitter } from './listItemSplitter';

const items = [
  {
    metadata: {
      name: 'web-1',
      labels: { 'app.kubernetes.io/name': 'web' },
      annotations: { note: 'a "quoted" {brace} [bracket] \\ back' },
    },
    spec: {
      containers: [
        { name: 'web', args: ['--x={"a":[1,2]}', 'ünïcødé ✓ 日本'] },
      ],
    },
  },
  {
    metadata: { name: 'items', annotations: { '"items":[': '\\"' } },
    spec: {},
    status: { phase: 'Running' },
  },
  { metadata: { name: 'web-3' }, data: { nested: [[{}], [[]]], empty: '' } },
];
const body = JSON.stringify({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: {
    resourceVersion: '812',
    continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
    note: '"items":[',
  },
  items,
});

function split(chunkSizes: (i: number) => number) {
  const bytes = Buffer.from(body);
  const seen: unknown[] = [];
  const heads: string[] = [];
  const splitter = new ListItemSplitter(
    text => seen.push(JSON.parse(text)),
    head => heads.push(head),
  );
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.max(1, chunkSizes(k));
    splitter.write(bytes.subarray(at, at + size));
    at += size;
  }
  return { seen, heads, shell: splitter.end(), count: splitter.items };
}

describe('ListItemSplitter', () => {
  it('emits each item and keeps the rest, whatever the chunk boundaries', () => {
    const expectedShell = JSON.parse(body);
    expectedShell.items = [];
    for (const size of [1, 2, 3, 5, 7, 13, 64, 100_000]) {
      const { seen, heads, shell, count } = split(() => size);
      expect(seen).toEqual(items);
      expect(count).toBe(items.length);
      expect(JSON.parse(shell)).toEqual(expectedShell);
      expect(heads).toHaveLength(1);
      expect(JSON.parse(`${heads[0]}]}`).metadata.continue).toBe(
        'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
      );
    }
    // Pseudo-random chunk sizes, the same on every run.
    const random = { seed: 7 };
    const nextSize = () => {
      random.seed = (random.seed * 1103515245 + 12345) % 2147483648;
      return 1 + (random.seed % 40);
    };
    for (let round = 0; round < 50; round++) {
      expect(split(nextSize).seen).toEqual(items);
    }
  });

  it('finds items after the metadata or before it, and an empty list', () => {
    const first = new ListItemSplitter(() => {});
    first.write(Buffer.from('{"items":[{"a":1}],"metadata":{"continue":"c"}}'));
    expect(first.items).toBe(1);
    expect(JSON.parse(first.end())).toEqual({
      items: [],
      metadata: { continue: 'c' },
    });
    const empty = new ListItemSplitter(() => {});
    empty.write(
      Buffer.from(
        '{"kind":"PodList","metadata":{"resourceVersion":"1"},"items":[]}',
      ),
    );
    expect(empty.items).toBe(0);
    expect(JSON.parse(empty.end()).metadata.resourceVersion).toBe('1');
  });
});
