import {
  matchesLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors';
import type { KubeObject } from './store';

const labels = {
  app: 'web',
  tier: 'frontend',
  'example.com/team': 'a',
  replicas: '3',
};

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['example.com/team=a,app=web', true],
    ['example.com/team=a,app=api', false],
    ['replicas>2', true],
    ['replicas<2', false],
    ['app=', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, selector)).toBe(expected);
  });

  it.each([
    'a in (',
    'a in ()',
    '=b',
    'a=b=c',
    'a b',
    'a>x',
    'bad key!=x',
    'a=in valid',
  ])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
  });
});

describe('field selectors', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { nodeName: 'node-a' },
    status: { phase: 'Running' },
  };
  const fields = [
    'metadata.name',
    'metadata.namespace',
    'status.phase',
    'spec.nodeName',
  ];

  it('matches =, == and != with AND', () => {
    expect(parseFieldSelector('metadata.name=web-1', fields)(pod)).toBe(true);
    expect(
      parseFieldSelector(
        'status.phase==Running,spec.nodeName!=node-b',
        fields,
      )(pod),
    ).toBe(true);
    expect(parseFieldSelector('status.phase!=Running', fields)(pod)).toBe(
      false,
    );
    expect(
      parseFieldSelector('spec.nodeName=', fields)({ ...pod, spec: {} }),
    ).toBe(true);
  });

  it('rejects unsupported fields and terms without operator', () => {
    expect(() => parseFieldSelector('spec.other=x', fields)).toThrow(
      'field label not supported: spec.other',
    );
    expect(() => parseFieldSelector('metadata.name', fields)).toThrow(
      SelectorError,
    );
  });
});
