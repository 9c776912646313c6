import {
  classify,
  collapseBookmarks,
  diff,
  formatDifferences,
  normalise,
} from './harness';

describe('conformance harness', () => {
  it('normalises what differs by nature and the listed defaulted fields, in objects and list items', () => {
    const list = {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '42', continue: 'abc' },
      items: [
        {
          metadata: {
            name: 'a',
            uid: 'u-1',
            resourceVersion: '41',
            creationTimestamp: '2026-12-01T10:00:00Z',
            managedFields: [{}],
          },
          spec: { tolerations: [{ key: 'x' }], restartPolicy: 'Always' },
        },
      ],
    };
    expect(
      normalise(list, [
        { kinds: ['Pod'], path: 'spec.tolerations', why: 'admission' },
      ]),
    ).toEqual({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '<rv>', continue: '<continue>' },
      items: [
        {
          metadata: {
            name: 'a',
            uid: '<uid>',
            resourceVersion: '<rv>',
            creationTimestamp: '<time>',
          },
          spec: { restartPolicy: 'Always' },
        },
      ],
    });
    // An empty continue stays as it is: its presence is compared.
    expect(normalise({ metadata: { continue: '' } })).toEqual({
      metadata: { continue: '' },
    });
  });

  it('collapses runs of bookmarks', () => {
    const b = { type: 'BOOKMARK', object: {} };
    const a = { type: 'ADDED', object: {} };
    expect(collapseBookmarks([a, b, b, b, a, b]).map(e => e.type)).toEqual([
      'ADDED',
      'BOOKMARK',
      'ADDED',
      'BOOKMARK',
    ]);
  });

  it('fails on an unlisted difference with a readable report, and reports listed ones that no longer occur', () => {
    const differences = [
      ...diff(
        'list',
        { body: { items: [{ name: 'a' }, { name: 'b' }] } },
        {
          body: {
            items: [
              { name: 'a', kind: 'X' },
              { name: 'b', kind: 'X' },
            ],
          },
        },
      ),
      ...diff(
        'get',
        { status: 404, body: { message: 'not found' } },
        { status: 404, body: { message: 'gone' } },
      ),
    ];
    expect(differences.map(d => d.path)).toEqual([
      'body.items[0].kind',
      'body.items[1].kind',
      'body.message',
    ]);
    const { unlisted, listed, unused } = classify(differences, [
      {
        step: 'list',
        path: /^body\.items\[\d+\]\.kind$/,
        kind: 'pending',
        reason: 'items carry kind',
      },
      { step: 'watch', path: 'events', kind: 'deliberate', reason: 'gone' },
    ]);
    expect(listed).toHaveLength(2);
    expect(unused.map(u => u.step)).toEqual(['watch']);
    expect(
      formatDifferences(unlisted, {
        reference: 'kube-apiserver',
        candidate: 'simulator',
      }),
    ).toBe(
      [
        'step "get":',
        '  body.message',
        '    kube-apiserver   "not found"',
        '    simulator        "gone"',
      ].join('\n'),
    );
    // Repeats over items are one entry with a count; a missing key says so.
    expect(
      formatDifferences(differences.slice(0, 2), {
        reference: 'r',
        candidate: 'c',
      }),
    ).toBe(
      [
        'step "list":',
        '  body.items[*].kind (2 times)',
        '    r                (missing)',
        '    c                "X"',
      ].join('\n'),
    );
  });
});
