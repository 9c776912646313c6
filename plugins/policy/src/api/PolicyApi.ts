import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef } from '@backstage/catalog-model';
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
export const policyApiRef = createApiRef<PolicyApi>({
  id: 'plugin.policy.api',
});

const entityPath = (e: CompoundEntityRef) =>
  `/entities/${encodeURIComponent(e.kind)}/${encodeURIComponent(
    e.namespace,
  )}/${encodeURIComponent(e.name)}`;

function complianceSearch(query: ComplianceListQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['owner', 'system', 'kind', 'level', 'source'] as const) {
    for (const value of query[key] ?? []) params.append(key, value);
  }
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}

/** Calls the policy backend through discovery and the app's authenticated fetch. @public */
export class PolicyClient implements PolicyApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getEntityFindings(entity: CompoundEntityRef) {
    return this.request<EntityFindingsResponse>(
      `${entityPath(entity)}/findings`,
    );
  }

  evaluateEntity(entity: CompoundEntityRef) {
    return this.request<EntityFindingsResponse>(
      `${entityPath(entity)}/evaluate`,
      { method: 'POST' },
    );
  }

  getCompliance(query: ComplianceListQuery = {}) {
    const search = complianceSearch(query).toString();
    return this.request<ComplianceListResponse>(
      `/compliance${search ? `?${search}` : ''}`,
    );
  }

  getTrend(query: ComplianceTrendQuery = {}) {
    const params = new URLSearchParams();
    if (query.owner) params.set('owner', query.owner);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString();
    return this.request<ComplianceTrendResponse>(
      `/trend${search ? `?${search}` : ''}`,
    );
  }

  getEngineHealth() {
    return this.request<EngineHealthResponse>('/health');
  }

  getPolicies() {
    return this.request<PoliciesResponse>('/policies');
  }

  triggerRun() {
    return this.request<TriggerRunResponse>('/runs', { method: 'POST' });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('policy');
    const response = await this.options.fetchApi.fetch(`${base}${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
