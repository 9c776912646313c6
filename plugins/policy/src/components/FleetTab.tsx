import { useSearchParams } from 'react-router-dom';
import Grid from '@material-ui/core/Grid';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ComplianceListQuery } from '@paved/plugin-policy-common';
import { useComplianceList } from '../hooks/usePolicyData';
import { useOwnershipRefs } from '../hooks/useOwnershipRefs';
import { EngineHealthPanel } from './EngineHealthPanel';
import { EngineNotices } from './EngineStates';
import { FleetFilters, FleetFilterValues } from './FleetFilters';
import { FleetTable } from './FleetTable';
import { TrendCard } from './TrendCard';
import { fleetUrlSearch, readFleetUrlState } from './fleetUrlState';

function toQuery(
  filters: FleetFilterValues,
  myRefs: string[] | undefined,
): Omit<ComplianceListQuery, 'offset' | 'limit'> {
  const owner = filters.myTeams ? myRefs ?? [] : filters.owner;
  const query: ComplianceListQuery = {};
  if (owner.length) query.owner = owner;
  for (const key of ['system', 'kind', 'level', 'source'] as const) {
    if (filters[key].length)
      (query as Record<string, unknown>)[key] = filters[key];
  }
  return query;
}

const hasFilters = (f: FleetFilterValues) =>
  f.myTeams ||
  [f.owner, f.system, f.kind, f.level, f.source].some(v => v.length > 0);

/** Engine health, trend and the filterable, server-paginated fleet table. */
export const FleetTab = () => {
  // Filters and page live in the URL, so a filtered view can be shared and survives a reload.
  const [params, setParams] = useSearchParams();
  const { filters, page } = readFleetUrlState(params);
  const ownership = useOwnershipRefs();
  // Never show the whole fleet under 'my teams' while (or because) the user's refs are unknown.
  const waitingForMyRefs = filters.myTeams && !ownership.value;
  const query = { ...toQuery(filters, ownership.value), ...page };
  const { value, loading, error } = useComplianceList(query, {
    skip: waitingForMyRefs,
  });

  const onFilters = (next: FleetFilterValues) => {
    setParams(fleetUrlSearch({ filters: next, page: { ...page, offset: 0 } }), {
      replace: true,
    });
  };
  const setPage = (next: { offset: number; limit: number }) => {
    setParams(fleetUrlSearch({ filters, page: next }), { replace: true });
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <EngineHealthPanel />
      </Grid>
      <Grid item xs={12} md={7}>
        <TrendCard
          owners={filters.myTeams ? ownership.value ?? [] : undefined}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Fleet">
          {/* Nothing to filter without an engine: the filters would only look active. */}
          {value?.engine.configured !== false && (
            <FleetFilters
              value={filters}
              onChange={onFilters}
              myTeamsAvailable={!!ownership.value?.length}
            />
          )}
          {filters.myTeams && ownership.error && (
            <ResponseErrorPanel error={ownership.error} />
          )}
          {error && <ResponseErrorPanel error={error} />}
          {!value && loading && !(filters.myTeams && ownership.error) && (
            <Progress />
          )}
          {/* The engine panel above says how to configure one; once is enough. */}
          {value && !value.engine.configured && (
            <EmptyState
              missing="data"
              title="No fleet results without a policy engine"
              description="Nothing is evaluated until a policy engine is configured (see the policy engine panel)."
            />
          )}
          {value && <EngineNotices engine={value.engine} />}
          {value && value.engine.configured && value.totalCount === 0 && (
            <EmptyState
              missing="data"
              title={
                hasFilters(filters)
                  ? 'No entities match these filters'
                  : 'No evaluated entities yet'
              }
              description={
                hasFilters(filters)
                  ? 'Remove a filter to see more of the fleet.'
                  : 'The scheduled policy run has not stored any result yet; see the policy engine panel for the last run.'
              }
            />
          )}
          {value && value.engine.configured && value.totalCount > 0 && (
            <FleetTable
              value={value}
              loading={loading}
              onPage={(offset, limit) => setPage({ offset, limit })}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
};
