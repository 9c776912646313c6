import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { PodStatus } from '@paved/plugin-kubernetes-status-common';
import { kubernetesStatusApiRef } from '../api/KubernetesStatusApi';

const useStyles = makeStyles(theme => ({
  title: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  titleText: { flex: 1, overflowWrap: 'anywhere' },
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  log: {
    height: 480,
    overflow: 'auto',
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: 'monospace',
    fontSize: '0.8125rem',
    lineHeight: 1.5,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
}));

// Terminal colour codes (ESC [ … m and other CSI sequences) in container
// output would show as garbage in plain text.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * Last lines of a container, current or previous instance. The log is one
 * focusable region (role "log"): its lines are plain text, not one tab stop
 * each, so Tab goes from the filter to the close button and back. Focus goes
 * back to the LOGS button that opened it (see PodsTable).
 */
export const PodLogsDialog = (props: {
  cluster: string;
  pod: PodStatus;
  onClose(): void;
}) => {
  const { cluster, pod, onClose } = props;
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useApi(kubernetesStatusApiRef);
  const [container, setContainer] = useState(pod.containers[0]?.name ?? '');
  const [previous, setPrevious] = useState(pod.containers[0]?.restarts > 0);
  const [filter, setFilter] = useState('');
  const logRef = useRef<HTMLPreElement>(null);
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
  const lines = (logs.value?.lines ?? []).map(l =>
    l.replace(ANSI_SEQUENCE, ''),
  );
  const needle = filter.trim().toLocaleLowerCase();
  const shown = needle
    ? lines.filter(l => l.toLocaleLowerCase().includes(needle))
    : lines;
  // The newest lines are at the end: start there, as a terminal would.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [logs.value, needle]);

  let empty: string | undefined;
  if (!lines.length) empty = '(no log lines)';
  else if (!shown.length) empty = `(no line contains "${filter.trim()}")`;
  const instance = previous ? 'previous instance' : 'current instance';
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="pod-logs-title"
    >
      <DialogTitle disableTypography className={classes.title}>
        <Typography
          variant="h6"
          component="h2"
          id="pod-logs-title"
          className={classes.titleText}
        >
          Logs of {pod.name} ({cluster})
        </Typography>
        <IconButton aria-label="Close" onClick={onClose} size="small">
          <CloseIcon />
        </IconButton>
      </DialogTitle>
      <DialogContent>
        <div className={classes.controls}>
          <FormControl>
            <InputLabel id="pod-logs-container-label">Container</InputLabel>
            <Select
              labelId="pod-logs-container-label"
              value={container}
              onChange={e => setContainer(String(e.target.value))}
            >
              {pod.containers.map(c => (
                <MenuItem key={c.name} value={c.name}>
                  {c.name}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <FormControlLabel
            control={
              <Switch checked={previous} onChange={(_, v) => setPrevious(v)} />
            }
            label="Previous instance"
          />
          <TextField
            id="pod-logs-filter"
            label="Filter lines"
            type="search"
            value={filter}
            onChange={e => setFilter(e.target.value)}
            helperText={
              logs.value && needle
                ? `${shown.length} of ${lines.length} lines`
                : undefined
            }
          />
        </div>
        {logs.loading && <Progress />}
        {logs.error && <ResponseErrorPanel error={logs.error} />}
        {logs.value && !logs.loading && (
          <pre
            ref={logRef}
            role="log"
            // A scrolling region must be reachable by keyboard to be
            // scrolled by it (WCAG 2.1.1); one stop for the whole log.
            // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
            tabIndex={0}
            aria-label={`Log lines of ${container} (${instance})`}
            className={classes.log}
          >
            {empty ?? shown.map((line, i) => <div key={i}>{line || ' '}</div>)}
          </pre>
        )}
      </DialogContent>
    </Dialog>
  );
};
