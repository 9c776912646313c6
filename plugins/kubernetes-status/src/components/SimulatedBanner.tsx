import Alert from '@material-ui/lab/Alert';

/** Shown whenever data comes from a Paved simulated cluster. */
export const SimulatedBanner = ({ clusters }: { clusters: string[] }) =>
  clusters.length ? (
    <Alert severity="info" data-testid="simulated-banner">
      Simulated data: {clusters.join(', ')}{' '}
      {clusters.length === 1 ? 'is a' : 'are'} Paved demo cluster
      {clusters.length === 1 ? '' : 's'} served by the Kubernetes simulator, not
      a real cluster.
    </Alert>
  ) : null;
