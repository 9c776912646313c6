import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ComplianceListItem,
  ComplianceListResponse,
} from '@paved/plugin-policy-common';
import { ComplianceStatusLabel } from './ComplianceStatus';
import { ago, shortRevision } from './time';
import { HeadCell, NameCell, TableScroll } from './tableStyles';

export const PAGE_SIZES = [25, 50, 100];

const StaleMarker = ({ item }: { item: ComplianceListItem }) =>
  item.stale ? (
    <Tooltip
      title={`Evaluation failing since ${ago(item.stale.since)}: ${
        item.stale.error
      }`}
    >
      <Chip
        size="small"
        label="stale"
        variant="outlined"
        data-testid="stale-marker"
      />
    </Tooltip>
  ) : null;

/** One page of the fleet, paginated by the server. */
export const FleetTable = ({
  value,
  loading,
  onPage,
}: {
  value: ComplianceListResponse;
  loading: boolean;
  onPage(offset: number, limit: number): void;
}) => (
  <>
    {loading && <LinearProgress aria-label="Loading page" />}
    <TableScroll>
      <Table size="small" aria-label="Fleet compliance">
        <TableHead>
          <TableRow>
            <HeadCell>Entity</HeadCell>
            <HeadCell>Kind</HeadCell>
            <HeadCell>Owner</HeadCell>
            <HeadCell>System</HeadCell>
            <HeadCell>Compliance</HeadCell>
            <HeadCell align="right">Errors</HeadCell>
            <HeadCell align="right">Warnings</HeadCell>
            <HeadCell align="right">Info</HeadCell>
            <HeadCell>Evaluated</HeadCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.items.map(item => (
            <TableRow key={item.entityRef} data-testid="fleet-row">
              <NameCell>
                <EntityRefLink entityRef={item.entityRef} title={item.title} />
              </NameCell>
              <TableCell>{item.kind}</TableCell>
              <NameCell>
                {item.owner ? (
                  <EntityRefLink entityRef={item.owner} defaultKind="group" />
                ) : (
                  '-'
                )}
              </NameCell>
              <NameCell>
                {item.system ? (
                  <EntityRefLink entityRef={item.system} defaultKind="system" />
                ) : (
                  '-'
                )}
              </NameCell>
              <TableCell>
                <ComplianceStatusLabel compliance={item.compliance} />{' '}
                <StaleMarker item={item} />
              </TableCell>
              <TableCell align="right">
                {item.compliance.counts.error}
              </TableCell>
              <TableCell align="right">
                {item.compliance.counts.warning}
              </TableCell>
              <TableCell align="right">{item.compliance.counts.info}</TableCell>
              <TableCell>
                <Typography variant="body2">{ago(item.evaluatedAt)}</Typography>
                {item.evaluatedAt && (
                  <Typography variant="caption" color="textSecondary">
                    revision {shortRevision(item.policyRevision)}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableScroll>
    <TablePagination
      component="div"
      count={value.totalCount}
      page={Math.floor(value.offset / value.limit)}
      rowsPerPage={value.limit}
      rowsPerPageOptions={
        PAGE_SIZES.includes(value.limit)
          ? PAGE_SIZES
          : [...PAGE_SIZES, value.limit].sort((a, b) => a - b)
      }
      onPageChange={(_e, page) => onPage(page * value.limit, value.limit)}
      onRowsPerPageChange={e => onPage(0, Number(e.target.value))}
    />
  </>
);
