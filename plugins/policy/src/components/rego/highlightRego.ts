import Prism from 'prismjs';
import 'prismjs/components/prism-rego';

// On load Prism schedules highlightAll() of the whole page (every
// `code.language-*`, rewriting DOM that React owns) unless `manual` is set
// when that callback runs; we only tokenize strings.
Prism.manual = true;

// Prism's Rego grammar predates Rego v1: add its keywords (if, contains, in, every).
const regoV1 = Prism.languages.extend('rego', {
  keyword:
    /\b(?:as|contains|default|else|every|if|import|in|not|null|package|set(?=\s*\()|some|with)\b/,
});

/** A piece of one source line; `type` is Prism's token type (keyword, comment, string…). */
export interface RegoToken {
  type?: string;
  text: string;
}

function flatten(
  tokens: Array<string | Prism.Token>,
  type?: string,
): RegoToken[] {
  return tokens.flatMap(token => {
    if (typeof token === 'string') return [{ type, text: token }];
    const content = token.content;
    if (typeof content === 'string')
      return [{ type: token.type, text: content }];
    return flatten(Array.isArray(content) ? content : [content], token.type);
  });
}

/**
 * Splits Rego source into lines of typed tokens. Lines are tokenized one by
 * one (so line numbers and highlighted lines are easy); a multi-line raw
 * string is then shown as plain text after its first line.
 */
export function highlightRego(raw: string): RegoToken[][] {
  return raw.split('\n').map(line => flatten(Prism.tokenize(line, regoV1)));
}
