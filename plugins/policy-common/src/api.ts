import { ComplianceState } from './compliance';
import {
  PolicySource,
  PolicyViolation,
  ViolationCounts,
  ViolationLevel,
} from './violations';

/** Whether a policy engine is configured, and if not, how to add one. @public */
export interface PolicyEngineConfigured {
  configured: boolean;
  /** Set when not configured: what to do. */
  message?: string;
  /**
   * True when the configured engine is Paved's SIMULATED OPA stand-in
   * (`policy.opa.simulated`, browser tests and demos): its decisions are
   * JavaScript mirrors of the rules, not OPA's. Views must say so.
   */
  simulated?: boolean;
  /**
   * Policy bundles OPA reported (through its status API) it could not
   * download or activate, with the compile errors' files and lines. OPA then
   * keeps serving the last bundle it activated, or none.
   */
  bundleErrors?: EngineBundleError[];
}

/** One compile error in a bundle, as OPA reports it. @public */
export interface EngineBundleProblem {
  /** OPA's error code, e.g. `rego_parse_error`. */
  code: string;
  message: string;
  /** Path of the file inside the bundle, e.g. `catalog/catalog.rego`. */
  file?: string;
  row?: number;
  col?: number;
}

/** A bundle OPA could not download or activate. @public */
export interface EngineBundleError {
  /** Bundle name in OPA's configuration, e.g. `paved`. */
  bundle: string;
  /** OPA's summary, e.g. `error(s) occurred while compiling module(s)`. */
  message: string;
  problems: EngineBundleProblem[];
  /** The revision OPA still serves, when it activated one before. */
  activeRevision?: string;
  /** ISO time of OPA's report. */
  reportedAt: string;
  /** OPA's instance id (labels.id). */
  instance: string;
}

/** The last evaluation failed; stored results are served. @public */
export interface PolicyStaleness {
  /** ISO time of the first failure since the last success. */
  since: string;
  error: string;
}

/**
 * Audit state of one Gatekeeper constraint in a cluster where the entity
 * runs. Gatekeeper lists at most a capped number of violations per
 * constraint (20 by default) in `status.violations`, and audits
 * periodically: both limits are shown, not hidden.
 * @public
 */
export interface GatekeeperConstraintAudit {
  cluster: string;
  /** True for a SIMULATED cluster. */
  simulated?: boolean;
  constraintKind: string;
  constraintName: string;
  enforcementAction?: string;
  /** `status.auditTimestamp`: when Gatekeeper last audited; absent when never. */
  auditTimestamp?: string;
  /** `status.totalViolations` over the whole cluster. */
  totalViolations: number;
  /** Entries in `status.violations` (capped by Gatekeeper). */
  reportedViolations: number;
  /** More violations exist than Gatekeeper listed: this entity may have unlisted ones. */
  truncated: boolean;
  /** The audit is older than `policy.gatekeeper.auditStaleAfterMinutes`, or never ran. */
  stale: boolean;
}

/** GET /entities/:kind/:namespace/:name/findings @public */
export interface EntityFindingsResponse {
  entityRef: string;
  engine: PolicyEngineConfigured;
  compliance: ComplianceState;
  findings: PolicyViolation[];
  /** Last successful evaluation (ISO), absent when never evaluated. */
  evaluatedAt?: string;
  policyRevision?: string;
  decisionId?: string;
  /** Present when the last attempt failed and older results are shown. */
  stale?: PolicyStaleness;
  /** Gatekeeper constraints of the clusters the entity runs in. */
  gatekeeper?: GatekeeperConstraintAudit[];
}

/** One row of the fleet compliance list. @public */
export interface ComplianceListItem {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  compliance: ComplianceState;
  evaluatedAt?: string;
  policyRevision?: string;
  stale?: PolicyStaleness;
}

/** Filters of the fleet compliance list. @public */
export interface ComplianceListQuery {
  owner?: string[];
  system?: string[];
  kind?: string[];
  /** Entities with at least one finding of one of these levels. */
  level?: ViolationLevel[];
  /** Entities with at least one finding from one of these sources. */
  source?: PolicySource[];
  offset?: number;
  limit?: number;
}

/** GET /compliance @public */
export interface ComplianceListResponse {
  engine: PolicyEngineConfigured;
  items: ComplianceListItem[];
  totalCount: number;
  offset: number;
  limit: number;
}

/** One point of the compliance trend (one evaluation run). @public */
export interface ComplianceTrendPoint {
  runId: number;
  /** ISO time the run finished. */
  at: string;
  entities: number;
  failing: number;
  counts: ViolationCounts;
}

/** GET /trend @public */
export interface ComplianceTrendResponse {
  owner?: string;
  points: ComplianceTrendPoint[];
  /**
   * Set when the history is not shown to this caller, and why: it holds
   * totals over every entity, and the caller may not read every entity in
   * the catalog.
   */
  restricted?: string;
}

/** One evaluation run of the scheduled job or an on-demand evaluation. @public */
export interface EvaluationRunSummary {
  id: number;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  trigger: 'schedule' | 'manual';
  policyRevision?: string;
  entities: number;
  evaluated: number;
  skipped: number;
  opaCalls: number;
  errors: number;
  counts: ViolationCounts;
  /** First error messages of the run, if any. */
  errorMessages: string[];
}

/** GET /health @public */
export interface EngineHealthResponse {
  engine: PolicyEngineConfigured & {
    baseUrl?: string;
    reachable?: boolean;
    error?: string;
    activeRevision?: string;
  };
  lastRun?: EvaluationRunSummary;
}

/** A rule of a Rego module, with its METADATA annotations. @public */
export interface PolicyRule {
  /** `package/rule`, e.g. `paved.catalog/violations`. */
  policy: string;
  name: string;
  title?: string;
  description?: string;
  /** Line of the rule head in the module (1-based). */
  line: number;
  /** Entities currently flagged by this rule. */
  flaggedEntities: string[];
}

/** A module loaded in OPA. @public */
export interface PolicyModule {
  id: string;
  packageName: string;
  title?: string;
  description?: string;
  raw: string;
  rules: PolicyRule[];
}

/** GET /policies @public */
export interface PoliciesResponse {
  engine: PolicyEngineConfigured & { reachable?: boolean; error?: string };
  modules: PolicyModule[];
}
