import { ViolationCounts } from './violations';

/** Overall state of an entity. @public */
export type ComplianceStatus = 'passing' | 'warnings' | 'failing' | 'unknown';

/** Why a state is `unknown`. @public */
export type UnknownComplianceReason =
  /** No policy engine is configured (`policy.opa.baseUrl` is not set). */
  | 'not-configured'
  /** The entity has not been evaluated yet. */
  | 'not-evaluated'
  /** The entry point has no result for this input (missing package or rule). */
  | 'undefined-result'
  /** The entry point answered with something other than a list of violations. */
  | 'invalid-result'
  /** The engine answered with an error, timed out or could not be reached. */
  | 'engine-error'
  /** The entity opts out with the `paved.dev/policy-skip` annotation. */
  | 'skipped';

/** @public */
export interface ComplianceState {
  status: ComplianceStatus;
  counts: ViolationCounts;
  /** Set when `status` is `unknown`. */
  reason?: UnknownComplianceReason;
  /** Human-readable explanation of `reason`. */
  reasonMessage?: string;
}

/**
 * The state that findings imply: failing with any error, warnings with any
 * warning, otherwise passing. Info findings do not change the state.
 * @public
 */
export function complianceFromCounts(counts: ViolationCounts): ComplianceState {
  if (counts.error > 0) return { status: 'failing', counts };
  if (counts.warning > 0) return { status: 'warnings', counts };
  return { status: 'passing', counts };
}

/** @public */
export function unknownCompliance(
  reason: UnknownComplianceReason,
  reasonMessage: string,
  counts: ViolationCounts = { error: 0, warning: 0, info: 0 },
): ComplianceState {
  return { status: 'unknown', counts, reason, reasonMessage };
}
