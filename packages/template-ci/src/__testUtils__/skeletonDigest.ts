import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** sha256 over the sorted paths and contents of a template's skeleton and template.yaml steps. */
export function skeletonDigest(templateDir: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(templateDir, {
    recursive: true,
    withFileTypes: true,
  })
    .filter(e => e.isFile())
    .map(e => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    hash.update(relative(templateDir, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
