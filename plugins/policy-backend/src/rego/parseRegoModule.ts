import { parse as parseYaml } from 'yaml';

/** A rule head found in a Rego module, with its METADATA annotation if any. */
export interface ParsedRegoRule {
  name: string;
  /** 1-based line of the rule head. */
  line: number;
  title?: string;
  description?: string;
  /** Violation ids the rule body emits (`"id": "..."`), to match stored findings. */
  ids: string[];
}

export interface ParsedRegoModule {
  packageName: string;
  title?: string;
  description?: string;
  rules: ParsedRegoRule[];
}

const RULE_HEAD =
  /^(?:default\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:contains\b|if\b|:=|=|\[|\{|\()/;
const KEYWORDS = new Set([
  'package',
  'import',
  'default',
  'not',
  'some',
  'every',
  'with',
  'else',
]);
const VIOLATION_ID = /"id"\s*:\s*"([^"]+)"/g;

interface Annotation {
  title?: string;
  description?: string;
  /** `custom.id`: rules that copy their id from `rego.metadata.rule()`. */
  customId?: string;
}

function annotation(lines: string[]): Annotation {
  try {
    const doc = parseYaml(lines.join('\n'));
    if (doc && typeof doc === 'object') {
      const { title, description, custom } = doc as Record<string, unknown>;
      const customId = (custom as Record<string, unknown> | undefined)?.id;
      return {
        title: typeof title === 'string' ? title : undefined,
        description:
          typeof description === 'string' ? description.trim() : undefined,
        customId: typeof customId === 'string' ? customId : undefined,
      };
    }
  } catch {
    // A malformed annotation is shown without title rather than failing the page.
  }
  return {};
}

/**
 * Reads a Rego module's package, rule heads and their METADATA annotations
 * (`# METADATA` followed by YAML in comments). A small reader of the
 * module text, not a Rego parser: enough to title and locate rules.
 */
export function parseRegoModule(raw: string): ParsedRegoModule {
  const lines = raw.split('\n');
  const module: ParsedRegoModule = { packageName: '', rules: [] };
  let pending: Annotation | undefined;
  let current: ParsedRegoRule | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#\s*METADATA\s*$/.test(line)) {
      const yamlLines: string[] = [];
      while (i + 1 < lines.length && lines[i + 1].startsWith('#')) {
        yamlLines.push(lines[++i].replace(/^# ?/, ''));
      }
      pending = annotation(yamlLines);
      continue;
    }
    const pkg = /^package\s+([A-Za-z0-9_.]+)/.exec(line);
    if (pkg) {
      module.packageName = pkg[1];
      if (pending)
        Object.assign(module, {
          title: pending.title,
          description: pending.description,
        });
      pending = undefined;
      continue;
    }
    const head = RULE_HEAD.exec(line);
    if (head && !KEYWORDS.has(head[1])) {
      const name = head[1];
      const previous = module.rules.find(r => r.name === name && !r.title);
      // Unannotated bodies of one rule are listed once; annotated ones each.
      if (pending || !previous) {
        current = {
          name,
          line: i + 1,
          ids: pending?.customId ? [pending.customId] : [],
        };
        if (pending?.title) current.title = pending.title;
        if (pending) current.description = pending.description;
        module.rules.push(current);
      } else {
        current = previous;
      }
      pending = undefined;
    }
    if (current) {
      for (const match of line.matchAll(VIOLATION_ID)) {
        if (!current.ids.includes(match[1])) current.ids.push(match[1]);
      }
    }
  }
  return module;
}
