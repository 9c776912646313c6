import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntityPolicyFindings } from '../hooks/useEntityPolicyFindings';
import { ComplianceSummary } from './ComplianceSummary';

/** Compliance of the current entity, for its overview. @public */
export const PolicyComplianceCard = () => {
  const { value, loading, error } = useEntityPolicyFindings();
  return (
    <InfoCard title="Policy compliance">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !loading && <ComplianceSummary value={value} />}
    </InfoCard>
  );
};
