import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { CatalogClusterSupplier } from './CatalogClusterSupplier';

const cluster = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, title: name.toUpperCase(), annotations },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
});

describe('CatalogClusterSupplier', () => {
  it('returns catalog clusters that have an API server and a configured token, never the token from the catalog', async () => {
    const supplier = new CatalogClusterSupplier({
      catalog: catalogServiceMock({
        entities: [
          cluster('prod-eu-1', {
            'kubernetes.io/api-server': 'https://prod-eu-1.example.com:6443',
            'kubernetes.io/api-server-certificate-authority': 'Q0E=',
          }),
          cluster('no-token', {
            'kubernetes.io/api-server': 'https://no-token.example.com',
          }),
          cluster('no-url', {}),
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: { name: 'db' },
            spec: { type: 'database', owner: 'x' },
          },
        ],
      }),
      auth: mockServices.auth(),
      config: new ConfigReader({
        kubernetesStatus: {
          catalogClusters: { tokens: { 'prod-eu-1': 's3cret', 'no-url': 'x' } },
        },
      }),
    });
    expect(await supplier.getClusters()).toEqual([
      {
        name: 'prod-eu-1',
        title: 'PROD-EU-1',
        url: 'https://prod-eu-1.example.com:6443',
        caData: 'Q0E=',
        skipTLSVerify: false,
        auth: { type: 'serviceAccount', token: 's3cret' },
      },
    ]);
  });
});
