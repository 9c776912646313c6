import type { JsonObject } from '@backstage/types';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import {
  Command,
  commandLine,
  runCommand,
  testCounters,
  ToolSpec,
} from './ownTests';
import { repoRoot } from './repoEntities';

/** One template run with known-good parameters and what it must produce. */
export interface GoldenCase {
  template: string;
  values: JsonObject;
  /** Ref of the entity the generated catalog-info.yaml declares. */
  entityRef: string;
  /** Every file of the published repository (git ls-files). */
  files: string[];
  /** Files whose rendered content is compared with the committed snapshot. */
  keyFiles: string[];
  /** Directory of Kubernetes manifests; `workload` ones must have a hardened Deployment, Service, HPA and PDB. */
  kubernetes?: { dir: string; workload: boolean };
  /**
   * Every finding the REAL OPA (the repository's policies/) reports through
   * policy:check on the generated files, each with the reason it is
   * accepted rather than fixed in the template. Empty: none at all.
   */
  policyFindings: ExpectedFinding[];
  /** Command that checks the generated sources with the language's own tool. */
  syntaxCheck?: SyntaxCheck;
  /** The generated project's own test suite, with its real dependencies. */
  ownTests?: OwnTests;
}

/** A finding policy:check logs (warning or info: an error fails the task). */
export interface ExpectedFinding {
  level: 'warning' | 'info';
  id: string;
  /** `<package>/violations` of the entry point, e.g. `paved.catalog/violations`. */
  policy: string;
  message: string;
  /** Why the template keeps generating this. */
  why: string;
}

/** What running a golden path's own tests may use. */
export interface OwnTestsContext {
  /** The clone of the published repository; commands run here. */
  clone: string;
  /** A throwaway directory of the test (venvs, build output). */
  scratch: string;
  /** Absolute paths of the tools, by ToolSpec name. */
  tools: Record<string, string>;
}

/**
 * A generated project's own suite, run the way its CI runs it, with its
 * dependencies from the real registries (PyPI, the Go module proxy,
 * crates.io, npm) and its real tools. Missing tools fail, never skip.
 */
export interface OwnTests {
  tools: ToolSpec[];
  /** Install dependencies, generate code (timed as set-up). */
  setup: (ctx: OwnTestsContext) => Command[];
  /** The suite; `count` reads how many tests it ran from its output. */
  test: (ctx: OwnTestsContext) => Command;
  /** What the table shows as the command (default: the test command line). */
  display?: string;
  count: (output: string) => number | undefined;
  /** The project's other CI checks after the suite (type check, vet, format, target build). */
  checks?: (ctx: OwnTestsContext) => Command[];
  /** Checks of what the commands produced; each string returned is a problem. */
  verify?: (ctx: OwnTestsContext) => Promise<string[]>;
}

/** Either a tool on PATH run over the matching files, or an in-process parser. */
export type SyntaxCheck =
  | {
      tool: string;
      args: (files: string[]) => string[];
      filePattern: RegExp;
      /** The tool lists problems on stdout (gofmt -l: unformatted files). */
      stdoutMustBeEmpty?: boolean;
      hint: string;
    }
  | {
      tool: 'typescript';
      filePattern: RegExp;
      parse: (file: string, text: string) => string[];
    };

/** Syntax errors of a TypeScript file, from the compiler's parser (no type check: no node_modules). */
function typescriptSyntaxErrors(file: string, text: string): string[] {
  const result = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
  });
  return (result.diagnostics ?? []).map(
    d => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  );
}

const service = (name: string, extra: JsonObject = {}): JsonObject => ({
  name,
  description: `Golden test of ${name}`,
  owner: 'group:default/team-insights',
  system: 'system:default/insights',
  lifecycle: 'experimental',
  ...extra,
});

