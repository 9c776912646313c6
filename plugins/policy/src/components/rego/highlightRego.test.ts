import { highlightRego } from './highlightRego';

const typesOf = (line: ReturnType<typeof highlightRego>[number]) =>
  Object.fromEntries(
    line.filter(t => t.type && t.text.trim()).map(t => [t.text.trim(), t.type]),
  );

describe('highlightRego', () => {
  it('keeps every character, one entry per line', () => {
    const raw = 'package paved.catalog\n\nimport rego.v1\n# a comment\n';
    const lines = highlightRego(raw);
    expect(lines).toHaveLength(5);
    expect(lines.map(l => l.map(t => t.text).join('')).join('\n')).toBe(raw);
  });

  it('marks Rego v1 keywords, comments, strings and booleans', () => {
    const [head, body, comment] = highlightRego(
      'violations contains v if {\n  not input.entity.spec.owner == "x"; some i in xs; every y in ys { y }; true\n# METADATA',
    );
    expect(typesOf(head)).toMatchObject({ contains: 'keyword', if: 'keyword' });
    expect(typesOf(body)).toMatchObject({
      not: 'keyword',
      some: 'keyword',
      in: 'keyword',
      every: 'keyword',
      '"x"': 'string',
      true: 'boolean',
    });
    expect(comment).toEqual([{ type: 'comment', text: '# METADATA' }]);
  });
});

describe('loading the highlighter', () => {
  it('does not let Prism highlight code elements of the page on its own', async () => {
    const code = document.createElement('code');
    code.className = 'language-rego';
    code.textContent = 'package x';
    document.body.appendChild(code);
    // a fresh Prism, as on a page that loads it for the first time
    delete (globalThis as { Prism?: unknown }).Prism;
    jest.isolateModules(() => {
      require('./highlightRego');
    });
    // Prism's automatic pass runs on the next animation frame (or DOMContentLoaded)
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(code.innerHTML).toBe('package x');
    code.remove();
  });
});
