import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { ClusterEntityStatus } from '@paved/plugin-kubernetes-status-common';
import { useEntityKubernetesStatus } from '../hooks/useEntityKubernetesStatus';
import { HealthChip } from './HealthChip';
import { FullText } from './FullText';

function clusterLine(c: ClusterEntityStatus): string {
  if (c.errors.length) return c.errors[0].message;
  if (!c.workloads.length && !c.pods.length) return 'not deployed';
  return `${c.pods.filter(p => p.ready).length}/${c.pods.length} pods ready, ${
    c.problems.length
  } problem(s)`;
}

/**
 * Compact health per cluster, for the entity overview (an info card, so it
 * sits at the top of the overview's side column), linking to the tab.
 * @public
 */
export const KubernetesHealthCard = () => {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const { value, loading, error } = useEntityKubernetesStatus();
  const tabLink = `${entityLink(getCompoundEntityRef(entity)).replace(
    /\/$/,
    '',
  )}/kubernetes`;
  return (
    <InfoCard
      title="Kubernetes"
      deepLink={{ title: 'View Kubernetes status', link: tabLink }}
    >
      {loading && <Progress />}
      {error && !value && <ResponseErrorPanel error={error} />}
      {value && value.reason && (
        <Typography variant="body2">{value.reason}</Typography>
      )}
      {value && !value.reason && (
        <>
          <Typography variant="body2">
            Overall <HealthChip health={value.health} />
            {value.clusters.some(c => c.cluster.simulated)
              ? ' (simulated data)'
              : ''}
          </Typography>
          <List dense>
            {value.clusters.map(c => (
              <ListItem key={c.cluster.name}>
                <ListItemText
                  primary={
                    <>
                      {c.cluster.name}: <HealthChip health={c.health} />
                    </>
                  }
                  secondary={<FullText text={clusterLine(c)} />}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
};
