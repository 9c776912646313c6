import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Typography from '@material-ui/core/Typography';
import { NO_POLICY_ENGINE_MESSAGE, PolicyEngineConfigured, PolicyStaleness } from '@paved/plugin-policy-common';
import { ago } from './time';

/** Says plainly that no policy engine is configured, and how to add one. */
export const EngineNotConfigured = ({ message }: { message?: string }) => (
  <Alert severity="info" data-testid="engine-not-configured">
    <AlertTitle>No policy engine configured</AlertTitle>
    <Typography variant="body2">{message ?? NO_POLICY_ENGINE_MESSAGE}</Typography>
    <Typography variant="body2">
      Until then nothing is evaluated and no entity is reported as passing.
    </Typography>
  </Alert>
);

/**
 * The engine is Paved's SIMULATED OPA stand-in: its decisions are not OPA's,
 * and no view may look as if they were.
 */
export const SimulatedEngineNotice = ({ engine }: { engine: PolicyEngineConfigured }) =>
  engine.simulated ? (
    <Alert severity="warning" data-testid="simulated-engine">
      <AlertTitle>Simulated policy engine</AlertTitle>
      <Typography variant="body2">
        These decisions come from Paved's simulated OPA server (JavaScript mirrors of a few rules in
        policies/), not from OPA. Point policy.opa.baseUrl at a real OPA for real decisions.
      </Typography>
    </Alert>
  ) : null;

/** The last evaluation failed: the results shown are older. */
export const StaleResults = ({ stale, evaluatedAt }: { stale: PolicyStaleness; evaluatedAt?: string }) => (
  <Alert severity="warning" data-testid="stale-results">
    <AlertTitle>Stale results</AlertTitle>
    <Typography variant="body2">
      Evaluation has failed since {ago(stale.since)}: {stale.error}
    </Typography>
    <Typography variant="body2">
      {evaluatedAt
        ? `Showing the results of the last successful evaluation, ${ago(evaluatedAt)}.`
        : 'There is no successful evaluation to show.'}
    </Typography>
  </Alert>
);
