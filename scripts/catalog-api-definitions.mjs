#!/usr/bin/env node
// Writes the OpenAPI spec each Paved backend serves (plugins/<x>-backend/
// src/schema/openapi.yaml) into the definition of its API entity in
// catalog/apis.yaml, so the API docs tab shows what is served. The catalog
// cannot read a file next to a `file` location ($text takes URLs only), hence
// the copy; packages/backend/src/catalogTruth.test.ts fails when it is stale.
// Usage: node scripts/catalog-api-definitions.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PAVED_APIS = {
  'paved-kubernetes-status-api':
    'plugins/kubernetes-status-backend/src/schema/openapi.yaml',
  'paved-policy-api': 'plugins/policy-backend/src/schema/openapi.yaml',
};

/** catalog/apis.yaml with each Paved API's definition replaced by its spec. */
export function withServedDefinitions(catalogText, readSpec) {
  let text = catalogText;
  for (const [name, specPath] of Object.entries(PAVED_APIS)) {
    const at = text.indexOf(`\n  name: ${name}\n`);
    if (at < 0) throw new Error(`catalog/apis.yaml has no API named ${name}`);
    const start = text.indexOf('\n  definition: |\n', at);
    const next = text.indexOf('\n---\n', at);
    const end = next < 0 ? text.length : next;
    if (start < 0 || start > end) {
      throw new Error(`API ${name} has no block definition (definition: |)`);
    }
    const spec = readSpec(specPath)
      .trimEnd()
      .split('\n')
      .map(line => (line ? `    ${line}` : ''))
      .join('\n');
    text = `${text.slice(0, start)}\n  definition: |\n${spec}${text.slice(
      end,
    )}`;
  }
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..');
  const catalogPath = join(root, 'catalog/apis.yaml');
  const current = readFileSync(catalogPath, 'utf8');
  const wanted = withServedDefinitions(current, p =>
    readFileSync(join(root, p), 'utf8'),
  );
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(
        'catalog/apis.yaml: a Paved API definition differs from the spec its backend serves; run node scripts/catalog-api-definitions.mjs',
      );
      process.exit(1);
    }
  } else if (current !== wanted) {
    writeFileSync(catalogPath, wanted);
    console.log('catalog/apis.yaml: Paved API definitions updated');
  }
}
