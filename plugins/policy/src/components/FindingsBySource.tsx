import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Link } from '@backstage/core-components';
import {
  POLICY_SOURCES,
  PolicyResource,
  PolicySource,
  PolicyViolation,
  ViolationLevel,
} from '@paved/plugin-policy-common';
import { useLibraryLink } from './useLibraryLink';
import { ago, shortRevision } from './time';
import { HeadCell, TableScroll } from './tableStyles';

/** Title of each finding source. */
export const SOURCE_TITLES: Record<PolicySource, string> = {
  catalog: 'Catalog rules',
  workload: 'Workload rules (live Kubernetes manifests)',
  gatekeeper: 'Gatekeeper audit',
};

const LEVEL_ORDER: Record<ViolationLevel, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

export const LevelChip = ({ level }: { level: ViolationLevel }) => (
  <Chip
    size="small"
    label={level}
    color={level === 'error' ? 'secondary' : 'default'}
    variant={level === 'info' ? 'outlined' : 'default'}
  />
);

function resourceText(r: PolicyResource): string {
  const object = [r.kind, r.namespace, r.name].filter(Boolean).join('/');
  return [object, r.cluster ? `in cluster ${r.cluster}` : '']
    .filter(Boolean)
    .join(' ');
}

const ResourceCell = ({ resource }: { resource?: PolicyResource }) => {
  if (!resource) return <>the entity</>;
  return (
    <>
      {resourceText(resource) || '-'}
      {resource.simulated && (
        <>
          {' '}
          <Chip size="small" variant="outlined" label="simulated cluster" />
        </>
      )}
    </>
  );
};

const RuleCell = ({ finding }: { finding: PolicyViolation }) => {
  const link = useLibraryLink(finding.policy, finding.id);
  // Gatekeeper constraints are not Rego modules loaded in OPA: nothing to link to.
  const libraryLink = finding.source === 'gatekeeper' ? undefined : link;
  return (
    <>
      <Typography variant="body2">{finding.id}</Typography>
      <Typography variant="caption" color="textSecondary">
        {libraryLink ? (
          <Link to={libraryLink} title="Rego source in the Policy library">
            {finding.policy}
          </Link>
        ) : (
          finding.policy
        )}
      </Typography>
    </>
  );
};

const FindingsTable = ({ findings }: { findings: PolicyViolation[] }) => (
  <TableScroll>
    <Table size="small">
      <TableHead>
        <TableRow>
          <HeadCell>Level</HeadCell>
          <HeadCell>Rule</HeadCell>
          <HeadCell>Finding</HeadCell>
          <HeadCell>Resource</HeadCell>
          <HeadCell>Decided</HeadCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {findings.map((f, i) => (
          <TableRow key={`${f.policy}/${f.id}/${i}`} data-testid="finding">
            <TableCell>
              <LevelChip level={f.level} />
            </TableCell>
            <TableCell>
              <RuleCell finding={f} />
            </TableCell>
            <TableCell>
              <Typography variant="body2">{f.message}</Typography>
              {f.remediation && (
                <Typography variant="body2" color="textSecondary">
                  Fix: {f.remediation}
                </Typography>
              )}
              {f.docsUrl && <Link to={f.docsUrl}>Docs</Link>}
            </TableCell>
            <TableCell>
              <ResourceCell resource={f.resource} />
            </TableCell>
            <TableCell>
              <Typography variant="body2" title={f.evaluatedAt}>
                {f.source === 'gatekeeper'
                  ? `audited ${ago(f.evaluatedAt)}`
                  : ago(f.evaluatedAt)}
              </Typography>
              {(f.source !== 'gatekeeper' || f.policyRevision) && (
                <Typography variant="caption" color="textSecondary">
                  revision {shortRevision(f.policyRevision)}
                  {f.decisionId ? `, decision ${f.decisionId}` : ''}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </TableScroll>
);

/** Findings in one card per source, errors first. */
export const FindingsBySource = ({
  findings,
}: {
  findings: PolicyViolation[];
}) => {
  const simulatedClusters = [
    ...new Set(
      findings
        .filter(f => f.resource?.simulated)
        .map(f => f.resource?.cluster ?? 'unnamed'),
    ),
  ];
  const withoutFindings = POLICY_SOURCES.filter(
    s => !findings.some(f => f.source === s),
  );
  return (
    <>
      {simulatedClusters.length > 0 && (
        <Alert severity="info" data-testid="simulated-findings">
          Some findings are about objects in simulated clusters (
          {simulatedClusters.join(', ')}): Paved demo clusters served by the
          Kubernetes simulator, not real workloads.
        </Alert>
      )}
      {POLICY_SOURCES.map(source => {
        const ofSource = findings
          .filter(f => f.source === source)
          .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
        if (!ofSource.length) return null;
        return (
          <InfoCard
            key={source}
            title={`${SOURCE_TITLES[source]} (${ofSource.length})`}
            noPadding
          >
            <FindingsTable findings={ofSource} />
          </InfoCard>
        );
      })}
      {withoutFindings.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          No findings from:{' '}
          {withoutFindings.map(s => SOURCE_TITLES[s]).join(', ')}.
        </Typography>
      )}
    </>
  );
};
