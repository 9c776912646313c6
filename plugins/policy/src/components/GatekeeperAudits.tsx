import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { GatekeeperConstraintAudit } from '@paved/plugin-policy-common';
import { ago } from './time';
import { HeadCell, NameCell, TableScroll } from './tableStyles';

/**
 * Audit state of the Gatekeeper constraints in the entity's clusters: when
 * each was audited, and whether Gatekeeper's capped violation list may hide
 * some of this entity's violations.
 */
export const GatekeeperAudits = ({
  audits,
}: {
  audits: GatekeeperConstraintAudit[];
}) => {
  const truncated = audits.filter(a => a.truncated);
  const stale = audits.filter(a => a.stale);
  return (
    <InfoCard title="Gatekeeper audit state" noPadding>
      {truncated.length > 0 && (
        <Alert severity="warning" data-testid="gatekeeper-truncated">
          Gatekeeper lists a limited number of violations per constraint (20 by
          default):{' '}
          {truncated
            .map(a => `${a.constraintKind}/${a.constraintName}`)
            .join(', ')}{' '}
          reported more violations than it listed, so this entity may have
          violations not shown here.
        </Alert>
      )}
      {stale.length > 0 && (
        <Alert severity="warning" data-testid="gatekeeper-stale">
          Gatekeeper audit results are old or missing for{' '}
          {stale.map(a => `${a.constraintKind}/${a.constraintName}`).join(', ')}
          .
        </Alert>
      )}
      <TableScroll>
        <Table size="small" aria-label="Gatekeeper constraints">
          <TableHead>
            <TableRow>
              <HeadCell>Constraint</HeadCell>
              <HeadCell>Cluster</HeadCell>
              <HeadCell>Action</HeadCell>
              <HeadCell>Last audit</HeadCell>
              <HeadCell>Violations listed / total</HeadCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {audits.map(a => (
              <TableRow
                key={`${a.cluster}/${a.constraintKind}/${a.constraintName}`}
                data-testid="gatekeeper-audit"
              >
                <NameCell>
                  {a.constraintKind}/{a.constraintName}
                </NameCell>
                <TableCell>
                  {a.cluster}
                  {a.simulated && (
                    <>
                      {' '}
                      <Chip
                        size="small"
                        variant="outlined"
                        label="simulated cluster"
                      />
                    </>
                  )}
                </TableCell>
                <TableCell>{a.enforcementAction ?? 'deny'}</TableCell>
                <TableCell>
                  {a.auditTimestamp ? ago(a.auditTimestamp) : 'never audited'}
                  {a.stale && (
                    <>
                      {' '}
                      <Chip size="small" variant="outlined" label="stale" />
                    </>
                  )}
                </TableCell>
                <TableCell>
                  {a.reportedViolations} / {a.totalViolations}
                  {a.truncated && (
                    <>
                      {' '}
                      <Chip size="small" variant="outlined" label="capped" />
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableScroll>
    </InfoCard>
  );
};
