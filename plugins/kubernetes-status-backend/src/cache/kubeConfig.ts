import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesClusterDetails } from '@paved/plugin-kubernetes-status-node';

/** A client-node KubeConfig for one cluster. */
export function kubeConfigFor(cluster: KubernetesClusterDetails): KubeConfig {
  const kc = new KubeConfig();
  const { auth } = cluster;
  if (auth.type === 'inCluster') {
    kc.loadFromCluster();
    return kc;
  }
  if (auth.type === 'kubeconfig') {
    if (auth.path) kc.loadFromFile(auth.path);
    else kc.loadFromDefault();
    if (auth.context) kc.setCurrentContext(auth.context);
    return kc;
  }
  if (!cluster.url) {
    throw new Error(`Cluster ${cluster.name} has no url`);
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: 'paved', token: auth.token }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'paved' }],
    currentContext: cluster.name,
  });
  return kc;
}