/** The tools the golden paths' own tests run, and where each comes from. */
export const tools = {
  python3: {
    name: 'python3',
    hint: 'install Python 3.11+ with venv and ensurepip (Debian: python3-venv); ./platform test checks for it',
  },
  go: {
    name: 'go',
    hint: 'install Go (https://go.dev, Debian: golang-go); ./platform test installs golang-go when no Go is on PATH',
  },
  gofmt: {
    name: 'gofmt',
    hint: 'gofmt comes with Go (https://go.dev, Debian: golang-go)',
  },
  make: {
    name: 'make',
    hint: 'Debian package make; ./platform test installs it',
  },
  protoc: {
    name: 'protoc',
    hint: 'Debian package protobuf-compiler; ./platform test installs it',
  },
  protocGenGo: {
    name: 'protoc-gen-go',
    env: 'PAVED_PROTOC_GEN_GO_BIN',
    hint: './platform test builds the version pinned in scripts/toolchain/versions.env into the per-user cache and sets PAVED_PROTOC_GEN_GO_BIN',
  },
  protocGenGoGrpc: {
    name: 'protoc-gen-go-grpc',
    env: 'PAVED_PROTOC_GEN_GO_GRPC_BIN',
    hint: './platform test builds the version pinned in scripts/toolchain/versions.env into the per-user cache and sets PAVED_PROTOC_GEN_GO_GRPC_BIN',
  },
  cargo: {
    name: 'cargo',
    hint: 'install Rust with rustup (https://rustup.rs); ./platform test adds the wasm target',
  },
  rustfmt: {
    name: 'rustfmt',
    hint: "rustfmt comes with rustup's default profile (rustup component add rustfmt)",
  },
  opa: {
    name: 'opa',
    env: 'PAVED_OPA_BIN',
    hint: './platform test builds the pinned OPA (scripts/toolchain/versions.env) and sets PAVED_OPA_BIN',
  },
  npm: {
    name: 'npm',
    hint: 'npm comes with Node.js; ./platform puts its Node first on PATH',
  },
  mkdocs: {
    name: 'mkdocs',
    hint: 'the TechDocs generator (mkdocs-techdocs-core in .toolchain/venv/bin): ./platform test installs it and puts it first on PATH',
  },
} satisfies Record<string, ToolSpec>;

/** `KEY=value` pins of scripts/toolchain/versions.env. */
export function toolchainPins(): Record<string, string> {
  const text = readFileSync(
    join(repoRoot, 'scripts/toolchain/versions.env'),
    'utf8',
  );
  return Object.fromEntries(
    [...text.matchAll(/^([A-Z0-9_]+)=(\S*)$/gm)].map(m => [m[1], m[2]]),
  );
}

// Parses without writing __pycache__ (ast.parse is the compiler's parser).
const pythonSyntax: SyntaxCheck = {
  tool: 'python3',
  filePattern: /\.py$/,
  args: files => [
    '-c',
    'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)',
    ...files,
  ],
  hint: tools.python3.hint,
};

/**
 * A throwaway venv in the test's scratch directory, the pinned requirements
 * from PyPI (pip's own per-user cache makes a second run fast) and the
 * project's pytest suite. The suite fakes the model, Qdrant and embeddings
 * APIs at the HTTP boundary (respx), so nothing but PyPI is reached.
 */
const pythonOwnTests: OwnTests = {
  tools: [tools.python3],
  setup: ({ scratch, tools: t }) => [
    { command: t.python3, args: ['-m', 'venv', `${scratch}/venv`] },
    {
      command: `${scratch}/venv/bin/python`,
      args: [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--quiet',
        '-r',
        'requirements.txt',
        '-r',
        'requirements-dev.txt',
      ],
    },
    // Every installed package is pinned and consistent.
    { command: `${scratch}/venv/bin/python`, args: ['-m', 'pip', 'check'] },
  ],
  test: ({ scratch }) => ({
    command: `${scratch}/venv/bin/python`,
    args: ['-m', 'pytest', '-p', 'no:cacheprovider'],
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  }),
  display: 'python -m pytest',
  count: testCounters.pytest,
};

