import useAsync from 'react-use/esm/useAsync';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { kubernetesStatusApiRef } from '../api/KubernetesStatusApi';

/** Explains an empty result: selector, clusters asked, counts, RBAC denials. */
export const DiagnosticsPanel = () => {
  const { entity } = useEntity();
  const api = useApi(kubernetesStatusApiRef);
  const { value, loading, error } = useAsync(
    () => api.getEntityDiagnostics(getCompoundEntityRef(entity)),
    [api, entity],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <EmptyState
      missing="data"
      title="No Kubernetes objects found for this entity"
      description={
        value.reason ??
        `Looked for objects matching ${value.selector?.labelSelector}${
          value.selector?.namespaces
            ? ` in namespaces ${value.selector.namespaces.join(', ')}`
            : ' in all namespaces'
        }.`
      }
      action={
        <div data-testid="diagnostics">
          {value.clusters.map(c => (
            <Typography key={c.cluster.name} variant="body2">
              <strong>{c.cluster.name}</strong>:{' '}
              {c.asked
                ? `${
                    Object.entries(c.countsByType)
                      .filter(([, n]) => n > 0)
                      .map(([t, n]) => `${n} ${t}`)
                      .join(', ') || 'nothing matched'
                  }${
                    c.matchesOutsideNamespaces
                      ? `; ${c.matchesOutsideNamespaces} matching objects in other namespaces (check backstage.io/kubernetes-namespace)`
                      : ''
                  }`
                : c.skippedReason}
              {c.errors
                .map(
                  e =>
                    ` [${e.type}${e.resource ? ` ${e.resource}` : ''}: ${
                      e.message
                    }]`,
                )
                .join('')}
            </Typography>
          ))}
          {value.clusters.length === 0 && (
            <Typography variant="body2">
              No clusters are configured (kubernetesStatus.clusters).
            </Typography>
          )}
        </div>
      }
    />
  );
};
