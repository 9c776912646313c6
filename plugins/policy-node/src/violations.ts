import {
  parseViolationPayload,
  PolicySource,
  PolicyViolation,
} from '@paved/plugin-policy-common';
import { policyNameOf } from './catalogInput';
import { OpaProvenance } from './types';

/** What every finding of one decision is stamped with. @public */
export interface DecisionStamp {
  source: PolicySource;
  /** The single-item entry point whose rules decided (names the policy), e.g. `paved/catalog/violations`. */
  entrypoint: string;
  evaluatedAt: string;
  policyRevision: string;
  decisionId?: string;
  /** Merged into each finding's `resource` (e.g. the cluster of the objects). */
  resource?: PolicyViolation['resource'];
}

/**
 * Reads what an entry point answered for one input: a set (JSON array) of
 * violation objects. Anything else, including a malformed violation, is
 * `{invalid}` with the reason: a broken answer is never read as "no
 * violations".
 * @public
 */
export function violationsFromResult(
  result: unknown,
  stamp: DecisionStamp,
): { findings: PolicyViolation[] } | { invalid: string } {
  if (!Array.isArray(result)) {
    return {
      invalid: `${stamp.entrypoint} returned ${JSON.stringify(result)?.slice(
        0,
        200,
      )}, expected a set of violation objects`,
    };
  }
  try {
    return {
      findings: result.map(item => {
        const payload = parseViolationPayload(item);
        const resource =
          stamp.resource || payload.resource
            ? { ...payload.resource, ...stamp.resource }
            : undefined;
        return {
          source: stamp.source,
          policy: policyNameOf(stamp.entrypoint),
          ...payload,
          ...(resource ? { resource } : {}),
          evaluatedAt: stamp.evaluatedAt,
          policyRevision: stamp.policyRevision,
          decisionId: stamp.decisionId,
        };
      }),
    };
  } catch (error) {
    return {
      invalid: `${stamp.entrypoint} returned a malformed violation: ${
        (error as Error).message
      }`,
    };
  }
}

/**
 * The bundle revisions a decision's provenance names, as
 * `name@revision[,name@revision]`; empty when OPA serves no bundle.
 * @public
 */
export function bundleRevisionOf(
  provenance: OpaProvenance | undefined,
): string {
  return Object.entries(provenance?.bundles ?? {})
    .filter(([, b]) => b?.revision)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, b]) => `${name}@${b.revision}`)
    .join(',');
}
