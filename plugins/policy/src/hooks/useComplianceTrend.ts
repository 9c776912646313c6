import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { ComplianceTrendPoint } from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';
import { AsyncState } from './usePolicyData';

/**
 * Sums per-owner trends run by run. Every entity has exactly one owner, so
 * the sum over owners is the trend of their entities together.
 */
export function mergeTrends(trends: ComplianceTrendPoint[][]): ComplianceTrendPoint[] {
  const byRun = new Map<number, ComplianceTrendPoint>();
  for (const point of trends.flat()) {
    const known = byRun.get(point.runId);
    if (!known) {
      byRun.set(point.runId, { ...point, counts: { ...point.counts } });
      continue;
    }
    known.entities += point.entities;
    known.failing += point.failing;
    known.counts.error += point.counts.error;
    known.counts.warning += point.counts.warning;
    known.counts.info += point.counts.info;
  }
  return [...byRun.values()].sort((a, b) => a.runId - b.runId);
}

/**
 * Violations per evaluation run, oldest first: of the whole fleet, or of
 * the entities of the given owners.
 * @public
 */
export function useComplianceTrend(owners?: string[]): AsyncState<ComplianceTrendPoint[]> {
  const api = useApi(policyApiRef);
  const key = owners?.join(',');
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (!owners) return (await api.getTrend()).points;
    if (!owners.length) return [];
    const trends = await Promise.all(owners.map(owner => api.getTrend({ owner })));
    return mergeTrends(trends.map(t => t.points));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  return { value, loading, error, retry };
}