const goEnv = (ctx: OwnTestsContext): Record<string, string> => ({
  // The protoc plugins built by ./platform test, first on PATH for protoc.
  PATH: [
    dirname(ctx.tools['protoc-gen-go']),
    dirname(ctx.tools['protoc-gen-go-grpc']),
    process.env.PATH ?? '',
  ].join(':'),
  // go.mod and go.sum as committed; no toolchain download.
  GOFLAGS: '-mod=readonly -buildvcs=false',
  GOTOOLCHAIN: 'local',
});

/** `require <module> <version>` of a go.mod. */
const goModVersion = (goMod: string, module: string) =>
  goMod.match(
    new RegExp(
      `^\\s*(?:require\\s+)?${module.replace(/\./g, '\\.')} (v\\S+)`,
      'm',
    ),
  )?.[1];

const goOwnTests: OwnTests = {
  tools: [
    tools.go,
    tools.make,
    tools.protoc,
    tools.protocGenGo,
    tools.protocGenGoGrpc,
  ],
  setup: ctx => [
    // protoc with the Go plugins: gen/v1 (git-ignored, as in the project's CI).
    { command: ctx.tools.make, args: ['proto'], env: goEnv(ctx) },
    // go.mod and go.sum are complete and tidy (the project's CI checks the same).
    { command: ctx.tools.go, args: ['mod', 'tidy', '-diff'], env: goEnv(ctx) },
  ],
  test: ctx => ({
    command: ctx.tools.go,
    args: ['test', '-count=1', '-v', './...'],
    env: goEnv(ctx),
  }),
  display: 'go test -count=1 -v ./...',
  count: testCounters.goTest,
  checks: ctx => [
    { command: ctx.tools.go, args: ['vet', './...'], env: goEnv(ctx) },
  ],
  verify: async ({ clone }) => {
    // The plugins ./platform test builds are the ones the project pins.
    const pins = toolchainPins();
    const goMod = readFileSync(join(clone, 'go.mod'), 'utf8');
    const makefile = readFileSync(join(clone, 'Makefile'), 'utf8');
    const bufGen = readFileSync(join(clone, 'buf.gen.yaml'), 'utf8');
    const want = {
      'go.mod google.golang.org/protobuf': [
        goModVersion(goMod, 'google.golang.org/protobuf'),
        pins.PROTOC_GEN_GO_VERSION,
      ],
      'Makefile PROTOC_GEN_GO_VERSION': [
        makefile.match(/^PROTOC_GEN_GO_VERSION := (\S+)$/m)?.[1],
        pins.PROTOC_GEN_GO_VERSION,
      ],
      'Makefile PROTOC_GEN_GO_GRPC_VERSION': [
        makefile.match(/^PROTOC_GEN_GO_GRPC_VERSION := (\S+)$/m)?.[1],
        pins.PROTOC_GEN_GO_GRPC_VERSION,
      ],
      'buf.gen.yaml protocolbuffers/go': [
        bufGen.match(/protocolbuffers\/go:(\S+)/)?.[1],
        pins.PROTOC_GEN_GO_VERSION,
      ],
      'buf.gen.yaml grpc/go': [
        bufGen.match(/grpc\/go:(\S+)/)?.[1],
        pins.PROTOC_GEN_GO_GRPC_VERSION,
      ],
    };
    return Object.entries(want)
      .filter(([, [found, pinned]]) => found !== pinned)
      .map(
        ([where, [found, pinned]]) =>
          `${where} is ${found}, scripts/toolchain/versions.env pins ${pinned}`,
      );
  },
};

