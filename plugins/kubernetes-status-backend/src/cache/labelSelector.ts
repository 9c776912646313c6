/**
 * Kubernetes label selector matching (equality- and set-based), to filter
 * cached objects the way the API server would.
 */
type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelMatcher = (
  labels: Record<string, string> | undefined,
) => boolean;

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

function parseRequirement(text: string): Requirement {
  let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (m) {
    return {
      op: m[2] as 'in' | 'notin',
      key: m[1],
      values: m[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    };
  }
  m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(text);
  if (m) return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1], value: m[3] };
  m = /^!\s*([^\s!=]+)$/.exec(text);
  if (m) return { op: 'notexists', key: m[1] };
  m = /^([^\s!=()]+)$/.exec(text);
  if (m) return { op: 'exists', key: m[1] };
  throw new Error(`Invalid label selector requirement: "${text}"`);
}

/** The `key=value` pairs a selector requires (usable for index lookups). */
export function requiredLabels(
  selector: string | undefined,
): Array<[string, string]> {
  if (!selector?.trim()) return [];
  return splitTopLevel(selector)
    .map(parseRequirement)
    .flatMap(r =>
      r.op === 'eq' ? [[r.key, r.value] as [string, string]] : [],
    );
}

/** Parses a selector such as `app=a,tier in (web,api),!canary`. Throws on bad input. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  if (!selector?.trim()) return () => true;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return labels => {
    const l = labels ?? {};
    return requirements.every(r => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'eq':
          return has && l[r.key] === r.value;
        case 'neq':
          return !has || l[r.key] !== r.value;
        case 'in':
          return has && r.values.includes(l[r.key]);
        case 'notin':
          return !has || !r.values.includes(l[r.key]);
        case 'exists':
          return has;
        case 'notexists':
          return !has;
        default:
          return false;
      }
    });
  };
}
