import { entityKubernetesSelector } from './annotations';

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', annotations },
});

describe('entityKubernetesSelector', () => {
  it('selects on the kubernetes-id label, as upstream does', () => {
    expect(
      entityKubernetesSelector(
        entity({ 'backstage.io/kubernetes-id': 'orders' }),
      ),
    ).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=orders',
      namespaces: undefined,
      clusters: undefined,
    });
  });

  it('prefers an explicit label selector and splits namespace and cluster lists', () => {
    expect(
      entityKubernetesSelector(
        entity({
          'backstage.io/kubernetes-id': 'ignored',
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/name=orders',
          'backstage.io/kubernetes-namespace': 'commerce, commerce-canary',
          'backstage.io/kubernetes-cluster': 'prod-eu-1',
        }),
      ),
    ).toEqual({
      labelSelector: 'app.kubernetes.io/name=orders',
      namespaces: ['commerce', 'commerce-canary'],
      clusters: ['prod-eu-1'],
    });
  });

  it('returns undefined without a Kubernetes annotation', () => {
    expect(entityKubernetesSelector(entity({}))).toBeUndefined();
  });
});
