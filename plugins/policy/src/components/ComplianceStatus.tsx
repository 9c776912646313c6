import Typography from '@material-ui/core/Typography';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import {
  ComplianceState,
  ComplianceStatus,
  UnknownComplianceReason,
  ViolationCounts,
} from '@paved/plugin-policy-common';

const LABELS: Record<ComplianceStatus, string> = {
  passing: 'Passing',
  warnings: 'Warnings',
  failing: 'Failing',
  unknown: 'Unknown',
};

const REASON_LABELS: Record<UnknownComplianceReason, string> = {
  'not-configured': 'no policy engine',
  'not-evaluated': 'not evaluated yet',
  'undefined-result': 'policy returned no result',
  'invalid-result': 'policy returned an invalid result',
  'engine-error': 'policy engine error',
  skipped: 'opted out',
};

/** Passing / Warnings / Failing / Unknown (reason), with a status dot. */
export const ComplianceStatusLabel = ({
  compliance,
}: {
  compliance: ComplianceState;
}) => {
  const label = LABELS[compliance.status];
  switch (compliance.status) {
    case 'passing':
      return <StatusOK>{label}</StatusOK>;
    case 'warnings':
      return <StatusWarning>{label}</StatusWarning>;
    case 'failing':
      return <StatusError>{label}</StatusError>;
    default:
      return (
        <StatusAborted>
          {label}
          {compliance.reason
            ? ` (${REASON_LABELS[compliance.reason] ?? compliance.reason})`
            : ''}
        </StatusAborted>
      );
  }
};

const plural = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

/** "2 errors, 1 warning, 0 info" */
export function countsText(counts: ViolationCounts): string {
  return [
    plural(counts.error, 'error', 'errors'),
    plural(counts.warning, 'warning', 'warnings'),
    `${counts.info} info`,
  ].join(', ');
}

/** Counts per level as one line of text. */
export const LevelCounts = ({ counts }: { counts: ViolationCounts }) => (
  <Typography variant="body2" component="span">
    {countsText(counts)}
  </Typography>
);
