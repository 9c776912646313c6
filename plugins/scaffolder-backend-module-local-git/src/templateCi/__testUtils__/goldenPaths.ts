import type { JsonObject } from '@backstage/types';
import ts from 'typescript';

/** One template run with known-good parameters and what it must produce. */
export interface GoldenCase {
  template: string;
  values: JsonObject;
  /** Every file of the published repository (git ls-files). */
  files: string[];
  /** Command that checks the generated sources with the language's own tool, if on this machine. */
  syntaxCheck?: SyntaxCheck;
}

/** Either a tool on PATH run over the matching files, or an in-process parser. */
export type SyntaxCheck =
  | { tool: string; args: (files: string[]) => string[]; filePattern: RegExp }
  | { tool: 'typescript'; filePattern: RegExp; parse: (file: string, text: string) => string[] };

/** Syntax errors of a TypeScript file, from the compiler's parser (no type check: no node_modules). */
function typescriptSyntaxErrors(file: string, text: string): string[] {
  const result = ts.transpileModule(text, { fileName: file, reportDiagnostics: true });
  return (result.diagnostics ?? []).map(d => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

const service = (name: string, extra: JsonObject = {}): JsonObject => ({
  name,
  description: `Golden test of ${name}`,
  owner: 'group:default/team-insights',
  system: 'system:default/insights',
  lifecycle: 'experimental',
  ...extra,
});

const serviceCommonFiles = [
  '.github/workflows/ci.yaml',
  'Dockerfile',
  'README.md',
  'catalog-info.yaml',
  'docs/index.md',
  'kubernetes/deployment.yaml',
  'kubernetes/hpa.yaml',
  'kubernetes/pdb.yaml',
  'kubernetes/service.yaml',
  'mkdocs.yml',
];

export const goldenCases: GoldenCase[] = [
  {
    template: 'python-llm-api',
    values: service('review-analyzer', { model: 'llama-3.1-8b-instruct', endpoint: 'http://llm.internal:8000/v1' }),
    files: [
      ...serviceCommonFiles,
      'app/__init__.py',
      'app/llm.py',
      'app/main.py',
      'app/settings.py',
      'kubernetes/configmap.yaml',
      'requirements-dev.txt',
      'requirements.txt',
      'tests/test_api.py',
    ].sort(),
    syntaxCheck: {
      tool: 'python3',
      filePattern: /\.py$/,
      args: files => ['-m', 'py_compile', ...files],
    },
  },
  {
    template: 'graphql-subgraph',
    values: service('catalog-graph', { entityName: 'Product' }),
    files: [
      ...serviceCommonFiles,
      'package.json',
      'src/index.ts',
      'src/resolvers.ts',
      'src/schema.ts',
      'src/server.ts',
      'src/store.ts',
      'src/subgraph.test.ts',
      'tsconfig.json',
    ].sort(),
    syntaxCheck: { tool: 'typescript', filePattern: /\.ts$/, parse: typescriptSyntaxErrors },
  },
];
