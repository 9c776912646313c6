import { useState } from 'react';
import Grid from '@material-ui/core/Grid';
import { EmptyState, InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { ComplianceListQuery } from '@paved/plugin-policy-common';
import { useComplianceList } from '../hooks/usePolicyData';
import { useOwnershipRefs } from '../hooks/useOwnershipRefs';
import { EngineHealthPanel } from './EngineHealthPanel';
import { EngineNotConfigured } from './EngineStates';
import { EMPTY_FILTERS, FleetFilters, FleetFilterValues } from './FleetFilters';
import { FleetTable } from './FleetTable';
import { TrendCard } from './TrendCard';

const DEFAULT_PAGE_SIZE = 25;

function toQuery(filters: FleetFilterValues, myRefs: string[] | undefined): Omit<ComplianceListQuery, 'offset' | 'limit'> {
  const owner = filters.myTeams ? myRefs ?? [] : filters.owner;
  const query: ComplianceListQuery = {};
  if (owner.length) query.owner = owner;
  for (const key of ['system', 'kind', 'level', 'source'] as const) {
    if (filters[key].length) (query as Record<string, unknown>)[key] = filters[key];
  }
  return query;
}

const hasFilters = (f: FleetFilterValues) =>
  f.myTeams || [f.owner, f.system, f.kind, f.level, f.source].some(v => v.length > 0);

/** Engine health, trend and the filterable, server-paginated fleet table. */
export const FleetTab = () => {
  const [filters, setFilters] = useState<FleetFilterValues>(EMPTY_FILTERS);
  const [page, setPage] = useState({ offset: 0, limit: DEFAULT_PAGE_SIZE });
  const ownership = useOwnershipRefs();
  const query = { ...toQuery(filters, ownership.value), ...page };
  const { value, loading, error } = useComplianceList(query);

  const onFilters = (next: FleetFilterValues) => {
    setFilters(next);
    setPage(p => ({ ...p, offset: 0 }));
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <EngineHealthPanel />
      </Grid>
      <Grid item xs={12} md={7}>
        <TrendCard owners={filters.myTeams ? ownership.value : undefined} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Fleet">
          <FleetFilters value={filters} onChange={onFilters} myTeamsAvailable={!!ownership.value?.length} />
          {error && <ResponseErrorPanel error={error} />}
          {!value && loading && <Progress />}
          {value && !value.engine.configured && <EngineNotConfigured message={value.engine.message} />}
          {value && value.engine.configured && value.totalCount === 0 && (
            <EmptyState
              missing="data"
              title={hasFilters(filters) ? 'No entities match these filters' : 'No evaluated entities yet'}
              description={
                hasFilters(filters)
                  ? 'Remove a filter to see more of the fleet.'
                  : 'The scheduled policy run has not stored any result yet; see the policy engine panel for the last run.'
              }
            />
          )}
          {value && value.engine.configured && value.totalCount > 0 && (
            <FleetTable value={value} loading={loading} onPage={(offset, limit) => setPage({ offset, limit })} />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
};
