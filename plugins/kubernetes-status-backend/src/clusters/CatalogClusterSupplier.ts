import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Config } from '@backstage/config';
import {
  KubernetesClusterDetails,
  KubernetesClusterSupplier,
} from '@paved/plugin-kubernetes-status-node';

/** Annotations on `Resource` entities of `spec.type: kubernetes-cluster`, as upstream names them. */
export const ANNOTATION_API_SERVER = 'kubernetes.io/api-server';
export const ANNOTATION_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
export const ANNOTATION_SKIP_TLS_VERIFY = 'kubernetes.io/skip-tls-verify';

/**
 * Clusters modelled in the catalog. The entity gives the URL and CA; the
 * token never lives in the catalog: it comes from
 * `kubernetesStatus.catalogClusters.tokens.<cluster name>`. Entities without
 * the api-server annotation or without a token are skipped.
 */
export class CatalogClusterSupplier implements KubernetesClusterSupplier {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      config: Config;
    },
  ) {}

  async getClusters(): Promise<KubernetesClusterDetails[]> {
    const { catalog, auth, config } = this.options;
    const tokens = config.getOptionalConfig(
      'kubernetesStatus.catalogClusters.tokens',
    );
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' } },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.flatMap(entity => {
      const annotations = entity.metadata.annotations ?? {};
      const url = annotations[ANNOTATION_API_SERVER];
      const token = tokens?.getOptionalString(entity.metadata.name);
      if (!url || !token) return [];
      return [
        {
          name: entity.metadata.name,
          title: entity.metadata.title,
          url,
          caData: annotations[ANNOTATION_API_SERVER_CA],
          skipTLSVerify: annotations[ANNOTATION_SKIP_TLS_VERIFY] === 'true',
          auth: { type: 'serviceAccount' as const, token },
        },
      ];
    });
  }
}
