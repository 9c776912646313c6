import { stringify } from 'yaml';

/** One cluster of a kubeconfig. */
export interface KubeconfigCluster {
  /** Cluster and context name. */
  name: string;
  /** `https://127.0.0.1:7401` */
  server: string;
  /** Base64 PEM of the CA (`certificate-authority-data`). */
  caData: string;
  /** Bearer token of the context's user. */
  token: string;
  /** The context's default namespace. */
  namespace?: string;
}

/**
 * A kubeconfig (YAML) with one cluster, user and context per entry, the
 * first context current: what kubectl and client-node's
 * `KubeConfig.loadFromFile` read. Users are named `<cluster>-user`.
 */
export function kubeconfigYaml(clusters: readonly KubeconfigCluster[]): string {
  if (clusters.length === 0) {
    throw new Error('A kubeconfig needs at least one cluster');
  }
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map(c => ({
      name: c.name,
      cluster: { server: c.server, 'certificate-authority-data': c.caData },
    })),
    users: clusters.map(c => ({
      name: `${c.name}-user`,
      user: { token: c.token },
    })),
    contexts: clusters.map(c => ({
      name: c.name,
      context: {
        cluster: c.name,
        user: `${c.name}-user`,
        ...(c.namespace ? { namespace: c.namespace } : {}),
      },
    })),
    'current-context': clusters[0].name,
    preferences: {},
  });
}
