#!/usr/bin/env node
// Turns a plugin's src/schema/openapi.yaml into src/schema/openapi.generated.ts
// (the spec as a typed constant for @backstage/backend-openapi-utils), the way
// backstage-repo-tools does, without its Java-based client generator.
// Usage: node scripts/openapi-to-ts.mjs plugins/<plugin>-backend [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export function render(yamlText) {
  const spec = parse(yamlText);
  return `// Generated from openapi.yaml by scripts/openapi-to-ts.mjs. Do not edit.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}

if (
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].split('/').pop())
) {
  const [pkg, flag] = process.argv.slice(2);
  const dir = join(pkg, 'src/schema');
  const out = join(dir, 'openapi.generated.ts');
  const text = render(readFileSync(join(dir, 'openapi.yaml'), 'utf8'));
  if (flag === '--check') {
    if (readFileSync(out, 'utf8') !== text) {
      console.error(
        `${out} is out of date: run node scripts/openapi-to-ts.mjs ${pkg}`,
      );
      process.exit(1);
    }
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out}`);
  }
}
