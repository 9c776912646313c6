import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { EntityFindingsResponse } from '@paved/plugin-policy-common';
import { useEntityPolicyFindings } from '../hooks/useEntityPolicyFindings';
import { ComplianceSummary } from './ComplianceSummary';
import { PolicyChecksNotSetUp } from './EngineStates';
import { FindingsBySource } from './FindingsBySource';
import { GatekeeperAudits } from './GatekeeperAudits';
import { ReevaluateButton } from './ReevaluateButton';
import { shortRevision } from './time';

function noFindingsReason(value: EntityFindingsResponse): string {
  const { compliance } = value;
  if (compliance.status === 'unknown') {
    return (
      compliance.reasonMessage ?? 'The compliance of this entity is unknown.'
    );
  }
  return `Every rule passed at the last evaluation (policy revision ${shortRevision(
    value.policyRevision,
  )}).`;
}

/** The entity's policy findings, grouped by source. @public */
export const EntityPoliciesContent = () => {
  const { entity } = useEntity();
  const { value, loading, error, replace } = useEntityPolicyFindings();
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  if (!value.engine.configured) return <PolicyChecksNotSetUp />;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Policy compliance">
          <Box display="flex" flexDirection="column" gridGap={16}>
            <ComplianceSummary value={value} />
            <ReevaluateButton
              entity={getCompoundEntityRef(entity)}
              onResult={replace}
            />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {value.findings.length ? (
          <Box display="flex" flexDirection="column" gridGap={24}>
            <FindingsBySource findings={value.findings} />
          </Box>
        ) : (
          <EmptyState
            missing="data"
            title="No findings"
            description={
              <Typography variant="body1">{noFindingsReason(value)}</Typography>
            }
          />
        )}
      </Grid>
      {value.gatekeeper && value.gatekeeper.length > 0 && (
        <Grid item xs={12}>
          <GatekeeperAudits audits={value.gatekeeper} />
        </Grid>
      )}
    </Grid>
  );
};
