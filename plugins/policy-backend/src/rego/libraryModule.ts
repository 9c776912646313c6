import { parseRegoModule, RegoRule } from '@paved/plugin-policy-node';

/** A rule of the policy library, with its METADATA title if any. */
export interface LibraryRule {
  name: string;
  /** 1-based line of the rule head. */
  line: number;
  title?: string;
  description?: string;
  /** Violation ids the rule emits (`custom.id`, or `"id": "..."` in its body), to match stored findings. */
  ids: string[];
}

/** A Rego module as the policy library lists it. */
export interface LibraryModule {
  packageName: string;
  title?: string;
  description?: string;
  rules: LibraryRule[];
}

const VIOLATION_ID = /"id"\s*:\s*"([^"]+)"/g;

/**
 * The policy library's view of a Rego module, from the one METADATA reader
 * in policy-node: package and rule titles and descriptions, and the ids each
 * rule emits. Unannotated definitions of one rule are listed once (at the
 * first); annotated ones each, since each documents a distinct check.
 */
export function libraryModuleOf(raw: string): LibraryModule {
  const module = parseRegoModule(raw);
  const rules: LibraryRule[] = [];
  for (const rule of module.rules) {
    const previous = rules.find(r => r.name === rule.name && !r.title);
    const target =
      rule.metadata || !previous ? pushRule(rules, rule) : previous;
    for (const match of rule.text.matchAll(VIOLATION_ID)) {
      if (!target.ids.includes(match[1])) target.ids.push(match[1]);
    }
  }
  return {
    packageName: module.packageName,
    ...textsOf(module.packageMetadata),
    rules,
  };
}

function pushRule(rules: LibraryRule[], rule: RegoRule): LibraryRule {
  const custom = rule.metadata?.custom;
  const customId =
    custom && typeof custom === 'object' && 'id' in custom
      ? custom.id
      : undefined;
  const entry: LibraryRule = {
    name: rule.name,
    line: rule.line,
    ids: typeof customId === 'string' ? [customId] : [],
    ...textsOf(rule.metadata),
  };
  rules.push(entry);
  return entry;
}

function textsOf(metadata: Record<string, unknown> | undefined): {
  title?: string;
  description?: string;
} {
  if (!metadata) return {};
  const { title, description } = metadata;
  return {
    ...(typeof title === 'string' ? { title } : {}),
    description:
      typeof description === 'string' ? description.trim() : undefined,
  };
}
