import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ApiClient, createApiClient, encodePath } from '@paved/api-client';
import {
  ComplianceListQuery,
  ComplianceListResponse,
  ComplianceTrendResponse,
  EngineHealthResponse,
  EntityFindingsResponse,
  PoliciesResponse,
} from '@paved/plugin-policy-common';

/** Options of {@link PolicyApi.getTrend}. @public */
export interface ComplianceTrendQuery {
  /** Only the entities of this owner (e.g. `group:default/team-a`). */
  owner?: string;
  /** Number of runs, newest last. */
  limit?: number;
}

/** Answer of POST /runs. @public */
export interface TriggerRunResponse {
  /** The scheduler task that will run (on whichever replica picks it up). */
  taskId: string;
}

/** Client of the policy backend. @public */
export interface PolicyApi {
  getEntityFindings(entity: CompoundEntityRef): Promise<EntityFindingsResponse>;
  /** Re-evaluates the entity against the policy engine now. */
  evaluateEntity(entity: CompoundEntityRef): Promise<EntityFindingsResponse>;
  getCompliance(query?: ComplianceListQuery): Promise<ComplianceListResponse>;
  getTrend(query?: ComplianceTrendQuery): Promise<ComplianceTrendResponse>;
  getEngineHealth(): Promise<EngineHealthResponse>;
  getPolicies(): Promise<PoliciesResponse>;
  /** Starts a run over the whole catalog now (`policy.admin`); its result shows in the engine health. */
  triggerRun(): Promise<TriggerRunResponse>;
}

/** @public */
export const policyApiRef = createApiRef<PolicyApi>().with({
  id: 'plugin.policy.api',
  pluginId: 'policy',
});

const entityPath = (e: CompoundEntityRef) =>
  encodePath`/entities/${e.kind}/${e.namespace}/${e.name}`;

/** Calls the policy backend through discovery and the app's authenticated fetch. @public */
export class PolicyClient implements PolicyApi {
  private readonly client: ApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = createApiClient({ ...options, pluginId: 'policy' });
  }

  getEntityFindings(entity: CompoundEntityRef) {
    return this.client.request<EntityFindingsResponse>(
      `${entityPath(entity)}/findings`,
    );
  }

  evaluateEntity(entity: CompoundEntityRef) {
    return this.client.request<EntityFindingsResponse>(
      `${entityPath(entity)}/evaluate`,
      { method: 'POST' },
    );
  }

  getCompliance(query: ComplianceListQuery = {}) {
    return this.client.request<ComplianceListResponse>('/compliance', {
      query: {
        owner: query.owner,
        system: query.system,
        kind: query.kind,
        level: query.level,
        source: query.source,
        offset: query.offset,
        limit: query.limit,
      },
    });
  }

  getTrend(query: ComplianceTrendQuery = {}) {
    return this.client.request<ComplianceTrendResponse>('/trend', {
      query: { owner: query.owner || undefined, limit: query.limit },
    });
  }

  getEngineHealth() {
    return this.client.request<EngineHealthResponse>('/health');
  }

  getPolicies() {
    return this.client.request<PoliciesResponse>('/policies');
  }

  triggerRun() {
    return this.client.request<TriggerRunResponse>('/runs', {
      method: 'POST',
    });
  }
}
