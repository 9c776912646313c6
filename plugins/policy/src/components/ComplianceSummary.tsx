import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { EntityFindingsResponse } from '@paved/plugin-policy-common';
import { ComplianceStatusLabel, LevelCounts } from './ComplianceStatus';
import {
  PolicyChecksNotSetUp,
  EngineNotices,
  StaleResults,
} from './EngineStates';
import { ago, shortRevision } from './time';

/** When and under which policy revision the entity was last evaluated. */
export function evaluationLine(
  value: Pick<EntityFindingsResponse, 'evaluatedAt' | 'policyRevision'>,
): string {
  if (!value.evaluatedAt) return 'Never evaluated';
  return `Evaluated ${ago(value.evaluatedAt)} (${new Date(
    value.evaluatedAt,
  ).toLocaleString()}) under policy revision ${shortRevision(
    value.policyRevision,
  )}`;
}

/** Compliance state, counts per level, evaluation time and revision, staleness. */
export const ComplianceSummary = ({
  value,
}: {
  value: EntityFindingsResponse;
}) => {
  if (!value.engine.configured) return <PolicyChecksNotSetUp />;
  const { compliance } = value;
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <EngineNotices engine={value.engine} />
      <Typography variant="h6" component="div" data-testid="compliance-status">
        <ComplianceStatusLabel compliance={compliance} />
      </Typography>
      {compliance.status === 'unknown' && compliance.reasonMessage && (
        <Typography variant="body2" data-testid="unknown-reason">
          {compliance.reasonMessage}
        </Typography>
      )}
      <LevelCounts counts={compliance.counts} />
      <Typography variant="caption" color="textSecondary">
        {evaluationLine(value)}
      </Typography>
      {value.stale && (
        <StaleResults stale={value.stale} evaluatedAt={value.evaluatedAt} />
      )}
    </Box>
  );
};
