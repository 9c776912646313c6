/** Where a finding comes from. @public */
export type PolicySource = 'catalog' | 'workload' | 'gatekeeper';

/** @public */
export const POLICY_SOURCES: readonly PolicySource[] = [
  'catalog',
  'workload',
  'gatekeeper',
];

/** Severity of a finding. @public */
export type ViolationLevel = 'error' | 'warning' | 'info';

/** @public */
export const VIOLATION_LEVELS: readonly ViolationLevel[] = [
  'error',
  'warning',
  'info',
];

/** The object a finding is about, when it is not the entity itself. @public */
export interface PolicyResource {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  cluster?: string;
  /** True when the object lives in a SIMULATED cluster: show it labelled as such. */
  simulated?: boolean;
}

/**
 * One finding, whatever its source: a catalog rule, a workload rule or a
 * Gatekeeper audit violation.
 * @public
 */
export interface PolicyViolation {
  source: PolicySource;
  /** The rule that produced it, as `package/rule` (e.g. `paved.catalog/violations`). */
  policy: string;
  /** Stable identifier of the check inside the policy (e.g. `owner-resolvable`). */
  id: string;
  level: ViolationLevel;
  message: string;
  remediation?: string;
  docsUrl?: string;
  resource?: PolicyResource;
  /** ISO 8601 time of the decision. */
  evaluatedAt: string;
  /** Policy bundle revision that decided it (empty when the engine reports none). */
  policyRevision: string;
  /** OPA's `decision_id`, when the engine logs decisions. */
  decisionId?: string;
}

/** Counts of findings per level. @public */
export type ViolationCounts = Record<ViolationLevel, number>;

/** @public */
export function countViolations(
  violations: Array<Pick<PolicyViolation, 'level'>>,
): ViolationCounts {
  const counts: ViolationCounts = { error: 0, warning: 0, info: 0 };
  for (const v of violations) counts[v.level] += 1;
  return counts;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A violation object as a policy returns it, before it is stamped with source and revision. @public */
export type PolicyViolationPayload = Pick<
  PolicyViolation,
  'id' | 'level' | 'message' | 'remediation' | 'docsUrl' | 'resource'
>;

/**
 * Reads one violation object returned by a policy (`{id, level, message,
 * remediation?, docsUrl?, resource?}`). A `resource` may be an object or a
 * `Kind/name` or `Kind/namespace/name` string. Throws on a malformed object,
 * so a broken rule is reported instead of silently dropped.
 * @public
 */
export function parseViolationPayload(value: unknown): PolicyViolationPayload {
  if (!isRecord(value))
    throw new TypeError(`violation is not an object: ${JSON.stringify(value)}`);
  const { id, level, message } = value;
  if (typeof id !== 'string' || !id)
    throw new TypeError(`violation without an id: ${JSON.stringify(value)}`);
  if (!VIOLATION_LEVELS.includes(level as ViolationLevel)) {
    throw new TypeError(
      `violation ${id} has level ${JSON.stringify(
        level,
      )}, expected error, warning or info`,
    );
  }
  if (typeof message !== 'string' || !message)
    throw new TypeError(`violation ${id} has no message`);
  return {
    id,
    level: level as ViolationLevel,
    message,
    remediation: optionalString(value.remediation),
    docsUrl: optionalString(value.docsUrl),
    resource: parseResource(value.resource),
  };
}

function parseResource(value: unknown): PolicyResource | undefined {
  if (typeof value === 'string' && value) {
    const parts = value.split('/');
    if (parts.length === 3)
      return { kind: parts[0], namespace: parts[1], name: parts[2] };
    if (parts.length === 2) return { kind: parts[0], name: parts[1] };
    return { name: value };
  }
  if (!isRecord(value)) return undefined;
  const resource: PolicyResource = {};
  for (const key of [
    'apiVersion',
    'kind',
    'namespace',
    'name',
    'cluster',
  ] as const) {
    const s = optionalString(value[key]);
    if (s) resource[key] = s;
  }
  return Object.keys(resource).length ? resource : undefined;
}