const versionAtMost = (version: string, limit: string) => {
  const [a, b] = [version, limit].map(v => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return true;
};

const rustOwnTests = (crate: string): OwnTests => {
  const cargoEnv = (scratch: string) => ({
    CARGO_TARGET_DIR: `${scratch}/target`,
  });
  const target = () => toolchainPins().RUST_WASM_TARGET;
  return {
    tools: [tools.cargo, tools.rustfmt],
    // Crates from crates.io into cargo's per-user cache, exactly as locked.
    setup: ({ scratch, tools: t }) => [
      { command: t.cargo, args: ['fetch', '--locked'], env: cargoEnv(scratch) },
    ],
    test: ({ scratch, tools: t }) => ({
      command: t.cargo,
      args: ['test', '--locked'],
      env: cargoEnv(scratch),
    }),
    display: 'cargo test --locked',
    count: testCounters.cargo,
    checks: ({ scratch, tools: t }) => [
      { command: t.cargo, args: ['fmt', '--check'] },
      // The component the Dockerfile ships (rustup target added by ./platform
      // test). wasm32-wasip2, not wasm32-wasip1: both targets install and
      // build here, but wasip1 yields a core module, which is not a
      // wasi:http component (verify below checks the component header).
      {
        command: t.cargo,
        args: ['build', '--locked', '--release', '--target', target()],
        env: cargoEnv(scratch),
      },
    ],
    verify: async ({ clone, scratch, tools: t }) => {
      const problems: string[] = [];
      const wasm = readFileSync(
        `${scratch}/target/${target()}/release/${crate}.wasm`,
      );
      // A component (layer 1), not a core module: what wasmtime serve and the wasm shim run.
      if (
        !wasm
          .subarray(0, 8)
          .equals(Buffer.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 0x01, 0]))
      ) {
        problems.push(
          `${crate}.wasm is not a WebAssembly component (header ${wasm
            .subarray(0, 8)
            .toString('hex')})`,
        );
      }
      if (!wasm.includes('wasi:http/incoming-handler')) {
        problems.push(
          `${crate}.wasm does not export wasi:http/incoming-handler`,
        );
      }
      // Every locked crate builds with the Rust of the Dockerfile's image.
      const dockerRust = readFileSync(join(clone, 'Dockerfile'), 'utf8').match(
        /^FROM rust:(\d+\.\d+(?:\.\d+)?)/m,
      )?.[1];
      if (!dockerRust)
        return [...problems, 'Dockerfile has no FROM rust:<version>'];
      const metadata = await runCommand(
        {
          command: t.cargo,
          args: ['metadata', '--format-version', '1', '--locked', '--offline'],
          env: cargoEnv(scratch),
        },
        clone,
      );
      if (metadata.status !== 0)
        return [...problems, `cargo metadata failed: ${metadata.output}`];
      const packages: Array<{
        name: string;
        version: string;
        rust_version?: string;
      }> = JSON.parse(metadata.stdout).packages;
      for (const p of packages) {
        if (p.rust_version && !versionAtMost(p.rust_version, dockerRust)) {
          problems.push(
            `${p.name} ${p.version} needs Rust ${p.rust_version}, the Dockerfile builds with ${dockerRust}`,
          );
        }
      }
      return problems;
    },
  };
};

const opaOwnTests: OwnTests = {
  tools: [tools.opa],
  // What the project's CI runs (check, test, fmt), with the OPA ./platform builds.
  setup: ({ tools: t }) => [
    { command: t.opa, args: ['check', '--strict', 'policy/'] },
  ],
  test: ({ tools: t }) => ({ command: t.opa, args: ['test', 'policy/'] }),
  display: 'opa test policy/',
  count: testCounters.opa,
  // The CI's `opa fmt --list --fail`, with the diff in the message.
  checks: ({ tools: t }) => [
    { command: t.opa, args: ['fmt', '--diff', '--fail', 'policy/'] },
  ],
  verify: async ({ clone }) => {
    // The project's CI runs the OPA version template CI tests with.
    const ci = readFileSync(join(clone, '.github/workflows/ci.yaml'), 'utf8');
    const version = ci.match(/setup-opa@v\d+\s+with:\s+version: (\S+)/)?.[1];
    const pinned = toolchainPins().OPA_VERSION.replace(/^v/, '');
    return version === pinned
      ? []
      : [
          `.github/workflows/ci.yaml sets up OPA ${version}, scripts/toolchain/versions.env pins ${pinned}`,
        ];
  },
};

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

const typescriptSyntax: SyntaxCheck = {
  tool: 'typescript',
  filePattern: /\.ts$/,
  parse: typescriptSyntaxErrors,
};

