import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ClusterEntityStatus } from '@paved/plugin-kubernetes-status-common';
import { useEntityKubernetesStatus } from '../hooks/useEntityKubernetesStatus';
import { HealthChip } from './HealthChip';
import { SimulatedBanner } from './SimulatedBanner';
import { ClusterErrors } from './ClusterErrors';
import { ProblemsList } from './ProblemsList';
import { WorkloadsTable } from './WorkloadsTable';
import { PodsTable } from './PodsTable';
import { EventsList, GitOpsList, ResourcesList } from './DetailsLists';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { ago } from './time';

const ClusterSection = ({ status }: { status: ClusterEntityStatus }) => {
  const empty = !status.workloads.length && !status.pods.length;
  return (
    <InfoCard
      title={
        <span data-testid={`cluster-${status.cluster.name}`}>
          {status.cluster.title ?? status.cluster.name}{' '}
          <HealthChip health={status.health} />
        </span>
      }
      subheader={`${
        status.cluster.simulated ? 'Simulated cluster. ' : ''
      }Synced ${ago(status.freshness.lastSyncAt)}`}
    >
      <ClusterErrors errors={status.errors} freshness={status.freshness} />
      <ProblemsList problems={status.problems} />
      {empty && !status.errors.length ? (
        <Typography variant="body2">Not deployed in this cluster.</Typography>
      ) : (
        <>
          <GitOpsList items={status.gitops} />
          <WorkloadsTable workloads={status.workloads} />
          <PodsTable pods={status.pods} cluster={status.cluster.name} />
          <EventsList events={status.events} />
          <ResourcesList items={status.resources} />
        </>
      )}
    </InfoCard>
  );
};

/** The entity's "Kubernetes" tab. @public */
export const KubernetesStatusContent = () => {
  const { value, loading, error, updates } = useEntityKubernetesStatus();
  if (loading) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const hasObjects = value.clusters.some(
    c => c.workloads.length || c.pods.length,
  );
  const simulated = value.clusters
    .filter(c => c.cluster.simulated)
    .map(c => c.cluster.name);
  // Clusters with problems first.
  const clusters = [...value.clusters].sort(
    (a, b) => b.problems.length - a.problems.length,
  );
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <SimulatedBanner clusters={simulated} />
        {error && (
          <Alert severity="warning">
            Refresh failed ({error.message}); showing the previous answer.
          </Alert>
        )}
        <Typography variant="body2" data-testid="overall-health">
          Overall: <HealthChip health={value.health} /> &middot;{' '}
          {updates === 'push'
            ? 'Live updates'
            : 'Polling every 15 s (live updates unavailable)'}{' '}
          &middot; as of {new Date(value.generatedAt).toLocaleTimeString()}
        </Typography>
        {value.drift.map(d => (
          <Alert key={d.workload} severity="info" data-testid="drift">
            Version drift for {d.workload}:{' '}
            {Object.entries(d.versionsByCluster)
              .map(([cluster, versions]) => `${cluster} ${versions.join(', ')}`)
              .join(' vs ')}
          </Alert>
        ))}
      </Grid>
      {!hasObjects && (
        <Grid item xs={12}>
          <DiagnosticsPanel />
        </Grid>
      )}
      {clusters
        .filter(c => hasObjects || c.errors.length)
        .map(c => (
          <Grid item xs={12} key={c.cluster.name}>
            <ClusterSection status={c} />
          </Grid>
        ))}
    </Grid>
  );
};
