// Every entity the repository declares: catalog-info.yaml, the files its
// Locations reference, and the templates Location.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface EntityKey {
  kind: string;
  namespace: string;
  name: string;
}

export function declaredEntities(rootFiles: string[]): EntityKey[] {
  const seen = new Map<string, EntityKey>();
  const visit = (file: string) => {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const entity = doc.toJS();
      if (!entity?.kind) continue;
      const key = {
        kind: String(entity.kind).toLowerCase(),
        namespace: entity.metadata?.namespace ?? 'default',
        name: entity.metadata.name,
      };
      seen.set(`${key.kind}:${key.namespace}/${key.name}`, key);
      if (entity.kind === 'Location') {
        for (const target of [
          entity.spec?.target,
          ...(entity.spec?.targets ?? []),
        ]) {
          if (target) visit(resolve(dirname(file), target));
        }
      }
    }
  };
  rootFiles.forEach(f => visit(f));
  return [...seen.values()];
}

export const repoEntityFiles = (repoRoot: string) => [
  join(repoRoot, 'catalog-info.yaml'),
  join(repoRoot, 'templates/all.yaml'),
];
