import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Typography from '@material-ui/core/Typography';
import {
  EngineBundleError,
  EngineBundleProblem,
  NO_POLICY_ENGINE_MESSAGE,
  PolicyEngineConfigured,
  PolicyStaleness,
} from '@paved/plugin-policy-common';
import { ago } from './time';

/** Says plainly that no policy engine is configured, and how to add one. */
export const EngineNotConfigured = ({ message }: { message?: string }) => (
  <Alert severity="info" data-testid="engine-not-configured">
    <AlertTitle>No policy engine configured</AlertTitle>
    <Typography variant="body2">
      {message ?? NO_POLICY_ENGINE_MESSAGE}
    </Typography>
    <Typography variant="body2">
      Until then nothing is evaluated and no entity is reported as passing.
    </Typography>
  </Alert>
);

/**
 * The same state for the people who read an entity's results (its card and
 * Policies tab): what it means for them, without the configuration keys an
 * administrator needs (the Compliance page's engine panel has those, once).
 */
export const PolicyChecksNotSetUp = () => (
  <Alert severity="info" data-testid="policy-checks-not-set-up">
    <AlertTitle>Policy checks are not set up in this portal</AlertTitle>
    <Typography variant="body2">
      Nothing has been evaluated, so this entity is neither passing nor failing.
      The platform team turns the checks on by connecting a policy engine; the
      Compliance page says how.
    </Typography>
  </Alert>
);

/**
 * The engine is Paved's SIMULATED OPA stand-in: its decisions are not OPA's,
 * and no view may look as if they were.
 */
export const SimulatedEngineNotice = ({
  engine,
}: {
  engine: PolicyEngineConfigured;
}) =>
  engine.simulated ? (
    <Alert severity="warning" data-testid="simulated-engine">
      <AlertTitle>Simulated policy engine</AlertTitle>
      <Typography variant="body2">
        These answers come from Paved's simulated OPA server, a test stand-in
        that evaluates no Rego, not from OPA. Point policy.opa.baseUrl at a real
        OPA for real decisions.
      </Typography>
    </Alert>
  ) : null;

/** The last evaluation failed: the results shown are older. */
export const StaleResults = ({
  stale,
  evaluatedAt,
}: {
  stale: PolicyStaleness;
  evaluatedAt?: string;
}) => (
  <Alert severity="warning" data-testid="stale-results">
    <AlertTitle>Stale results</AlertTitle>
    <Typography variant="body2">
      Evaluation has failed since {ago(stale.since)}: {stale.error}
    </Typography>
    <Typography variant="body2">
      {evaluatedAt
        ? `Showing the results of the last successful evaluation, ${ago(
            evaluatedAt,
          )}.`
        : 'There is no successful evaluation to show.'}
    </Typography>
  </Alert>
);

const where = (p: EngineBundleProblem) =>
  p.file
    ? `${p.file}${p.row ? `:${p.row}` : ''}${p.col ? `:${p.col}` : ''}: `
    : '';

/**
 * OPA reported that it could not download or activate a policy bundle
 * (its status API), with the file and line of each compile error. Without an
 * earlier bundle nothing is evaluated; with one, OPA keeps deciding with it.
 */
export const EngineBundleErrors = ({
  errors,
}: {
  errors?: EngineBundleError[];
}) => {
  if (!errors?.length) return null;
  return (
    <>
      {errors.map(error => (
        <Alert
          severity="error"
          key={`${error.instance}/${error.bundle}`}
          data-testid="engine-bundle-error"
        >
          <AlertTitle>
            OPA could not load policy bundle {error.bundle}
          </AlertTitle>
          <Typography variant="body2">
            {error.message}
            {error.activeRevision
              ? `. OPA keeps deciding with the revision it loaded before, ${error.activeRevision}.`
              : '. OPA has no policy loaded: nothing is evaluated until the bundle loads.'}
          </Typography>
          {error.problems.map((p, i) => (
            <Typography
              key={i}
              variant="body2"
              component="pre"
              style={{ whiteSpace: 'pre-wrap', margin: 0 }}
            >
              {`${where(p)}${p.code}: ${p.message}`}
            </Typography>
          ))}
          <Typography variant="caption">
            Reported by OPA {ago(error.reportedAt)}.
          </Typography>
        </Alert>
      ))}
    </>
  );
};

/** What every policy view says about the engine it got its answer from. */
export const EngineNotices = ({
  engine,
}: {
  engine: PolicyEngineConfigured;
}) => (
  <>
    <SimulatedEngineNotice engine={engine} />
    <EngineBundleErrors errors={engine.bundleErrors} />
  </>
);
