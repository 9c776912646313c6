import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The portal's own catalog and docs describe what exists. These checks fail
 * when a description still calls a built plugin "planned" or a definition a
 * "placeholder", or when an API entity's definition is not the spec its
 * backend serves.
 */
const root = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const catalogFiles = [
  'catalog-info.yaml',
  ...readdirSync(join(root, 'catalog'))
    .filter(f => f.endsWith('.yaml'))
    .map(f => `catalog/${f}`),
];
type Described = {
  kind?: string;
  metadata?: { name?: string; description?: string };
  spec?: { definition?: unknown };
};
const entities = catalogFiles.flatMap(file =>
  parseAllDocuments(read(file)).map(d => ({
    file,
    entity: d.toJS() as Described | null,
  })),
);

// Words that describe something that does not exist yet.
const NOT_YET =
  /\b(planned|placeholder|not built yet|to be built|coming soon)\b/i;

describe("the portal's catalog and docs", () => {
  it('reads every entity of the catalog files', () => {
    expect(entities.length).toBeGreaterThan(40);
  });

  it('has no description that calls something planned or a placeholder', () => {
    const untrue = entities.flatMap(({ file, entity }) => {
      const texts = [entity?.metadata?.description ?? ''];
      // The whole definition: any API type (OpenAPI, GraphQL, gRPC...).
      const definition = entity?.spec?.definition;
      if (typeof definition === 'string') texts.push(definition);
      return texts
        .filter(t => NOT_YET.test(t))
        .map(t => `${file} ${entity?.kind}/${entity?.metadata?.name}: ${t}`);
    });
    expect(untrue).toEqual([]);
  });

  it.each([
    [
      'paved-kubernetes-status-api',
      'plugins/kubernetes-status-backend/src/schema/openapi.yaml',
    ],
    ['paved-policy-api', 'plugins/policy-backend/src/schema/openapi.yaml'],
  ])(
    'gives %s the OpenAPI spec its backend serves (node scripts/catalog-api-definitions.mjs copies it)',
    (name, specPath) => {
      const api = entities.find(
        e => e.entity?.kind === 'API' && e.entity.metadata?.name === name,
      )?.entity;
      expect(typeof api?.spec?.definition).toBe('string');
      expect(parse(api!.spec!.definition as string)).toEqual(
        parse(read(specPath)),
      );
    },
  );

  it('has no docs page that calls a built plugin planned or names a tab that does not exist', () => {
    const pages = readdirSync(join(root, 'docs')).filter(f =>
      f.endsWith('.md'),
    );
    const stale = pages.flatMap(page =>
      read(`docs/${page}`)
        .split('\n')
        .map((line, i) => ({ page, line: i + 1, text: line }))
        .filter(
          ({ text }) =>
            NOT_YET.test(text) ||
            /does not show Kubernetes|\bDocs tab\b/.test(text),
        )
        .map(({ page: p, line, text }) => `docs/${p}:${line}: ${text.trim()}`),
    );
    expect(stale).toEqual([]);
  });
});
