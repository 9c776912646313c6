import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useEffect } from 'react';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  EmptyState,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ClusterOverview,
  ClusterRef,
  HealthState,
} from '@paved/plugin-kubernetes-status-common';
import { kubernetesStatusApiRef } from '../api/KubernetesStatusApi';
import { HealthChip } from './HealthChip';
import { ago } from './time';
import { FullText } from './FullText';
import { headerStyle, nameCellStyle } from './tableStyles';

const SIMULATED_SUFFIX = /\s*\(simulated\)\s*$/i;

/**
 * A cluster's name on this page, labelled "(simulated)" once. The page adds
 * the label from `simulated: true`; a title that already ends with it (as
 * the demo clusters' titles did, "demo-prod-eu-1 (simulated)") must not get
 * a second one.
 */
export const clusterLabel = (cluster: ClusterRef): string => {
  const title = cluster.title ?? cluster.name;
  return cluster.simulated
    ? `${title.replace(SIMULATED_SUFFIX, '')} (simulated)`
    : title;
};

function reachability(c: ClusterOverview): HealthState {
  if (!c.reachable) return 'failing';
  return c.freshness.stale ? 'degraded' : 'ok';
}

const columns: TableColumn<ClusterOverview>[] = [
  {
    title: 'Cluster',
    render: c => clusterLabel(c.cluster),
    cellStyle: nameCellStyle,
  },
  { title: 'Reachable', render: c => <HealthChip health={reachability(c)} /> },
  { title: 'Version', render: c => c.version ?? '-' },
  { title: 'Nodes', render: c => c.nodeCount ?? '-' },
  {
    title: 'Pods',
    render: c =>
      Object.entries(c.podsByPhase)
        .map(([phase, n]) => `${n} ${phase}`)
        .join(', ') || '-',
  },
  { title: 'Last sync', render: c => ago(c.freshness.lastSyncAt) },
  {
    title: 'Errors',
    render: c =>
      c.errors.length ? (
        <FullText
          text={c.errors
            .map(
              e =>
                `${e.type}${e.resource ? ` (${e.resource})` : ''}: ${
                  e.message
                }`,
            )
            .join('; ')}
        />
      ) : (
        '-'
      ),
  },
];

/** Every cluster with reachability, version, nodes, pods and freshness. @public */
export const ClustersPage = () => {
  const api = useApi(kubernetesStatusApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getClusters(),
    [api],
  );
  useEffect(() => {
    const timer = setInterval(retry, 30_000);
    return () => clearInterval(timer);
  }, [retry]);
  return (
    <Page themeId="tool">
      <Header
        title="Clusters"
        subtitle="Kubernetes clusters watched by Paved"
      />
      <Content>
        {loading && !value && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && value.clusters.length === 0 && (
          <EmptyState
            missing="info"
            title="No clusters configured"
            description="Add clusters under kubernetesStatus.clusters in app-config.yaml, or catalog Resources of spec.type kubernetes-cluster."
          />
        )}
        {value && value.clusters.length > 0 && (
          <Table
            title="Clusters"
            options={{ paging: false, search: false, headerStyle }}
            columns={columns}
            data={value.clusters.map(c => ({ ...c, id: c.cluster.name }))}
          />
        )}
      </Content>
    </Page>
  );
};
