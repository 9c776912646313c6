import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { HealthState } from '@paved/plugin-kubernetes-status-common';

const LABELS: Record<HealthState, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  failing: 'Failing',
  unknown: 'Unknown',
};

/** Health as a status dot with a word, never colour alone. @public */
export const HealthChip = ({ health }: { health: HealthState }) => {
  const label = LABELS[health];
  switch (health) {
    case 'ok':
      return <StatusOK>{label}</StatusOK>;
    case 'degraded':
      return <StatusWarning>{label}</StatusWarning>;
    case 'failing':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
};
