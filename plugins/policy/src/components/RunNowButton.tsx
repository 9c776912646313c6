import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { policyAdminPermission } from '@paved/plugin-policy-common';
import { policyApiRef } from '../api/PolicyApi';
import { errorMessage } from './errorMessage';

/** Starts a run over the whole catalog now; shown to policy admins only. */
export const RunNowButton = () => {
  const api = useApi(policyApiRef);
  const { allowed, loading: checking } = usePermission({
    permission: policyAdminPermission,
  });
  const [state, run] = useAsyncFn(() => api.triggerRun(), [api]);
  if (checking || !allowed) return null;
  return (
    <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap" mt={1}>
      <Button
        variant="outlined"
        size="small"
        onClick={() => run()}
        disabled={state.loading}
      >
        Run now
      </Button>
      {!state.loading && state.error && (
        <Alert severity="error" data-testid="run-error">
          Could not start a run: {errorMessage(state.error)}
        </Alert>
      )}
      {!state.loading && !state.error && state.value && (
        <Alert severity="info" data-testid="run-requested">
          Run requested: refresh this panel to see its result when it finishes.
        </Alert>
      )}
    </Box>
  );
};
