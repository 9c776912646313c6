import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PolicySource,
  PolicyViolation,
  ViolationLevel,
} from '@paved/plugin-policy-common';
import {
  bundleRevisionOf,
  CatalogPolicyInput,
  KubernetesManifest,
  Located,
  OpaClient,
  OpaError,
  relatedRefs,
  violationsFromResult,
} from '@paved/plugin-policy-node';

/** One finding of `policy:check`: a violation plus where it was found. @public */
export interface PolicyCheckFinding extends PolicyViolation {
  /** The generated file (relative to the workspace) the finding is about, when known. */
  file?: string;
  /** What the finding is about, e.g. `Component default/orders` or `Deployment shop/orders`. */
  subject?: string;
}

/** OPA gave no usable answer: not reachable, an error, an undefined or malformed result. */
export class NoPolicyDecisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoPolicyDecisionError';
  }
}

export interface EvaluatedFindings {
  decisionId?: string;
  findings: PolicyCheckFinding[];
}

/**
 * Asks OPA for the violations at an entry point. Every way of not getting a
 * list of violations (OPA error, timeout, refused connection, undefined or
 * malformed result) becomes a {@link NoPolicyDecisionError}: none of them
 * means "no violations".
 */
export async function evaluateViolations(options: {
  opa: OpaClient;
  entrypoint: string;
  input: unknown;
  source: PolicySource;
  signal?: AbortSignal;
}): Promise<{ decisionId?: string; violations: PolicyViolation[] }> {
  const { opa, entrypoint, input, source, signal } = options;
  let decision;
  try {
    decision = await opa.evaluate(entrypoint, input, {
      signal,
      provenance: true,
    });
  } catch (error) {
    if (error instanceof OpaError)
      throw new NoPolicyDecisionError(error.message);
    throw error;
  }
  if (decision.outcome === 'undefined') {
    throw new NoPolicyDecisionError(
      `OPA has no result at ${entrypoint} (undefined: the policy is not loaded or the entry point is misspelt)`,
    );
  }
  const read = violationsFromResult(decision.result, {
    source,
    entrypoint,
    evaluatedAt: new Date().toISOString(),
    policyRevision: bundleRevisionOf(decision.provenance),
    decisionId: decision.decisionId,
  });
  if ('invalid' in read)
    throw new NoPolicyDecisionError(
      `OPA's answer is unusable: ${read.invalid}`,
    );
  return { decisionId: decision.decisionId, violations: read.findings };
}

/**
 * The catalog entry point's input: the entity with its owner and system as
 * the catalog knows them, null when unset, unknown or no catalog is given.
 */
export async function catalogPolicyInput(
  entity: Entity,
  catalog: CatalogService | undefined,
  credentials: () => Promise<BackstageCredentials>,
): Promise<CatalogPolicyInput> {
  const { owner: ownerRef, system: systemRef } = relatedRefs(entity);
  const refs = [ownerRef, systemRef].filter((r): r is string => !!r);
  if (!catalog || refs.length === 0)
    return { entity, owner: null, system: null };
  let items: Array<Entity | undefined>;
  try {
    ({ items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials: await credentials() },
    ));
  } catch (error) {
    // Not null: an unresolved owner would be reported as a policy violation.
    throw new ServiceUnavailableError(
      `policy:check could not look up ${refs.join(' and ')} of ${entitySubject(
        entity,
      )} in the catalog: ${(error as Error).message}`,
    );
  }
  const byRef = new Map(
    items.filter((e): e is Entity => !!e).map(e => [stringifyEntityRef(e), e]),
  );
  return {
    entity,
    owner: (ownerRef && byRef.get(ownerRef)) || null,
    system: (systemRef && byRef.get(systemRef)) || null,
  };
}

export function entitySubject(entity: Entity): string {
  return `${entity.kind} ${entity.metadata?.namespace ?? 'default'}/${
    entity.metadata?.name ?? '(no name)'
  }`;
}

/** The manifest file a workload finding is about, matched on kind, name and (when both say) namespace. */
export function manifestOf(
  finding: PolicyViolation,
  manifests: Located<KubernetesManifest>[],
): Located<KubernetesManifest> | undefined {
  const resource = finding.resource;
  if (!resource?.name) return manifests.length === 1 ? manifests[0] : undefined;
  return manifests.find(
    ({ value }) =>
      value.metadata?.name === resource.name &&
      (!resource.kind || value.kind === resource.kind) &&
      (!resource.namespace ||
        !value.metadata?.namespace ||
        value.metadata.namespace === resource.namespace),
  );
}

export function manifestSubject(finding: PolicyViolation): string | undefined {
  const r = finding.resource;
  if (!r?.name) return undefined;
  return `${r.kind ?? 'object'} ${r.namespace ? `${r.namespace}/` : ''}${
    r.name
  }`;
}

const LEVEL_RANK: Record<ViolationLevel, number> = {
  error: 3,
  warning: 2,
  info: 1,
};

/** Whether a finding fails the step under `failOn`. */
export function failsStep(
  level: ViolationLevel,
  failOn: ViolationLevel | 'never',
): boolean {
  return failOn !== 'never' && LEVEL_RANK[level] >= LEVEL_RANK[failOn];
}

function describe(finding: PolicyCheckFinding): string {
  const where = [finding.file, finding.subject].filter(Boolean).join(', ');
  return `[${finding.level}] ${finding.id} (${finding.policy})${
    where ? ` in ${where}` : ''
  }: ${finding.message}`;
}

/** The readable list a failed task shows: rule id, message, remediation, file. */
export function formatFindings(findings: PolicyCheckFinding[]): string {
  return findings
    .map((f, i) => {
      const lines = [`${i + 1}. ${describe(f)}`];
      if (f.remediation) lines.push(`   Remediation: ${f.remediation}`);
      if (f.docsUrl) lines.push(`   Docs: ${f.docsUrl}`);
      return lines.join('\n');
    })
    .join('\n');
}

export function describeFinding(finding: PolicyCheckFinding): string {
  return `${describe(finding)}${
    finding.remediation ? ` Remediation: ${finding.remediation}` : ''
  }`;
}
