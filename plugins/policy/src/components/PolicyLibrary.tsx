import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { PolicyModule } from '@paved/plugin-policy-common';
import { usePolicyLibrary } from '../hooks/usePolicyData';
import { POLICY_QUERY_PARAM, RULE_ID_QUERY_PARAM } from '../routes';
import { EngineBundleErrors, EngineNotConfigured } from './EngineStates';
import { RegoSource } from './rego/RegoSource';

/** Lines of the module that name a finding id (`"id": "x"` in a body or `id: x` in METADATA). */
export function linesNaming(raw: string, ruleId: string): number[] {
  const escaped = ruleId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `"${escaped}"|\\bid:\\s*["']?${escaped}["']?\\s*$`,
  );
  return raw
    .split('\n')
    .map((line, i) => (pattern.test(line) ? i + 1 : 0))
    .filter(n => n > 0);
}

const RulesTable = ({
  module,
  selected,
}: {
  module: PolicyModule;
  selected?: string;
}) => (
  <Table size="small" aria-label={`Rules of ${module.packageName}`}>
    <TableHead>
      <TableRow>
        <TableCell>Rule</TableCell>
        <TableCell>Title and description (METADATA)</TableCell>
        <TableCell>Flags now</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {module.rules.map(rule => (
        <TableRow
          key={`${rule.policy}:${rule.line}`}
          selected={rule.policy === selected}
          data-testid="policy-rule"
        >
          <TableCell>
            <Typography variant="body2">{rule.name}</Typography>
            <Typography variant="caption" color="textSecondary">
              line {rule.line}
            </Typography>
          </TableCell>
          <TableCell>
            <Typography variant="body2">
              {rule.title ?? 'No METADATA title'}
            </Typography>
            {rule.description && (
              <Typography variant="caption" color="textSecondary">
                {rule.description}
              </Typography>
            )}
          </TableCell>
          <TableCell>
            {rule.flaggedEntities.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                no entity
              </Typography>
            ) : (
              rule.flaggedEntities.map(ref => (
                <Box key={ref}>
                  <EntityRefLink entityRef={ref} />
                </Box>
              ))
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

const ModulePanel = ({
  module,
  selectedPolicy,
  selectedRuleId,
}: {
  module: PolicyModule;
  selectedPolicy?: string;
  selectedRuleId?: string;
}) => {
  const containsSelected = module.rules.some(r => r.policy === selectedPolicy);
  const [expanded, setExpanded] = useState(containsSelected);
  const highlightLines = containsSelected
    ? [
        ...module.rules
          .filter(r => r.policy === selectedPolicy)
          .map(r => r.line),
        ...(selectedRuleId ? linesNaming(module.raw, selectedRuleId) : []),
      ]
    : [];
  const flagged = new Set(module.rules.flatMap(r => r.flaggedEntities)).size;
  return (
    <Accordion
      expanded={expanded}
      onChange={(_e, open) => setExpanded(open)}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        data-testid="policy-module"
      >
        <Box>
          <Typography variant="subtitle1">
            {module.packageName || module.id}
            {module.title ? `: ${module.title}` : ''}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {module.id} · {module.rules.length} rule(s) · flags {flagged} entit
            {flagged === 1 ? 'y' : 'ies'}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        <Box width="100%" display="flex" flexDirection="column" gridGap={16}>
          {module.description && (
            <Typography variant="body2">{module.description}</Typography>
          )}
          <RulesTable module={module} selected={selectedPolicy} />
          <RegoSource raw={module.raw} highlightLines={highlightLines} />
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};

/** The Rego modules loaded in the policy engine, their rules, and what each rule flags. */
export const PolicyLibrary = () => {
  const { value, loading, error } = usePolicyLibrary();
  const [params] = useSearchParams();
  const selectedPolicy = params.get(POLICY_QUERY_PARAM) ?? undefined;
  const selectedRuleId = params.get(RULE_ID_QUERY_PARAM) ?? undefined;
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  if (!value.engine.configured)
    return <EngineNotConfigured message={value.engine.message} />;
  if (value.engine.reachable === false) {
    return (
      <Alert severity="error" data-testid="library-unreachable">
        The policy engine is unreachable, so its modules cannot be listed
        {value.engine.error ? `: ${value.engine.error}` : '.'} Stored findings
        are still shown on the Fleet tab and entity pages.
      </Alert>
    );
  }
  if (!value.modules.length) {
    return (
      <>
        <EngineBundleErrors errors={value.engine.bundleErrors} />
        <EmptyState
          missing="content"
          title="No policy modules loaded"
          description="The policy engine answers but has no Rego modules loaded. Load the policies/ folder, e.g. `opa run --server policies/`, or a bundle."
        />
      </>
    );
  }
  const unknownSelection =
    selectedPolicy &&
    !value.modules.some(m => m.rules.some(r => r.policy === selectedPolicy));
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <EngineBundleErrors errors={value.engine.bundleErrors} />
      {unknownSelection && (
        <Alert severity="warning" data-testid="unknown-policy">
          No loaded module defines {selectedPolicy}: the policy may have been
          removed or renamed since the finding was decided.
        </Alert>
      )}
      {value.modules.map(module => (
        <ModulePanel
          key={module.id}
          module={module}
          selectedPolicy={selectedPolicy}
          selectedRuleId={selectedRuleId}
        />
      ))}
    </Box>
  );
};
