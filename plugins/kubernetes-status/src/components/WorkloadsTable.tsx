import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import { WorkloadStatus } from '@paved/plugin-kubernetes-status-common';
import { headerStyle, nameCellStyle } from './tableStyles';
import { FullText } from './FullText';

const RolloutCell = ({ w }: { w: WorkloadStatus }) => {
  const percent = w.desired
    ? Math.round((Math.min(w.updated, w.available) / w.desired) * 100)
    : 100;
  return (
    <div data-testid={`rollout-${w.name}`}>
      <Typography variant="body2">
        {w.rollout.state}: {w.updated}/{w.desired} updated, {w.ready} ready,{' '}
        {w.available} available
        {w.rollout.oldReplicaSets.length
          ? `, ${w.rollout.oldReplicaSets.length} old ReplicaSet(s) draining`
          : ''}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        color={w.rollout.state === 'stalled' ? 'secondary' : 'primary'}
        aria-label={`rollout of ${w.name}: ${percent}%`}
      />
      {w.rollout.message && w.rollout.state !== 'complete' && (
        <FullText variant="caption" text={w.rollout.message} />
      )}
    </div>
  );
};

const columns: TableColumn<WorkloadStatus>[] = [
  {
    title: 'Workload',
    render: w => `${w.kind} ${w.namespace}/${w.name}`,
    cellStyle: nameCellStyle,
  },
  { title: 'Version', render: w => w.versions.join(', ') },
  { title: 'Rollout', render: w => <RolloutCell w={w} /> },
  {
    title: 'Generation',
    render: w => `${w.observedGeneration}/${w.generation}`,
  },
];

export const WorkloadsTable = ({
  workloads,
}: {
  workloads: WorkloadStatus[];
}) => (
  <Table
    title="Workloads"
    options={{ paging: false, search: false, padding: 'dense', headerStyle }}
    columns={columns}
    data={workloads.map(w => ({
      ...w,
      id: `${w.kind}/${w.namespace ?? ''}/${w.name}`,
    }))}
  />
);
