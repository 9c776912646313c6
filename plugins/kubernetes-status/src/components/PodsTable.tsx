import { useState } from 'react';
import Button from '@material-ui/core/Button';
import {
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { PodStatus } from '@paved/plugin-kubernetes-status-common';
import { ago } from './time';
import { headerStyle, nameCellStyle } from './tableStyles';
import { PodLogsDialog } from './PodLogsDialog';

const reasonOf = (p: PodStatus) =>
  p.containers
    .map(c => c.waitingReason ?? c.lastTerminationReason)
    .filter(Boolean)
    .join(', ');

/**
 * The row id of a pod, which the table needs to keep each row's state
 * across refetches: its `metadata.uid` when the status carries one,
 * otherwise namespace/name (unique within the cluster the table shows).
 */
export const podRowId = (pod: PodStatus): string =>
  pod.uid || `${pod.namespace ?? ''}/${pod.name}`;

const PodState = ({ pod }: { pod: PodStatus }) => {
  const text = `${pod.phase} ${pod.readyContainers}/${pod.totalContainers}`;
  if (pod.ready) return <StatusOK>{text}</StatusOK>;
  if (pod.phase === 'Pending') return <StatusPending>{text}</StatusPending>;
  return <StatusError>{text}</StatusError>;
};

export const PodsTable = ({
  pods,
  cluster,
}: {
  pods: PodStatus[];
  cluster: string;
}) => {
  const [logsOf, setLogsOf] = useState<PodStatus>();
  const columns: TableColumn<PodStatus>[] = [
    { title: 'Pod', field: 'name', cellStyle: nameCellStyle },
    { title: 'State', render: p => <PodState pod={p} /> },
    { title: 'Restarts', field: 'restarts' },
    { title: 'Reason', render: p => reasonOf(p) || '-' },
    { title: 'Node', render: p => p.node ?? '-' },
    { title: 'Age', render: p => ago(p.createdAt) },
    {
      title: 'Logs',
      render: p => (
        <Button
          size="small"
          onClick={() => setLogsOf(p)}
          aria-label={`logs of ${p.name}`}
        >
          Logs
        </Button>
      ),
    },
  ];
  return (
    <>
      <Table
        title={`Pods (${pods.length})`}
        options={{
          paging: pods.length > 20,
          pageSize: 20,
          search: pods.length > 20,
          padding: 'dense',
          headerStyle,
        }}
        columns={columns}
        data={pods.map(p => ({ ...p, id: podRowId(p) }))}
      />
      {logsOf && (
        <PodLogsDialog
          cluster={cluster}
          pod={logsOf}
          onClose={() => setLogsOf(undefined)}
        />
      )}
    </>
  );
};
