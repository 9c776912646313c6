import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { ComplianceTrendPoint } from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';
import { AsyncState } from './usePolicyData';

/**
 * Sums per-owner trends run by run. Every entity has exactly one owner, so
 * the sum over owners is the trend of their entities together.
 */
export function mergeTrends(
  trends: ComplianceTrendPoint[][],
): ComplianceTrendPoint[] {
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

/** Violations per run, or why the history is not shown to this user. @public */
export interface ComplianceTrend {
  points: ComplianceTrendPoint[];
  restricted?: string;
}

/**
 * Violations per evaluation run, oldest first: of the whole fleet, or of
 * the entities of the given owners.
 * @public
 */
export function useComplianceTrend(
  owners?: string[],
): AsyncState<ComplianceTrend> {
  const api = useApi(policyApiRef);
  const key = owners?.join(',');
  const { value, loading, error, retry } =
    useAsyncRetry(async (): Promise<ComplianceTrend> => {
      if (!owners) {
        const { points, restricted } = await api.getTrend();
        return { points, restricted };
      }
      if (!owners.length) return { points: [] };
      const trends = await Promise.all(
        owners.map(owner => api.getTrend({ owner })),
      );
      return {
        points: mergeTrends(trends.map(t => t.points)),
        restricted: trends.find(t => t.restricted)?.restricted,
      };
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [api, key]);
  return { value, loading, error, retry };
}
