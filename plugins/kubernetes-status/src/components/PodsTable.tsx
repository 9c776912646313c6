import { useEffect, useRef, useState } from 'react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  kubernetesLogsReadPermission,
  PodStatus,
} from '@paved/plugin-kubernetes-status-common';
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
 * across refetches (rows with one id share React keys): its `metadata.uid`
 * as upstream Backstage's pods table uses, otherwise cluster/namespace/name,
 * since the same pod name runs in several clusters of one entity.
 */
export const podRowId = (pod: PodStatus, cluster: string): string =>
  pod.uid || `${cluster}/${pod.namespace ?? ''}/${pod.name}`;

/**
 * Why the LOGS buttons are disabled, in the terms of Paved's permission
 * policy (permission-backend-module-paved-policy): `kubernetes-status.logs.read`
 * is allowed to the entity's owners and to the admin groups only, because
 * logs can hold secrets.
 */
export const logsDeniedReason = (entity: Entity): string => {
  const name = entity.metadata.title ?? entity.metadata.name;
  const owner = entity.spec?.owner;
  return `Only owners of ${name}${
    typeof owner === 'string' ? ` (${owner})` : ''
  } and Paved admins may read its pod logs.`;
};

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
  const { entity } = useEntity();
  const [logsOf, setLogsOf] = useState<PodStatus>();
  const tableRef = useRef<HTMLDivElement>(null);
  const returnFocusTo = useRef<string>();
  const closeLogs = () => {
    returnFocusTo.current = logsOf && podRowId(logsOf, cluster);
    setLogsOf(undefined);
  };
  // The dialog gives focus back to the element that opened it. When a live
  // update replaced or removed that pod's row meanwhile, the element is gone
  // and focus would fall to the page's start: move it to the row's current
  // LOGS button, or to the table when the pod is gone.
  useEffect(() => {
    const id = returnFocusTo.current;
    const root = tableRef.current;
    if (logsOf || id === undefined || !root) return;
    returnFocusTo.current = undefined;
    if (root.contains(document.activeElement)) return;
    const button = Array.from(
      root.querySelectorAll<HTMLElement>('[data-logs-row]'),
    ).find(b => b.dataset.logsRow === id);
    (button ?? root).focus();
  }, [logsOf]);
  // One table per cluster on the page; not React's useId, whose colons
  // aria-describedby lookups do not all resolve.
  const reasonId = `logs-denied-reason-${cluster}`;
  // The backend authorizes logs per entity (a catalog-entity resource
  // permission); asking the same question first keeps the button from
  // answering a click with "403 Forbidden".
  const logsPermission = usePermission({
    permission: kubernetesLogsReadPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  // While the answer is loading the buttons are disabled without a reason:
  // nothing is known yet.
  let deniedReason: string | undefined;
  if (logsPermission.error) {
    deniedReason = `Could not check whether you may read pod logs: ${logsPermission.error.message}`;
  } else if (!logsPermission.loading && !logsPermission.allowed) {
    deniedReason = logsDeniedReason(entity);
  }
  const columns: TableColumn<PodStatus>[] = [
    { title: 'Pod', field: 'name', cellStyle: nameCellStyle },
    // One-word values ("Running", "CrashLoopBackOff") wrap at spaces only:
    // at 900 px they broke mid-word ("Runni ng").
    {
      title: 'State',
      render: p => <PodState pod={p} />,
      cellStyle: nameCellStyle,
    },
    { title: 'Restarts', field: 'restarts' },
    {
      title: 'Reason',
      render: p => reasonOf(p) || '-',
      cellStyle: nameCellStyle,
    },
    { title: 'Node', render: p => p.node ?? '-' },
    { title: 'Age', render: p => ago(p.createdAt) },
    {
      title: 'Logs',
      render: p => {
        const button = (
          <Button
            size="small"
            disabled={!logsPermission.allowed}
            onClick={() => setLogsOf(p)}
            aria-label={`logs of ${p.name}`}
            data-logs-row={podRowId(p, cluster)}
            aria-describedby={deniedReason ? reasonId : undefined}
          >
            Logs
          </Button>
        );
        // A disabled button gets no pointer events: the tooltip needs a
        // wrapper to show on hover.
        return deniedReason ? (
          <Tooltip title={deniedReason}>
            <span data-testid="logs-denied">{button}</span>
          </Tooltip>
        ) : (
          button
        );
      },
    },
  ];
  return (
    <>
      {deniedReason && (
        // Also in plain text once: a disabled button cannot be focused, so a
        // keyboard user never sees its tooltip.
        <Typography variant="body2" id={reasonId} data-testid="logs-reason">
          Logs: {deniedReason}
        </Typography>
      )}
      <div ref={tableRef} tabIndex={-1}>
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
          data={pods.map(p => ({ ...p, id: podRowId(p, cluster) }))}
        />
      </div>
      {logsOf && (
        <PodLogsDialog cluster={cluster} pod={logsOf} onClose={closeLogs} />
      )}
    </>
  );
};
