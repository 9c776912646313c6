import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useComplianceTrend } from '../hooks/useComplianceTrend';
import { TrendChart } from './TrendChart';

/** Trend of violations of the fleet, or of the given owners' entities. */
export const TrendCard = ({ owners }: { owners?: string[] }) => {
  const { value, loading, error } = useComplianceTrend(owners);
  return (
    <InfoCard
      title={owners ? 'Violations over time: my teams' : 'Violations over time'}
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value?.restricted && (
        <Typography variant="body2" data-testid="trend-restricted">
          {value.restricted}
        </Typography>
      )}
      {value && !value.restricted && value.points.length === 0 && (
        <Typography variant="body2" data-testid="trend-empty">
          No evaluation runs yet{owners ? ' for entities of your teams' : ''}:
          the trend starts with the first policy run.
        </Typography>
      )}
      {value && value.points.length > 0 && <TrendChart points={value.points} />}
    </InfoCard>
  );
};
