import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ApiClient, createApiClient, encodePath } from '@paved/api-client';
import {
  ClustersResponse,
  EntityDiagnosticsResponse,
  EntityStatusResponse,
  PodLogsRequest,
  PodLogsResponse,
} from '@paved/plugin-kubernetes-status-common';

/** Client of the kubernetes-status backend. @public */
export interface KubernetesStatusApi {
  getEntityStatus(entity: CompoundEntityRef): Promise<EntityStatusResponse>;
  getEntityDiagnostics(
    entity: CompoundEntityRef,
  ): Promise<EntityDiagnosticsResponse>;
  getClusters(): Promise<ClustersResponse>;
  getPodLogs(
    entity: CompoundEntityRef,
    request: PodLogsRequest,
  ): Promise<PodLogsResponse>;
}

/** @public */
export const kubernetesStatusApiRef = createApiRef<KubernetesStatusApi>().with({
  id: 'plugin.kubernetes-status.api',
  pluginId: 'kubernetes-status',
});

const entityPath = (e: CompoundEntityRef) =>
  encodePath`/entities/${e.kind}/${e.namespace}/${e.name}`;

/** Calls the backend through discovery and the app's authenticated fetch. @public */
export class KubernetesStatusClient implements KubernetesStatusApi {
  private readonly client: ApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = createApiClient({
      ...options,
      pluginId: 'kubernetes-status',
    });
  }

  getEntityStatus(entity: CompoundEntityRef) {
    return this.client.request<EntityStatusResponse>(
      `${entityPath(entity)}/status`,
    );
  }

  getEntityDiagnostics(entity: CompoundEntityRef) {
    return this.client.request<EntityDiagnosticsResponse>(
      `${entityPath(entity)}/diagnostics`,
    );
  }

  getClusters() {
    return this.client.request<ClustersResponse>('/clusters');
  }

  getPodLogs(entity: CompoundEntityRef, request: PodLogsRequest) {
    return this.client.request<PodLogsResponse>(`${entityPath(entity)}/logs`, {
      query: {
        cluster: request.cluster,
        podNamespace: request.namespace,
        pod: request.pod,
        container: request.container,
        previous: !!request.previous,
        tailLines: request.tailLines ?? 200,
      },
    });
  }
}
