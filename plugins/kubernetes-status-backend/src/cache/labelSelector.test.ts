import { parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  const labels = {
    app: 'orders',
    tier: 'api',
    'backstage.io/kubernetes-id': 'orders',
  };

  it.each([
    ['app=orders', true],
    ['app==orders', true],
    ['app!=orders', false],
    ['backstage.io/kubernetes-id=orders,tier=api', true],
    ['tier in (web, api)', true],
    ['tier notin (api)', false],
    ['app', true],
    ['!canary', true],
    ['!app', false],
    ['app=orders,tier in (web)', false],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(
      /Invalid label selector/,
    );
  });
});
