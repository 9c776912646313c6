import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntityPolicyFindings } from '../hooks/useEntityPolicyFindings';
import { ComplianceSummary } from './ComplianceSummary';
import { usePoliciesTabLink } from './useEntityTabLink';

/** Compliance of the current entity, for its overview. @public */
export const PolicyComplianceCard = () => {
  const { entity } = useEntity();
  const { value, loading, error } = useEntityPolicyFindings();
  const tabLink = usePoliciesTabLink(getCompoundEntityRef(entity));
  return (
    <InfoCard
      title="Policy compliance"
      deepLink={
        value?.engine.configured
          ? { title: 'View findings', link: tabLink }
          : undefined
      }
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !loading && <ComplianceSummary value={value} />}
    </InfoCard>
  );
};
