import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { useEntityTemplateDrift } from '../hooks/useTemplateDrift';
import { DriftChip, versionGap } from './DriftChip';

/** Which template (and version) the entity came from, and how far behind it is. @public */
export const TemplateDriftCard = () => {
  const { entity } = useEntity();
  const { value, loading, error } = useEntityTemplateDrift(entity);
  return (
    <InfoCard title="Golden-path template">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <Typography variant="body2" gutterBottom>
            Created from{' '}
            {value.templateRef ? (
              <EntityRefLink entityRef={value.templateRef} />
            ) : (
              'an unknown template'
            )}{' '}
            version {value.generatedVersion ?? 'unknown'}.
          </Typography>
          <Typography variant="body2">
            <DriftChip drift={value} />{' '}
            {value.gap === 'unknown' ? value.reason : versionGap(value)}
          </Typography>
        </>
      )}
    </InfoCard>
  );
};
