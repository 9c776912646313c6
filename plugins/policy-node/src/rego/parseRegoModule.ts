import { toError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';

/**
 * One top-level statement of a Rego module: a rule, function or test.
 * @public
 */
export interface RegoRule {
  name: string;
  /** 1-based line of the rule head. */
  line: number;
  /** The rule's text, head and body (and any `else` branches). */
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

/**
 * What Paved reads from a Rego module without an OPA engine: its package,
 * imports, top-level rules and their METADATA annotations.
 * @public
 */
export interface RegoModule {
  /** Empty when the module has no `package` line (a parse error OPA reports). */
  packageName: string;
  /** METADATA block directly above `package`. */
  packageMetadata?: Record<string, unknown>;
  imports: string[];
  rules: RegoRule[];
  /**
   * METADATA blocks that could not be read (not YAML, or not a mapping),
   * one readable line each; the statement below such a block has no metadata.
   */
  metadataProblems: string[];
}

const METADATA_START = /^#\s*METADATA\s*$/;
const KEYWORDS_BEFORE_NAME = new Set(['default']);
/** Top-level lines that continue the statement above rather than start one. */
const CONTINUATION = /^else\b/;

/**
 * Reads a Rego module line by line, the way OPA attaches annotations: a
 * `# METADATA` comment block, starting at column 1, annotates the statement
 * right below it. This is not a Rego parser; it knows the top-level shape
 * of a module (package, imports, rules starting at column 1), which is all
 * the policy library and the structural checks need when no `opa` binary is
 * at hand. The one reader of METADATA in Paved.
 * @public
 */
export function parseRegoModule(source: string): RegoModule {
  const lines = source.split('\n');
  const module: RegoModule = {
    packageName: '',
    imports: [],
    rules: [],
    metadataProblems: [],
  };
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
    if (METADATA_START.test(line)) {
      closeRule();
      const block: string[] = [];
      while (i + 1 < lines.length && lines[i + 1].startsWith('#')) {
        block.push(lines[++i].slice(1));
      }
      const parsed = readMetadataBlock(block, i + 1);
      if ('problem' in parsed) {
        module.metadataProblems.push(parsed.problem);
        pendingMetadata = undefined;
      } else if (parsed.value.scope === 'document') {
        pendingDocument = parsed.value;
      } else {
        pendingMetadata = parsed.value;
      }
      continue;
    }
    const topLevel = /^[A-Za-z_]/.test(line) && !CONTINUATION.test(line);
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

function readMetadataBlock(
  block: string[],
  lastLine: number,
): { value: Record<string, unknown> } | { problem: string } {
  const written = block.filter(l => l.trim());
  const indent = written.length
    ? Math.min(...written.map(l => l.length - l.trimStart().length))
    : 0;
  const text = block.map(l => l.slice(indent)).join('\n');
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const reason = toError(error).message;
    return {
      problem: `METADATA block ending on line ${lastLine} is not YAML: ${
        reason.split('\n')[0]
      }`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problem: `METADATA block ending on line ${lastLine} is not a YAML mapping`,
    };
  }
  return { value: value as Record<string, unknown> };
}
