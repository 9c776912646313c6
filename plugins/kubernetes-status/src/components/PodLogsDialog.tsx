import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Switch from '@material-ui/core/Switch';
import {
  LogViewer,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { PodStatus } from '@paved/plugin-kubernetes-status-common';
import { kubernetesStatusApiRef } from '../api/KubernetesStatusApi';

/** Last lines of a container, current or previous instance. */
export const PodLogsDialog = (props: {
  cluster: string;
  pod: PodStatus;
  onClose(): void;
}) => {
  const { cluster, pod, onClose } = props;
  const { entity } = useEntity();
  const api = useApi(kubernetesStatusApiRef);
  const [container, setContainer] = useState(pod.containers[0]?.name ?? '');
  const [previous, setPrevious] = useState(pod.containers[0]?.restarts > 0);
  const logs = useAsync(
    () =>
      api.getPodLogs(getCompoundEntityRef(entity), {
        cluster,
        namespace: pod.namespace ?? 'default',
        pod: pod.name,
        container,
        previous,
      }),
    [api, cluster, pod.name, container, previous],
  );
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-label={`logs of ${pod.name}`}
    >
      <DialogTitle>
        Logs of {pod.name} ({cluster})
      </DialogTitle>
      <DialogContent>
        <Select
          value={container}
          onChange={e => setContainer(String(e.target.value))}
          aria-label="container"
        >
          {pod.containers.map(c => (
            <MenuItem key={c.name} value={c.name}>
              {c.name}
            </MenuItem>
          ))}
        </Select>
        <FormControlLabel
          control={
            <Switch checked={previous} onChange={(_, v) => setPrevious(v)} />
          }
          label="Previous instance"
        />
        {logs.loading && <Progress />}
        {logs.error && <ResponseErrorPanel error={logs.error} />}
        {logs.value && (
          <div style={{ height: 480 }}>
            <LogViewer
              text={
                logs.value.lines.length
                  ? logs.value.lines.join('\n')
                  : '(no log lines)'
              }
            />
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
};
