import {
  Link,
  Progress,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { makeStyles, Typography } from '@material-ui/core';
import { DateTime } from 'luxon';
import useAsync from 'react-use/esm/useAsync';
import { createRouteRef, taskRouteRef } from './routes';
import { WIDGET_NAMES } from './widgetNames';
import { widgetTitle } from './widgetTitle';

/** How many runs the widget lists. */
export const RECENT_RUNS_LIMIT = 5;

type ScaffolderTask = Awaited<
  ReturnType<(typeof scaffolderApiRef)['T']['listTasks']>
>['tasks'][number];

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(0.5, 2),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  title: { flex: '1 1 14rem', minWidth: 0, overflowWrap: 'anywhere' },
  status: { flex: '0 0 auto' },
  footer: { marginTop: theme.spacing(1) },
}));

/** Status as a dot with a word, never colour alone. */
const RunStatus = ({ status }: { status: ScaffolderTask['status'] }) => {
  switch (status) {
    case 'completed':
      return <StatusOK>Completed</StatusOK>;
    case 'failed':
      return <StatusError>Failed</StatusError>;
    case 'processing':
      return <StatusRunning>Running</StatusRunning>;
    case 'open':
      return <StatusPending>Queued</StatusPending>;
    case 'cancelled':
      return <StatusAborted>Cancelled</StatusAborted>;
    default:
      return <StatusAborted>{status}</StatusAborted>;
  }
};

const templateTitle = (task: ScaffolderTask) => {
  const info = task.spec.templateInfo;
  return (
    info?.entity?.metadata?.title ??
    info?.entity?.metadata?.name ??
    info?.entityRef ??
    'Unknown template'
  );
};

const createdAt = (iso: string) => {
  const time = DateTime.fromISO(iso);
  return time.isValid
    ? {
        relative: time.toRelative() ?? iso,
        absolute: time.toLocaleString(DateTime.DATETIME_MED),
      }
    : { relative: iso, absolute: iso };
};

/**
 * The signed-in user's latest golden-path (scaffolder) runs: template, status
 * and when it was started, each linking to its task page.
 */
export const RecentRunsContent = () => {
  const classes = useStyles();
  const scaffolderApi = useApi(scaffolderApiRef);
  const taskRoute = useRouteRef(taskRouteRef);
  const createRoute = useRouteRef(createRouteRef);

  const { value, loading, error } = useAsync(
    () =>
      scaffolderApi.listTasks({
        filterByOwnership: 'owned',
        limit: RECENT_RUNS_LIMIT,
      }),
    [scaffolderApi],
  );

  if (loading) return <Progress />;
  if (error) {
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title="Could not load your golden-path runs"
        message={error.message}
      />
    );
  }
  // The backend honours the limit; slicing keeps the widget bounded if not.
  const tasks = (value?.tasks ?? []).slice(0, RECENT_RUNS_LIMIT);
  if (tasks.length === 0) {
    return (
      <Typography variant="body2">
        You have not run a golden path yet.{' '}
        {createRoute ? (
          <Link to={createRoute()}>Create a service from a golden path</Link>
        ) : null}
      </Typography>
    );
  }
  return (
    <>
      <ul className={classes.list} aria-label="Recent golden-path runs">
        {tasks.map(task => {
          const title = templateTitle(task);
          const time = createdAt(task.createdAt);
          return (
            <li key={task.id} className={classes.row}>
              <Typography
                variant="body1"
                component="div"
                className={classes.title}
              >
                {taskRoute ? (
                  <Link to={taskRoute({ taskId: task.id })}>{title}</Link>
                ) : (
                  title
                )}
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  Started{' '}
                  <time dateTime={task.createdAt} title={time.absolute}>
                    {time.relative}
                  </time>
                </Typography>
              </Typography>
              <Typography
                variant="body2"
                component="div"
                className={classes.status}
              >
                <RunStatus status={task.status} />
              </Typography>
            </li>
          );
        })}
      </ul>
      {createRoute ? (
        <Typography variant="body2" className={classes.footer}>
          <Link to={createRoute()}>Run another golden path</Link>
        </Typography>
      ) : null}
    </>
  );
};

/** Home widget: the user's recent golden-path runs. */
export const recentRunsWidget = HomePageWidgetBlueprint.make({
  name: 'recent-runs',
  params: {
    name: WIDGET_NAMES.recentRuns,
    title: 'Recent golden-path runs',
    componentProps: { title: widgetTitle('Recent golden-path runs') },
    description: 'Your latest scaffolder runs and their status',
    components: async () => ({ Content: RecentRunsContent }),
  },
});
