export interface Config {
  /** Paved Kubernetes status. */
  kubernetesStatus?: {
    /** Clusters to watch. */
    clusters?: Array<{
      /**
       * Unique name; matches `backstage.io/kubernetes-cluster` annotations.
       * @visibility frontend
       */
      name: string;
      /** @visibility frontend */
      title?: string;
      /**
       * API server URL (required for serviceAccount auth).
       * @visibility backend
       */
      url?: string;
      /**
       * Base64 PEM of the API server's CA; the server's certificate is
       * verified with it (without it: with the system's CAs).
       * @visibility backend
       */
      caData?: string;
      /**
       * Turns TLS verification off (throwaway test clusters only: anyone
       * on the path can then read the token). Default false.
       * @visibility backend
       */
      skipTLSVerify?: boolean;
      /**
       * serviceAccount (default), kubeconfig or inCluster.
       * @visibility backend
       */
      authProvider?: 'serviceAccount' | 'kubeconfig' | 'inCluster';
      /**
       * Bearer token for serviceAccount auth.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Kubeconfig file for kubeconfig auth; default: KUBECONFIG or ~/.kube/config.
       * @visibility backend
       */
      kubeconfigPath?: string;
      /**
       * Context within the kubeconfig; default: its current context.
       * @visibility backend
       */
      kubeconfigContext?: string;
      /**
       * Watch only these namespaces (bounds memory). Default: all.
       * @visibility backend
       */
      namespaces?: string[];
      /**
       * Watch only objects matching this label selector. Default: all.
       * @visibility backend
       */
      labelSelector?: string;
      /**
       * Marks a simulated cluster; the UI labels its data as simulated. Default false.
       * @visibility backend
       */
      simulated?: boolean;
    }>;
    /** Clusters from catalog Resources of spec.type kubernetes-cluster. */
    catalogClusters?: {
      /**
       * Default true.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Service-account token per catalog cluster name.
       * @visibility secret
       */
      tokens?: { [clusterName: string]: string };
    };
    /**
     * Timeout of every list, version and log call, in ms. Default 10000.
     * @visibility backend
     */
    requestTimeoutMs?: number;
    /**
     * Page size of list calls. Default 500.
     * @visibility backend
     */
    pageSize?: number;
    /**
     * Server-side timeout of each watch, in seconds; the watch then resumes from its resourceVersion. Default 300.
     * @visibility backend
     */
    watchTimeoutSeconds?: number;
    /**
     * A watch with no event or bookmark for this long is restarted, in ms. Default 150000.
     * @visibility backend
     */
    idleTimeoutMs?: number;
    /**
     * Longest back-off between retries of a failing watch, in ms. Default 30000.
     * @visibility backend
     */
    maxBackoffMs?: number;
  };
}
