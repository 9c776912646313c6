import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

/** The repository root (this file is packages/template-ci/src/__testUtils__/). */
// eslint-disable-next-line no-restricted-syntax -- test-only: reads the repository's own files
export const repoRoot = resolve(__dirname, '../../../..');

/**
 * Every entity the repository declares, read the way the catalog reads it:
 * from catalog-info.yaml and templates/all.yaml, following Location targets,
 * with the location annotation the scaffolder resolves `./skeleton` against.
 */
export function loadRepoEntities(): Entity[] {
  const entities: Entity[] = [];
  const visit = (file: string) => {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const entity = doc.toJS() as Entity;
      if (!entity?.kind) continue;
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${file}`,
        'backstage.io/managed-by-origin-location': `file:${file}`,
      };
      entities.push(entity);
      if (entity.kind === 'Location') {
        const spec = entity.spec as { target?: string; targets?: string[] };
        for (const target of [spec.target, ...(spec.targets ?? [])]) {
          if (target) visit(resolve(dirname(file), target));
        }
      }
    }
  };
  visit(resolve(repoRoot, 'catalog-info.yaml'));
  visit(resolve(repoRoot, 'templates/all.yaml'));
  return entities;
}
