import { ReactNode } from 'react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import {
  EngineHealthResponse,
  EvaluationRunSummary,
} from '@paved/plugin-policy-common';
import { useEngineHealth } from '../hooks/usePolicyData';
import { countsText } from './ComplianceStatus';
import { EngineNotConfigured, EngineNotices } from './EngineStates';
import { RunNowButton } from './RunNowButton';
import { ago, duration, shortRevision } from './time';

// The card clips what overflows it: long tokens (URLs, revisions, error
// messages with paths) break where they must instead of being cut off.
const rowText = {
  style: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
} as const;

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <ListItem disableGutters dense>
    <ListItemText
      primary={children}
      secondary={label}
      primaryTypographyProps={rowText}
    />
  </ListItem>
);

const LastRun = ({ run }: { run?: EvaluationRunSummary }) => {
  if (!run) return <Row label="Last run">No evaluation run yet</Row>;
  return (
    <>
      <Row label="Last run">
        {run.finishedAt
          ? `finished ${ago(run.finishedAt)}`
          : `started ${ago(run.startedAt)}, still running`}{' '}
        ({run.trigger}), revision {shortRevision(run.policyRevision)}
      </Row>
      <Row label="Duration">{duration(run.durationMs)}</Row>
      <Row label="Counts">
        {run.entities} entities, {run.evaluated} evaluated, {run.skipped}{' '}
        unchanged, {run.opaCalls} OPA calls, {run.errors} errors; findings:{' '}
        {countsText(run.counts)}
      </Row>
      {run.errorMessages.length > 0 && (
        <Row label="Errors of the last run">
          {run.errorMessages.map((m, i) => (
            <Typography
              key={i}
              variant="body2"
              color="error"
              component="span"
              display="block"
            >
              {m}
            </Typography>
          ))}
        </Row>
      )}
    </>
  );
};

const EngineState = ({ value }: { value: EngineHealthResponse }) => {
  const { engine, lastRun } = value;
  if (!engine.configured) {
    return (
      <>
        <EngineNotConfigured message={engine.message} />
        {lastRun && <LastRun run={lastRun} />}
      </>
    );
  }
  return (
    <>
      <EngineNotices engine={engine} />
      {!engine.reachable && lastRun && (
        <Alert severity="warning" data-testid="engine-stale">
          The policy engine is unreachable: results shown are from the last run,{' '}
          {ago(lastRun.finishedAt ?? lastRun.startedAt)}.
        </Alert>
      )}
      <List dense disablePadding>
        <Row label="OPA">
          {engine.reachable ? (
            <StatusOK>reachable</StatusOK>
          ) : (
            <StatusError>unreachable</StatusError>
          )}
          {engine.baseUrl ? ` at ${engine.baseUrl}` : ''}
          {engine.error ? `: ${engine.error}` : ''}
        </Row>
        <Row label="Active revision">
          {engine.activeRevision
            ? shortRevision(engine.activeRevision)
            : 'unknown'}
        </Row>
        <LastRun run={lastRun} />
      </List>
      <RunNowButton />
    </>
  );
};

/** OPA reachable, active revision, last run with its duration, counts and errors. */
export const EngineHealthPanel = () => {
  const { value, loading, error, retry } = useEngineHealth();
  return (
    <InfoCard
      title="Policy engine"
      action={
        <IconButton aria-label="Refresh engine health" onClick={retry}>
          <RefreshIcon />
        </IconButton>
      }
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && <EngineState value={value} />}
    </InfoCard>
  );
};
