import type { JsonObject } from '@backstage/types';

/** One template run with known-good parameters and what it must produce. */
export interface GoldenCase {
  template: string;
  values: JsonObject;
  /** Every file of the published repository (git ls-files). */
  files: string[];
  /** Command that checks the generated sources with the language's own tool, if on this machine. */
  syntaxCheck?: { tool: string; args: (files: string[]) => string[]; filePattern: RegExp };
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
];