export const goldenCases: GoldenCase[] = [
  {
    template: 'python-llm-api',
    keyFiles: ['kubernetes/deployment.yaml', 'app/llm.py'],
    entityRef: 'component:default/review-analyzer',
    kubernetes: { dir: 'kubernetes', workload: true },
    values: service('review-analyzer', {
      model: 'llama-3.1-8b-instruct',
      endpoint: 'http://llm.internal:8000/v1',
    }),
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
    policyFindings: [],
    syntaxCheck: pythonSyntax,
    ownTests: pythonOwnTests,
  },
  {
    template: 'graphql-subgraph',
    keyFiles: ['src/schema.ts', 'src/resolvers.ts'],
    entityRef: 'component:default/catalog-graph',
    kubernetes: { dir: 'kubernetes', workload: true },
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
    policyFindings: [],
    syntaxCheck: typescriptSyntax,
    // The pinned dependencies from the npm registry, then tests and type check.
    ownTests: {
      tools: [tools.npm],
      setup: ({ tools: t }) => [
        {
          command: t.npm,
          args: [
            'install',
            '--no-audit',
            '--no-fund',
            '--ignore-scripts',
            '--loglevel=error',
          ],
        },
      ],
      test: () => ({
        command: process.execPath,
        args: ['--test', 'src/**/*.test.ts'],
      }),
      display: "node --test 'src/**/*.test.ts'",
      count: testCounters.nodeTest,
      checks: () => [
        {
          command: process.execPath,
          args: ['node_modules/typescript/bin/tsc', '--noEmit'],
        },
      ],
    },
  },
  {
    template: 'go-grpc-service',
    keyFiles: [
      'proto/v1/service.proto',
      'kubernetes/deployment.yaml',
      'Makefile',
    ],
    entityRef: 'component:default/inventory-grpc',
    kubernetes: { dir: 'kubernetes', workload: true },
    values: service('inventory-grpc', { resourceName: 'Item' }),
    files: [
      ...serviceCommonFiles,
      '.gitignore',
      'Makefile',
      'buf.gen.yaml',
      'cmd/server/main.go',
      'go.mod',
      'go.sum',
      'internal/server/grpc.go',
      'internal/server/server.go',
      'internal/server/server_test.go',
      'internal/store/store.go',
      'proto/v1/service.proto',
    ].sort(),
    policyFindings: [],
    // gofmt -e parses without type-checking; -l lists files that are not gofmt-formatted.
    syntaxCheck: {
      tool: 'gofmt',
      filePattern: /\.go$/,
      args: files => ['-e', '-l', ...files],
      stdoutMustBeEmpty: true,
      hint: tools.gofmt.hint,
    },
    ownTests: goOwnTests,
  },
  {
    template: 'semantic-search-service',
    keyFiles: ['kubernetes/configmap.yaml', 'app/settings.py', 'app/search.py'],
    entityRef: 'component:default/docs-search',
    kubernetes: { dir: 'kubernetes', workload: true },
    values: service('docs-search', {
      collection: 'handbook',
      qdrantUrl: 'http://qdrant.insights.svc.cluster.local:6333',
      embeddingModel: 'nomic-embed-text',
      vectorSize: 768,
    }),
    files: [
      ...serviceCommonFiles,
      'app/__init__.py',
      'app/main.py',
      'app/search.py',
      'app/settings.py',
      'kubernetes/configmap.yaml',
      'requirements-dev.txt',
      'requirements.txt',
      'tests/test_api.py',
    ].sort(),
    policyFindings: [],
    syntaxCheck: pythonSyntax,
    ownTests: pythonOwnTests,
  },
  {
    template: 'edge-worker',
    keyFiles: ['wrangler.toml'],
    entityRef: 'component:default/short-links',
    values: service('short-links', {
      route: 'go.paved.dev/links/*',
      cacheTtlSeconds: 300,
    }),
    files: [
      '.github/workflows/ci.yaml',
      'README.md',
      'catalog-info.yaml',
      'docs/index.md',
      'migrations/0001_create_links.sql',
      'mkdocs.yml',
      'package.json',
      'src/env.ts',
      'src/handler.test.ts',
      'src/handler.ts',
      'src/index.ts',
      'tsconfig.json',
      'wrangler.toml',
    ],
    // paved.dev/runtime: edge tells the kubernetes-annotation rule that the
    // worker runs on the CDN, not in a cluster: no finding.
    policyFindings: [],
    syntaxCheck: typescriptSyntax,
    // Node 22.18+ strips the types; the worker uses only web-standard APIs,
    // so its tests need no install.
    ownTests: {
      tools: [],
      setup: () => [],
      test: () => ({
        command: process.execPath,
        args: ['--test', 'src/**/*.test.ts'],
      }),
      display: "node --test 'src/**/*.test.ts'",
      count: testCounters.nodeTest,
    },
  },
  {
    template: 'rust-wasi-component',
    keyFiles: ['src/routes.rs', 'kubernetes/deployment.yaml', 'Cargo.toml'],
    entityRef: 'component:default/greeter-wasm',
    kubernetes: { dir: 'kubernetes', workload: true },
    values: service('greeter-wasm', { runtimeClass: 'wasmtime' }),
    files: [
      ...serviceCommonFiles,
      '.gitignore',
      'Cargo.lock',
      'Cargo.toml',
      'src/lib.rs',
      'src/routes.rs',
    ].sort(),
    policyFindings: [],
    // rustfmt parses (and formats to stdout); parse errors go to stderr.
    syntaxCheck: {
      tool: 'rustfmt',
      filePattern: /\.rs$/,
      args: files => ['--edition', '2021', '--emit', 'stdout', ...files],
      hint: tools.rustfmt.hint,
    },
    ownTests: rustOwnTests('greeter_wasm'),
  },
  ...(
    [
      ['postgresql-database', 'billing-db', 'manifests/database.yaml'],
      ['kafka-topic', 'order-events', 'manifests/kafka-topic.yaml'],
      [
        'vault-secret-path',
        'payments-secrets',
        'manifests/vault-static-secret.yaml',
      ],
    ] as const
  ).map(
    ([resourceType, name, manifest]): GoldenCase => ({
      template: 'platform-resource',
      keyFiles: ['catalog-info.yaml', manifest],
      entityRef: `resource:default/${name}`,
      kubernetes: { dir: 'manifests', workload: false },
      values: {
        name,
        description: `Golden test of ${resourceType}`,
        owner: 'group:default/team-commerce',
        system: 'system:default/commerce',
        resourceType,
        partitions: 6,
        retentionHours: 72,
      },
      files: [
        'README.md',
        'catalog-info.yaml',
        'docs/index.md',
        manifest,
        'mkdocs.yml',
        ...(resourceType === 'vault-secret-path' ? ['vault/policy.hcl'] : []),
      ].sort(),
      policyFindings: [],
    }),
  ),
  ...(
    [
      [
        'kubernetes-workload',
        'image-rules',
        'kubernetes.images',
        'policy/kubernetes/images',
      ],
      ['catalog-entity', 'entity-rules', 'catalog', 'policy/catalog'],
    ] as const
  ).map(
    ([target, name, packageName, dir]): GoldenCase => ({
      template: 'opa-policy-package',
      keyFiles: [`${dir}/policy.rego`, `${dir}/policy_test.rego`],
      entityRef: `component:default/${name}`,
      values: {
        name,
        description: `Golden test of ${target} policies`,
        owner: 'group:default/platform-team',
        system: 'system:default/policy-platform',
        lifecycle: 'experimental',
        packageName,
        target,
        severity: 'error',
      },
      files: [
        '.github/workflows/ci.yaml',
        'README.md',
        'catalog-info.yaml',
        'docs/index.md',
        'mkdocs.yml',
        `${dir}/policy.rego`,
        `${dir}/policy_test.rego`,
      ].sort(),
      policyFindings: [],
      ownTests: opaOwnTests,
    }),
  ),
];

/** The command the table shows for a golden path's own tests. */
export function ownTestsDisplay(
  ownTests: OwnTests,
  ctx: OwnTestsContext,
): string {
  return ownTests.display ?? commandLine(ownTests.test(ctx));
}
