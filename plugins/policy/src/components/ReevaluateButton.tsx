import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Alert from '@material-ui/lab/Alert';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EntityFindingsResponse,
  policyEvaluatePermission,
} from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';
import { countsText } from './ComplianceStatus';
import { errorMessage } from './errorMessage';

/**
 * Re-evaluates the entity now, shown only to users allowed to. The result
 * is handed to `onResult` so the page shows the new findings.
 */
export const ReevaluateButton = ({
  entity,
  onResult,
}: {
  entity: CompoundEntityRef;
  onResult(value: EntityFindingsResponse): void;
}) => {
  const api = useApi(policyApiRef);
  const { allowed, loading: checking } = usePermission({
    permission: policyEvaluatePermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [state, evaluate] = useAsyncFn(async () => {
    const result = await api.evaluateEntity(entity);
    onResult(result);
    return result;
  }, [api, entity.kind, entity.namespace, entity.name, onResult]);

  if (checking || !allowed) return null;
  const result = state.value;
  return (
    <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap">
      <Button
        variant="outlined"
        color="primary"
        onClick={() => evaluate()}
        disabled={state.loading}
      >
        {state.loading ? (
          <CircularProgress size={18} aria-label="Re-evaluating" />
        ) : (
          'Re-evaluate'
        )}
      </Button>
      {!state.loading && state.error && (
        <Alert severity="error" data-testid="reevaluate-error">
          Re-evaluation failed: {errorMessage(state.error)}
        </Alert>
      )}
      {!state.loading && !state.error && result && (
        <Alert
          severity={result.stale ? 'warning' : 'success'}
          data-testid="reevaluate-result"
        >
          {result.stale
            ? `The policy engine did not answer (${result.stale.error}); showing the previous results.`
            : `Re-evaluated: ${result.compliance.status}, ${countsText(
                result.compliance.counts,
              )}.`}
        </Alert>
      )}
    </Box>
  );
};
