import { LocalOpaDecision } from '@paved/plugin-policy-node/testUtils';

/**
 * Names of the entities OPA decided on, read from OPA's own decision log:
 * the items of batch queries and the inputs of single-item queries (queries
 * OPA had no result for, such as a batch entry point the bundle lacks, are
 * not decisions).
 */
export function decidedEntityNames(decisions: LocalOpaDecision[]): string[] {
  const names: string[] = [];
  for (const { input, result } of decisions) {
    if (result === undefined) continue;
    const inputs = isBatch(input) ? Object.values(input.items) : [input];
    for (const item of inputs) {
      const name = (item as { entity?: { metadata?: { name?: string } } })
        ?.entity?.metadata?.name;
      if (name) names.push(name);
    }
  }
  return names.sort();
}

/** Manifests OPA received at the workload entry points (batch items or single inputs). */
export function decidedManifests(
  decisions: LocalOpaDecision[],
): Array<{ kind?: string; metadata?: { name?: string } }> {
  return decisions.flatMap(({ input, result }) => {
    if (result === undefined) return [];
    const inputs = isBatch(input) ? Object.values(input.items) : [input];
    return inputs.flatMap(
      item => (item as { manifests?: any[] })?.manifests ?? [],
    );
  });
}

function isBatch(input: unknown): input is { items: Record<string, unknown> } {
  return typeof input === 'object' && input !== null && 'items' in input;
}
