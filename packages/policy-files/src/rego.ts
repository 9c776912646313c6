import { parse } from 'yaml';

/** One top-level statement of a Rego module: a rule, function or test. @public */
export interface RegoRule {
  name: string;
  /** 1-based line of the rule head. */
  line: number;
  /** The rule's text, head and body. */
  text: string;
  /** The METADATA block written directly above the rule, parsed as YAML. */
  metadata?: Record<string, unknown>;
  /**
   * A `scope: document` METADATA block above the rule (it may be separated
   * from the rule's own block by a blank line): it annotates every
   * definition of the rule, e.g. `entrypoint: true`.
   */
  documentMetadata?: Record<string, unknown>;
}

/** What the structural checks need to know about a Rego module. @public */
export interface RegoModule {
  packageName?: string;
  /** METADATA block directly above `package`. */
  packageMetadata?: Record<string, unknown>;
  imports: string[];
  rules: RegoRule[];
}

const METADATA_START = '# METADATA';
const KEYWORDS_BEFORE_NAME = new Set(['default']);

/**
 * Reads a Rego module line by line, the way OPA attaches annotations: a
 * `# METADATA` comment block, starting at column 1, annotates the statement
 * right below it. This is not a Rego parser; it knows the top-level shape
 * of a module (package, imports, rules starting at column 1), which is all
 * the structural checks need when no `opa` binary is at hand.
 * @public
 */
export function parseRegoModule(source: string): RegoModule {
  const lines = source.split('\n');
  const module: RegoModule = { imports: [], rules: [] };
  let pendingMetadata: Record<string, unknown> | undefined;
  let pendingDocument: Record<string, unknown> | undefined;
  let current: RegoRule | undefined;
  const bodyLines: string[] = [];

  const closeRule = () => {
    if (current) {
      current.text = bodyLines.join('\n').trimEnd();
      module.rules.push(current);
    }
    current = undefined;
    bodyLines.length = 0;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(METADATA_START)) {
      closeRule();
      const block: string[] = [];
      while (i + 1 < lines.length && lines[i + 1].startsWith('#')) {
        block.push(lines[++i].slice(1));
      }
      const parsed = parseMetadataBlock(block, i + 1);
      if (parsed.scope === 'document') pendingDocument = parsed;
      else pendingMetadata = parsed;
      continue;
    }
    const topLevel = /^[A-Za-z_]/.test(line);
    if (!topLevel) {
      // OPA attaches a rule-scoped block only to the statement right below it.
      if (line.trim() === '' && !current) pendingMetadata = undefined;
      if (current) bodyLines.push(line);
      continue;
    }
    closeRule();
    const packageMatch = /^package\s+([\w.]+)/.exec(line);
    const importMatch = /^import\s+(\S+)/.exec(line);
    if (packageMatch) {
      module.packageName = packageMatch[1];
      module.packageMetadata = pendingMetadata;
    } else if (importMatch) {
      module.imports.push(importMatch[1]);
    } else {
      current = {
        name: ruleName(line),
        line: i + 1,
        text: '',
        metadata: pendingMetadata,
        ...(pendingDocument ? { documentMetadata: pendingDocument } : {}),
      };
      bodyLines.push(line);
    }
    pendingMetadata = undefined;
    pendingDocument = undefined;
  }
  closeRule();
  return module;
}

function ruleName(head: string): string {
  const words = head.split(/[^\w]+/).filter(Boolean);
  return KEYWORDS_BEFORE_NAME.has(words[0]) ? words[1] : words[0];
}

function parseMetadataBlock(
  block: string[],
  lastLine: number,
): Record<string, unknown> {
  const indent = Math.min(
    ...block.filter(l => l.trim()).map(l => l.length - l.trimStart().length),
  );
  const text = block.map(l => l.slice(indent)).join('\n');
  const value = parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `METADATA block ending on line ${lastLine} is not a YAML mapping`,
    );
  }
  return value as Record<string, unknown>;
}
