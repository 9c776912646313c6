import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  KubernetesClusterAuth,
  KubernetesClusterDetails,
  KubernetesClusterSupplier,
} from '@paved/plugin-kubernetes-status-node';

/** Reads a cluster's auth block; shared by config and catalog clusters. */
export function readClusterAuth(
  c: Config,
  where: string,
): KubernetesClusterAuth {
  const provider = c.getOptionalString('authProvider') ?? 'serviceAccount';
  switch (provider) {
    case 'serviceAccount':
      return {
        type: 'serviceAccount',
        token: c.getString('serviceAccountToken'),
      };
    case 'kubeconfig':
      return {
        type: 'kubeconfig',
        path: c.getOptionalString('kubeconfigPath'),
        context: c.getOptionalString('kubeconfigContext'),
      };
    case 'inCluster':
      return { type: 'inCluster' };
    default:
      throw new InputError(`${where}: unknown authProvider "${provider}"`);
  }
}

/** Clusters from `kubernetesStatus.clusters`. */
export class ConfigClusterSupplier implements KubernetesClusterSupplier {
  private readonly clusters: KubernetesClusterDetails[];

  constructor(config: Config) {
    this.clusters = (
      config.getOptionalConfigArray('kubernetesStatus.clusters') ?? []
    ).map((c, i) => {
      const name = c.getString('name');
      const auth = readClusterAuth(
        c,
        `kubernetesStatus.clusters[${i}] (${name})`,
      );
      if (auth.type === 'serviceAccount' && !c.getOptionalString('url')) {
        throw new InputError(
          `kubernetesStatus.clusters[${i}] (${name}): url is required for serviceAccount auth`,
        );
      }
      return {
        name,
        title: c.getOptionalString('title'),
        url: c.getOptionalString('url'),
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
        auth,
        namespaces: c.getOptionalStringArray('namespaces'),
        labelSelector: c.getOptionalString('labelSelector'),
        simulated: c.getOptionalBoolean('simulated') ?? false,
      };
    });
  }

  async getClusters() {
    return this.clusters;
  }
}
