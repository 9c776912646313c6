import Alert from '@material-ui/lab/Alert';
import {
  ClusterError,
  Freshness,
} from '@paved/plugin-kubernetes-status-common';
import { ago } from './time';
import { FullText } from './FullText';

const TITLES: Record<ClusterError['type'], string> = {
  unreachable: 'Cluster unreachable',
  unauthorized: 'Not authorized by the cluster',
  forbidden: 'Forbidden',
  timeout: 'Timed out',
  'not-synced': 'Not synced yet',
  unknown: 'Error',
};

/** Per-cluster errors and staleness, each in its own alert. */
export const ClusterErrors = ({
  errors,
  freshness,
}: {
  errors: ClusterError[];
  freshness: Freshness;
}) => (
  <>
    {errors.map(e => (
      <Alert
        key={`${e.type}:${e.resource ?? ''}`}
        severity={e.resource ? 'warning' : 'error'}
      >
        <strong>
          {TITLES[e.type]}
          {e.resource ? ` (${e.resource})` : ''}:
        </strong>{' '}
        <FullText text={e.message} /> <em>since {ago(e.since)}</em>
      </Alert>
    ))}
    {freshness.stale && (
      <Alert severity="warning">
        Stale data: showing the cache as of{' '}
        {freshness.lastSyncAt ? ago(freshness.lastSyncAt) : 'never synced'}
        {freshness.staleSince
          ? `, out of sync since ${ago(freshness.staleSince)}`
          : ''}
        .
      </Alert>
    )}
  </>
);
