import type { KubeObject } from './store';

/** A selector that cannot be parsed, or uses an unsupported field: answered with 400 BadRequest. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/** A compiled selector: tells whether an object matches. */
export type Matcher = (object: KubeObject) => boolean;

type LabelOperator =
  | 'exists'
  | 'notexists'
  | 'eq'
  | 'neq'
  | 'in'
  | 'notin'
  | 'gt'
  | 'lt';

interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

// Qualified name with an optional DNS-subdomain prefix, as label keys are.
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if ('=!<>'.includes(c)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: c });
        i++;
      }
    } else {
      let j = i;
      while (j < input.length && !' \t\n(),=!<>'.includes(input[j])) {
        j++;
      }
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function parseLabelRequirements(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  const requirements: LabelRequirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  // kube's labels.Parse: errors inside a requirement are prefixed, the
  // others (separators, the start) are not; the selector is not quoted.
  const fail = (why: string): never => {
    throw new SelectorError(`unable to parse requirement: ${why}`);
  };
  const failTop = (why: string): never => {
    throw new SelectorError(why);
  };
  const key = (): string => {
    const t = tokens[pos++];
    if (!t || t.kind !== 'word') {
      return fail(
        `found '${t?.text ?? 'end of string'}', expected: identifier`,
      );
    }
    if (!LABEL_KEY.test(t.text)) {
      return fail(`invalid label key "${t.text}"`);
    }
    return t.text;
  };
  const value = (allowEmpty: boolean): string => {
    const t = peek();
    if (!t || t.kind !== 'word') {
      if (allowEmpty) {
        return '';
      }
      return fail(
        `found '${t?.text ?? 'end of string'}', expected: identifier`,
      );
    }
    pos++;
    if (!LABEL_VALUE.test(t.text)) {
      return fail(`invalid label value "${t.text}"`);
    }
    return t.text;
  };

  if (tokens.length === 0) {
    return requirements;
  }
  for (;;) {
    const first = peek();
    if (first && first.kind !== 'word' && first.text !== '!') {
      failTop(
        `found '${first.text}', expected: !, identifier, or 'end of string'`,
      );
    }
    if (first?.kind === 'op' && first.text === '!') {
      pos++;
      requirements.push({ key: key(), operator: 'notexists', values: [] });
    } else {
      const k = key();
      const next = peek();
      if (!next || (next.kind === 'punct' && next.text === ',')) {
        requirements.push({ key: k, operator: 'exists', values: [] });
      } else if (next.kind === 'op') {
        pos++;
        const operator: LabelOperator | undefined = (
          { '=': 'eq', '==': 'eq', '!=': 'neq', '>': 'gt', '<': 'lt' } as const
        )[next.text as '=' | '==' | '!=' | '>' | '<'];
        if (!operator) {
          fail(`found '${next.text}', expected: operator`);
        }
        const v = value(operator === 'eq' || operator === 'neq');
        if ((operator === 'gt' || operator === 'lt') && !/^-?\d+$/.test(v)) {
          fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        }
        requirements.push({ key: k, operator: operator!, values: [v] });
      } else if (
        next.kind === 'word' &&
        (next.text === 'in' || next.text === 'notin')
      ) {
        pos++;
        const open = tokens[pos++];
        if (!open || open.kind !== 'punct' || open.text !== '(') {
          // (kube's sentence has no comma here)
          fail(`found '${open?.text ?? 'end of string'}' expected: '('`);
        }
        const values: string[] = [];
        for (;;) {
          values.push(value(true));
          const sep = tokens[pos++];
          if (sep?.kind === 'punct' && sep.text === ')') {
            break;
          }
          if (!sep || sep.kind !== 'punct' || sep.text !== ',') {
            fail(
              `found '${sep?.text ?? 'end of string'}', expected: ',' or ')'`,
            );
          }
        }
        if (values.length === 1 && values[0] === '') {
          fail(`for 'in', 'notin' operators, values set can't be empty`);
        }
        requirements.push({
          key: k,
          operator: next.text === 'in' ? 'in' : 'notin',
          values,
        });
      } else {
        fail(`found '${next.text}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    const sep = tokens[pos++];
    if (!sep) {
      return requirements;
    }
    if (sep.kind !== 'punct' || sep.text !== ',') {
      failTop(`found '${sep.text}', expected: ',' or 'end of string'`);
    }
    const after = peek();
    if (!after || (after.kind !== 'word' && after.text !== '!')) {
      failTop(
        `found '${
          after?.text ?? 'end of string'
        }', expected: identifier after ','`,
      );
    }
  }
}

function matchesRequirement(
  labels: Record<string, string> | undefined,
  r: LabelRequirement,
): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'eq':
      return has && value === r.values[0];
    case 'neq':
      return !has || value !== r.values[0];
    case 'in':
      return has && r.values.includes(value!);
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) {
        return false;
      }
      const n = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

/**
 * Parses a label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, `a>1`, `a<1`; comma means AND) into a matcher.
 * An empty selector matches everything. Throws {@link SelectorError}.
 */
export function parseLabelSelector(selector: string | undefined): Matcher {
  const requirements = parseLabelRequirements(selector ?? '');
  if (requirements.length === 0) {
    return () => true;
  }
  return object =>
    requirements.every(r => matchesRequirement(object.metadata?.labels, r));
}

/** Whether labels match a label selector string; throws {@link SelectorError}. */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string,
): boolean {
  return parseLabelRequirements(selector).every(r =>
    matchesRequirement(labels, r),
  );
}

interface FieldRequirement {
  field: string;
  path: string[];
  negate: boolean;
  value: string;
}

// Event's `source` field selector means the reporting component.
const FIELD_ALIASES: Record<string, string> = { source: 'source.component' };

function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeFieldValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function findOperator(term: string): { at: number; op: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    const two = term.slice(i, i + 2);
    if (two === '!=' || two === '==') {
      return { at: i, op: two };
    }
    if (term[i] === '=') {
      return { at: i, op: '=' };
    }
  }
  return undefined;
}

/**
 * Parses a field selector (`field=value`, `field==value`, `field!=value`,
 * comma means AND). `supported` lists the fields this resource can be
 * selected by, like the apiserver's per-kind field label conversion; others
 * are rejected. Throws {@link SelectorError}.
 */
export function parseFieldSelector(
  selector: string | undefined,
  supported: readonly string[],
): Matcher {
  if (!selector || selector.trim() === '') {
    return () => true;
  }
  const requirements: FieldRequirement[] = [];
  for (const raw of splitUnescaped(selector, ',')) {
    const term = raw.trim();
    const found = findOperator(term);
    if (!found) {
      throw new SelectorError(
        `invalid field selector "${selector}": "${term}" is not a valid field selector: no operator, expected =, == or !=`,
      );
    }
    const field = term.slice(0, found.at).trim();
    if (!supported.includes(field)) {
      // Kinds with field label conversions (pods, events, ...) say so;
      // the others fall back to metav1's default conversion.
      throw new SelectorError(
        supported.length > 2
          ? `field label not supported: ${field}`
          : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    const path = (FIELD_ALIASES[field] ?? field).split('.');
    requirements.push({
      field,
      path,
      negate: found.op === '!=',
      value: unescapeFieldValue(term.slice(found.at + found.op.length).trim()),
    });
  }
  return object =>
    requirements.every(
      r => (fieldValue(object, r.path) === r.value) !== r.negate,
    );
}

function fieldValue(object: KubeObject, path: string[]): string {
  let current: unknown = object;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') {
      return '';
    }
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) {
    return '';
  }
  return typeof current === 'object'
    ? JSON.stringify(current)
    : String(current);
}
