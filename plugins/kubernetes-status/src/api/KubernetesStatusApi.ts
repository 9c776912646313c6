import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef } from '@backstage/catalog-model';
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
export const kubernetesStatusApiRef = createApiRef<KubernetesStatusApi>({
  id: 'plugin.kubernetes-status.api',
});

const entityPath = (e: CompoundEntityRef) =>
  `/entities/${encodeURIComponent(e.kind)}/${encodeURIComponent(
    e.namespace,
  )}/${encodeURIComponent(e.name)}`;

/** Calls the backend through discovery and the app's authenticated fetch. @public */
export class KubernetesStatusClient implements KubernetesStatusApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getEntityStatus(entity: CompoundEntityRef) {
    return this.get<EntityStatusResponse>(`${entityPath(entity)}/status`);
  }

  getEntityDiagnostics(entity: CompoundEntityRef) {
    return this.get<EntityDiagnosticsResponse>(
      `${entityPath(entity)}/diagnostics`,
    );
  }

  getClusters() {
    return this.get<ClustersResponse>('/clusters');
  }

  getPodLogs(entity: CompoundEntityRef, request: PodLogsRequest) {
    const query = new URLSearchParams({
      cluster: request.cluster,
      podNamespace: request.namespace,
      pod: request.pod,
      container: request.container,
      previous: String(!!request.previous),
      tailLines: String(request.tailLines ?? 200),
    });
    return this.get<PodLogsResponse>(`${entityPath(entity)}/logs?${query}`);
  }

  private async get<T>(path: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl(
      'kubernetes-status',
    );
    const response = await this.options.fetchApi.fetch(`${base}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
