import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { TechdocsGenerator } from '@backstage/plugin-techdocs-node';
import { Writable } from 'node:stream';
import { createLogger, transports } from 'winston';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { LocalOpaServer } from '@paved/plugin-policy-node/testUtils';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import {
  checkCatalogEntities,
  checkKubernetesObjects,
} from '@paved/plugin-scaffolder-backend-module-paved';
import {
  ExpectedFinding,
  goldenCases,
  ownTestsDisplay,
  OwnTestsContext,
  tools,
} from './__testUtils__/goldenPaths';
import {
  commandLine,
  markdownTable,
  OwnTestsRow,
  requireTool,
  runCommand,
} from './__testUtils__/ownTests';
import { loadRepoEntities, repoRoot } from './__testUtils__/repoEntities';
import { skeletonDigest } from './__testUtils__/skeletonDigest';
import { startTemplateBackend } from './__testUtils__/templateBackend';
import { scaledMs } from '@paved/test-timing';

// Full scaffolder tasks (render, validate, policy:check, publish) on a test
// backend, one per golden path, plus the ways a run must fail without
// publishing. policy:check asks a REAL OPA (LocalOpaServer: the opa binary
// serving a bundle built from the repository's policies/), and every
// finding it reports is asserted. Then each generated project's own test
// suite runs with its real dependencies (PyPI, the Go module proxy,
// crates.io, npm) and real tools; a missing tool fails, it is never skipped.
jest.setTimeout(scaledMs(120_000));

/** The portal's TechDocs generator settings, from the repository's app-config.yaml. */
function portalTechdocsConfig() {
  const appConfig = parseYaml(
    readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  return new ConfigReader({
    techdocs: { generator: appConfig.techdocs.generator },
  });
}

/** A winston logger (what the generator's run options take) collecting its lines. */
function techdocsLogger(lines: string[]) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return createLogger({ transports: [new transports.Stream({ stream })] });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const yamlDocs = (file: string) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map(d => d.toJS());
const seconds = (ms: number) => (ms / 1000).toFixed(1);

const CATALOG_ENTRYPOINT = 'paved/catalog/violations';
const WORKLOAD_ENTRYPOINT = 'paved/workload/violations';

// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;
/** A task log message without the logger's (coloured) level prefix (`info: `, `warn: `). */
const logText = (line: string) =>
  line.replace(ANSI_COLOUR, '').replace(/^(?:debug|info|warn|error): /, '');

/** The findings policy:check logged below the error level ([warning] / [info] lines). */
function loggedFindings(log: string[]) {
  return log
    .map(logText)
    .map(line =>
      line.match(
        /^\[(warning|info)\] (\S+) \(([^)]+)\)(?: in [^:]+)?: (.*?)(?: Remediation: .*)?$/s,
      ),
    )
    .filter((m): m is RegExpMatchArray => !!m)
    .map(([, level, id, policy, message]) => ({ level, id, policy, message }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const withoutReasons = (findings: ExpectedFinding[]) =>
  findings
    .map(({ why: _why, ...finding }) => finding)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Runs a command of a golden path's own tests; throws with its output when it fails. */
async function runOrThrow(
  command: Parameters<typeof runCommand>[0],
  clone: string,
  template: string,
) {
  const result = await runCommand(command, clone);
  if (result.status !== 0) {
    throw new Error(
      `${template}: \`${commandLine(command)}\` ${
        result.timedOut
          ? `timed out after ${seconds(result.durationMs)} s`
          : `failed (${result.status ?? result.signal})`
      }:\n${result.output.slice(-12_000)}`,
    );
  }
  return result;
}

/** Empty when the lock records this version and digest; else what to do. */
function versionLockProblem(
  name: string,
  version: string,
  digest: string,
  recorded: { version: string; digest: string } | undefined,
): string {
  if (recorded?.version === version && recorded.digest === digest) return '';
  const record = `record "${name}": { "version": "${version}", "digest": "${digest}" } in templates/template-versions.json`;
  if (recorded?.version === version) {
    return `${name} changed but is still version ${version}: bump paved.dev/template-version (and templateVersion) in its template.yaml, then ${record}`;
  }
  return record;
}

describe('golden-path templates', () => {
  const dir = createMockDirectory();
  const baseDir = dir.resolve('repositories');
  let harness: Awaited<ReturnType<typeof startTemplateBackend>>;
  // The real OPA, serving the repository's policies/ as one bundle.
  const opa = new LocalOpaServer({ revision: 'template-ci' });
  const durations: string[] = [];
  const ownTestsRows: OwnTestsRow[] = [];

  beforeAll(async () => {
    await opa.start();
    harness = await startTemplateBackend({
      baseDir,
      // No answer from OPA must fail the step, never pass it.
      policy: {
        opa: { baseUrl: opa.url, retries: 0 },
        scaffolder: { onEngineUnavailable: 'fail' },
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await opa.stop();
    // The closing report lists the time each template's task took and the
    // golden paths' own test suites.
    process.stdout.write(
      `template task durations:\n${durations.join('\n')}\n\n` +
        `golden paths' own tests:\n${markdownTable(ownTestsRows)}\n`,
    );
  });

  it('covers every template listed in templates/all.yaml', () => {
    const templates = loadRepoEntities()
      .filter(e => e.kind === 'Template' && e.metadata.name !== 'hello-service')
      .map(e => e.metadata.name)
      .sort();
    expect([...new Set(goldenCases.map(c => c.template))].sort()).toEqual(
      templates,
    );
  });

  describe.each(goldenCases)('$template ($values.name)', golden => {
    const repoName = golden.values.name as string;
    const repoPath = join(baseDir, repoName);
    const clone = dir.resolve(`clone-${repoName}`);

    it('runs end to end, passes policy:check against the real OPA with exactly the expected findings and publishes a clonable repository', async () => {
      opa.resetDecisions();
      const run = await harness.runTask(golden.template, golden.values);
      durations.push(`${golden.template} (${repoName}): ${run.durationMs} ms`);
      expect({
        status: run.status,
        log: run.status === 'completed' ? [] : run.log,
      }).toEqual({
        status: 'completed',
        log: [],
      });
      expect(run.output.links).toEqual([
        {
          title: 'Open in catalog',
          icon: 'catalog',
          entityRef: golden.entityRef,
        },
      ]);
      expect(JSON.stringify(run.output.text)).toContain(
        `git clone ${repoPath}`,
      );
      // The task output says whether the files were policy-checked (a
      // scaffolder step has no warning state to show it).
      expect(run.output.text).toContainEqual({
        title: 'Policy check',
        default: false,
        content: expect.stringMatching(/^Policy-checked: \d+ errors, /),
      });

      execFileSync('git', ['clone', '--quiet', repoPath, clone]);
      expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
      expect(git(clone, 'log', '--format=%an <%ae>')).toBe(
        'Alice Andersen <alice@example.com>',
      );
      expect(git(clone, 'ls-files').split('\n').sort()).toEqual(golden.files);
      // What OPA reported, finding by finding (each accepted one carries
      // its reason in goldenPaths.ts), and the totals policy:check logged.
      expect(loggedFindings(run.log)).toEqual(
        withoutReasons(golden.policyFindings),
      );
      const count = (level: string) =>
        golden.policyFindings.filter(f => f.level === level).length;
      const passed = run.log
        .map(logText)
        .find(l => l.startsWith('Policy check passed'));
      // Without the line, the whole log shows what happened instead.
      expect(passed ?? run.log.join('\n')).toMatch(
        new RegExp(
          `^Policy check passed: 0 errors, ${count(
            'warning',
          )} warnings, ${count(
            'info',
          )} info \\(decisions [0-9a-f-]+(, [0-9a-f-]+)*\\)$`,
        ),
      );
      // OPA's own decision log: one catalog decision for the entity (owner
      // and system resolved), one workload decision for all manifests where
      // the template has them; the ids are the ones policy:check logged.
      const decisions = await opa.decisions();
      expect(decisions.map(d => d.path).sort()).toEqual([
        CATALOG_ENTRYPOINT,
        ...(golden.kubernetes ? [WORKLOAD_ENTRYPOINT] : []),
      ]);
      for (const decision of decisions) {
        expect(passed).toContain(decision.decisionId);
      }
      const catalogInput = decisions.find(d => d.path === CATALOG_ENTRYPOINT)!
        .input as any;
      expect({
        entity: stringifyEntityRef(catalogInput.entity),
        owner: stringifyEntityRef(catalogInput.owner),
        system: stringifyEntityRef(catalogInput.system),
      }).toEqual({
        entity: golden.entityRef,
        owner: golden.values.owner,
        system: golden.values.system,
      });
      // The workload decision saw every published manifest, and only those.
      const workloadInput = decisions.find(d => d.path === WORKLOAD_ENTRYPOINT)
        ?.input as { manifests: unknown[] } | undefined;
      const manifestDir = golden.kubernetes?.dir;
      const published = manifestDir
        ? readdirSync(join(clone, manifestDir)).flatMap(f =>
            yamlDocs(join(clone, manifestDir, f)),
          )
        : [];
      expect(workloadInput?.manifests ?? []).toEqual(
        expect.arrayContaining(published),
      );
      expect(workloadInput?.manifests ?? []).toHaveLength(published.length);
    });

    it('generates a catalog entry the catalog accepts, with owner, system, template and TechDocs annotations', async () => {
      const docs = yamlDocs(join(clone, 'catalog-info.yaml'));
      const result = await checkCatalogEntities(
        docs.map(object => ({ file: 'catalog-info.yaml', object })),
      );
      expect(result.findings).toEqual([]);
      const [entity] = result.entities;
      expect(stringifyEntityRef(entity)).toBe(golden.entityRef);
      const template = loadRepoEntities().find(
        e => e.kind === 'Template' && e.metadata.name === golden.template,
      )!;
      expect(entity.metadata.annotations).toMatchObject({
        ...(golden.kubernetes?.workload
          ? { 'backstage.io/kubernetes-id': repoName }
          : {}),
        'backstage.io/techdocs-ref': 'dir:.',
        'paved.dev/template': golden.template,
        'paved.dev/template-version':
          template.metadata.annotations!['paved.dev/template-version'],
      });
      expect(entity.spec).toMatchObject({
        owner: golden.values.owner,
        system: golden.values.system,
        ...(entity.kind === 'Component'
          ? { lifecycle: golden.values.lifecycle }
          : {}),
      });
      expect(
        (entity.spec as { dependsOn?: string[] }).dependsOn?.length,
      ).toBeGreaterThan(0);
      expect(
        readFileSync(join(clone, 'catalog-info.yaml'), 'utf8'),
      ).toMatchSnapshot();
    });

    const manifests = golden.kubernetes;
    if (manifests) {
      it('generates Kubernetes manifests that match the schemas', () => {
        const objects = readdirSync(join(clone, manifests.dir)).flatMap(f =>
          yamlDocs(join(clone, manifests.dir, f)).map(object => ({
            file: f,
            object,
          })),
        );
        expect(objects.length).toBeGreaterThan(0);
        expect(checkKubernetesObjects(objects).findings).toEqual([]);
      });
    }

    if (manifests?.workload)
      it('generates a hardened workload: probes, limits, non-root, pinned image, HPA and PDB', () => {
        const objects = readdirSync(join(clone, manifests.dir)).flatMap(f =>
          yamlDocs(join(clone, manifests.dir, f)).map(object => ({
            file: f,
            object,
          })),
        );
        const kinds = objects.map(o => (o.object as { kind: string }).kind);
        expect(kinds).toEqual(
          expect.arrayContaining([
            'Deployment',
            'Service',
            'HorizontalPodAutoscaler',
            'PodDisruptionBudget',
          ]),
        );
        const deployment = objects.find(
          o => (o.object as { kind: string }).kind === 'Deployment',
        )!.object as any;
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        for (const container of pod.containers) {
          expect(container.image).toMatch(/:[0-9][A-Za-z0-9._-]*$/);
          expect(container.resources.requests).toEqual(
            expect.objectContaining({
              cpu: expect.any(String),
              memory: expect.any(String),
            }),
          );
          expect(container.resources.limits).toEqual(
            expect.objectContaining({
              cpu: expect.any(String),
              memory: expect.any(String),
            }),
          );
          expect(container.readinessProbe).toBeDefined();
          expect(container.livenessProbe).toBeDefined();
        }
        expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
          repoName,
        );
      });

    it('renders the key files as in the snapshot', () => {
      for (const file of golden.keyFiles) {
        expect(readFileSync(join(clone, file), 'utf8')).toMatchSnapshot(file);
      }
    });

    it('generates TechDocs for techdocs-core and nothing the generator adds itself', () => {
      const mkdocs = yamlDocs(join(clone, 'mkdocs.yml'))[0];
      // techdocs-core brings search and the Markdown extensions; the
      // generator adds the material theme without web fonts
      // (techdocs.generator.mkdocs.disableExternalFonts).
      expect(mkdocs.plugins).toEqual(['techdocs-core']);
      expect(mkdocs.markdown_extensions).toBeUndefined();
      expect(mkdocs.theme).toBeUndefined();
      expect(readFileSync(join(clone, 'docs/index.md'), 'utf8')).toContain(
        `# ${repoName}`,
      );
    });

    it("builds its TechDocs site with Backstage's TechDocs generator and the portal's settings", async () => {
      // What the TechDocs backend runs: TechdocsGenerator with the portal's
      // techdocs.generator config (runIn: local, mkdocs from the
      // .toolchain/venv on PATH), on a copy (the generator edits mkdocs.yml).
      requireTool(tools.mkdocs);
      const input = dir.resolve(`docs-input-${repoName}`);
      const site = dir.resolve(`site-${repoName}`);
      cpSync(clone, input, {
        recursive: true,
        filter: src => !src.includes(`${clone}/.git`),
      });
      const generator = TechdocsGenerator.fromConfig(portalTechdocsConfig(), {
        logger: mockServices.logger.mock(),
      });
      const log: string[] = [];
      await generator.run({
        inputDir: input,
        outputDir: site,
        logger: techdocsLogger(log),
        siteOptions: { name: repoName },
      });
      const index = readFileSync(join(site, 'index.html'), 'utf8');
      expect(index).toContain(repoName);
      // No stylesheet the TechDocs reader would wait for in vain.
      expect(index).not.toContain('fonts.googleapis.com');
      // Written by techdocs-core only: the plugin ran.
      expect(
        JSON.parse(readFileSync(join(site, 'techdocs_metadata.json'), 'utf8')),
      ).toMatchObject({ site_name: repoName });
      expect(log.filter(line => /WARNING|ERROR/.test(line))).toEqual([]);
    });

    const check = golden.syntaxCheck;
    if (check && 'parse' in check) {
      it(`passes the ${check.tool} parser`, () => {
        const files = golden.files.filter(f => check.filePattern.test(f));
        expect(files.length).toBeGreaterThan(0);
        expect(
          files.flatMap(f =>
            check.parse(f, readFileSync(join(clone, f), 'utf8')),
          ),
        ).toEqual([]);
      });
    } else if (check) {
      it(`passes ${check.tool}'s syntax check`, () => {
        const tool = requireTool({ name: check.tool, hint: check.hint });
        const files = golden.files.filter(f => check.filePattern.test(f));
        expect(files.length).toBeGreaterThan(0);
        const result = spawnSync(tool, check.args(files), {
          cwd: clone,
          encoding: 'utf8',
        });
        expect(result.stderr).toBe('');
        // gofmt -l: the files that are not formatted.
        expect(check.stdoutMustBeEmpty ? result.stdout : '').toBe('');
        expect(result.status).toBe(0);
      });
    }
  });

  describe.each(goldenCases.filter(c => c.ownTests))(
    '$template ($values.name) project',
    golden => {
      it(
        "passes the generated project's own test suite with its real dependencies",
        async () => {
          const own = golden.ownTests!;
          const clone = dir.resolve(`clone-${golden.values.name}`);
          const scratch = dir.resolve(`scratch-${golden.values.name}`);
          mkdirSync(scratch, { recursive: true });
          const ctx: OwnTestsContext = {
            clone,
            scratch,
            tools: Object.fromEntries(
              own.tools.map(tool => [tool.name, requireTool(tool)]),
            ),
          };
          const runAll = async (
            commands: Parameters<typeof runCommand>[0][],
          ) => {
            let ms = 0;
            for (const command of commands) {
              ms += (await runOrThrow(command, clone, golden.template))
                .durationMs;
            }
            return ms;
          };
          const setupMs = await runAll(own.setup(ctx));
          const test = await runOrThrow(own.test(ctx), clone, golden.template);
          const checksMs = await runAll(own.checks?.(ctx) ?? []);
          const tests = own.count(test.output);
          ownTestsRows.push({
            goldenPath: `${golden.template} (${golden.values.name})`,
            command: ownTestsDisplay(own, ctx),
            setupSeconds: seconds(setupMs + checksMs),
            testSeconds: seconds(test.durationMs),
            tests: tests ?? 'no count',
          });
          expect(await (own.verify?.(ctx) ?? Promise.resolve([]))).toEqual([]);
          // A suite that ran nothing proves nothing.
          expect({ tests, output: tests ? '' : test.output }).toEqual({
            tests: expect.any(Number),
            output: '',
          });
          expect(tests).toBeGreaterThan(0);
        },
        20 * 60_000,
      );
    },
  );

  describe('template versions', () => {
    // templates/template-versions.json records, per template, the version
    // and a digest of its files. A changed template with an unchanged
    // version would hide drift, so that fails here.
    const lockFile = join(repoRoot, 'templates/template-versions.json');
    const lock: Record<string, { version: string; digest: string }> =
      JSON.parse(readFileSync(lockFile, 'utf8'));
    const templates = loadRepoEntities().filter(
      e =>
        e.kind === 'Template' &&
        e.metadata.annotations?.['paved.dev/template-version'],
    );

    it.each(templates.map(t => [t.metadata.name, t] as const))(
      '%s: a changed template has a new version',
      (name, template) => {
        const version =
          template.metadata.annotations!['paved.dev/template-version'];
        const digest = skeletonDigest(join(repoRoot, 'templates', name));
        expect(versionLockProblem(name, version, digest, lock[name])).toBe('');
      },
    );
  });

  describe('dry run (Template Editor)', () => {
    it('renders and validates without publishing', async () => {
      const golden = goldenCases[0];
      const values = { ...golden.values, name: 'dry-run-only' };
      const response = await harness.dryRun(
        join(repoRoot, 'templates', golden.template),
        values,
      );
      expect(response.status).toBe(200);
      const files = (
        response.body.directoryContents as Array<{ path: string }>
      ).map(f => f.path);
      expect(files).toEqual(expect.arrayContaining(golden.files));
      const log = JSON.stringify(response.body.log);
      expect(log).toContain('Valid: component:default/dry-run-only');
      expect(log).toContain(`Dry run: would publish`);
      expect(existsSync(join(baseDir, 'dry-run-only'))).toBe(false);
    });
  });

  describe('bad input', () => {
    const golden = goldenCases[0];

    it('rejects an invalid name before the task starts', async () => {
      const response = await harness.createTask(golden.template, {
        ...golden.values,
        name: '../escape',
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(
        /name.*pattern|does not match pattern/,
      );
      expect(existsSync(dir.resolve('escape'))).toBe(false);
    });

    it('rejects an unknown enum value', async () => {
      const response = await harness.createTask(golden.template, {
        ...golden.values,
        lifecycle: 'forever',
      });
      expect(response.status).toBe(400);
    });

    it('fails the task with a readable list when the owner is not in the catalog, publishing nothing', async () => {
      const run = await harness.runTask(golden.template, {
        ...golden.values,
        name: 'orphan-service',
        owner: 'group:default/nobody',
      });
      expect(run.status).toBe('failed');
      expect(run.log.join('\n')).toContain(
        'spec.owner refers to group:default/nobody, which is not in the catalog',
      );
      expect(existsSync(join(baseDir, 'orphan-service'))).toBe(false);
    });

    it('fails the task on a duplicate repository name and keeps the existing repository', async () => {
      const existing = join(baseDir, golden.values.name as string);
      const head = git(existing, 'rev-parse', 'HEAD');
      const run = await harness.runTask(golden.template, golden.values);
      expect(run.status).toBe('failed');
      expect(run.log.join('\n')).toContain(
        `Repository '${golden.values.name}' already exists`,
      );
      expect(git(existing, 'rev-parse', 'HEAD')).toBe(head);
      expect(readdirSync(baseDir).filter(f => f.startsWith('.'))).toEqual([]);
    });
  });
});

describe('golden-path template without a policy engine (onEngineUnavailable: warn, the local default)', () => {
  const dir = createMockDirectory();
  const baseDir = dir.resolve('repositories');
  let harness: Awaited<ReturnType<typeof startTemplateBackend>>;

  beforeAll(async () => {
    harness = await startTemplateBackend({
      baseDir,
      policy: { scaffolder: { onEngineUnavailable: 'warn' } },
    });
  });
  afterAll(() => harness?.stop());

  it('logs that the files were NOT checked, never a pass, and publishes', async () => {
    const golden = goldenCases[0];
    const name = 'unchecked-service';
    const run = await harness.runTask(golden.template, {
      ...golden.values,
      name,
    });
    expect(run.status).toBe('completed');
    const log = run.log.join('\n');
    expect(log).toContain(
      'Policy check NOT done: the generated files were NOT checked against Paved policies (no policy decision). ' +
        'The template continues unchecked because policy.scaffolder.onEngineUnavailable is warn. ' +
        'Reason: No policy engine configured.',
    );
    expect(log).not.toContain('Policy check passed');
    expect(existsSync(join(baseDir, name, 'catalog-info.yaml'))).toBe(true);
  });
});

describe('policy:check with a stricter, test-only rule (real OPA)', () => {
  const dir = createMockDirectory();
  const baseDir = dir.resolve('repositories');
  const golden = goldenCases.find(c => c.kubernetes?.workload)!;
  // The repository's policies plus a test-only rule in paved.workload:
  // images only from registry.paved.internal/, which no skeleton uses.
  const strictOpa = new LocalOpaServer({
    bundleDirs: [
      join(repoRoot, 'policies'),
      join(__dirname, '__fixtures__/registry-allowlist'),
    ],
    revision: 'template-ci-registry-allowlist',
  });
  let harness: Awaited<ReturnType<typeof startTemplateBackend>>;

  beforeAll(async () => {
    await strictOpa.start();
    harness = await startTemplateBackend({
      baseDir,
      policy: {
        opa: { baseUrl: strictOpa.url, retries: 0 },
        scaffolder: { onEngineUnavailable: 'fail' },
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await strictOpa.stop();
  });

  it('fails the task at the policy step on an error-level violation, with the rule id and message, publishing nothing', async () => {
    const name = 'policy-denied-service';
    const run = await harness.runTask(golden.template, {
      ...golden.values,
      name,
    });
    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('policy');
    const log = run.log.join('\n');
    expect(log).toContain(
      'policy:check found 1 violation at level error or above',
    );
    expect(log).toContain(
      '[error] registry-allowlist (paved.workload/violations) in kubernetes/deployment.yaml',
    );
    expect(log).toContain(
      `container app uses image registry.paved.local/${name}:0.1.0, not from registry.paved.internal/`,
    );
    expect(log).toContain(
      'Remediation: Push the image to registry.paved.internal/.',
    );
    expect(existsSync(join(baseDir, name))).toBe(false);
    expect(
      existsSync(baseDir)
        ? readdirSync(baseDir).filter(f => f.includes(name))
        : [],
    ).toEqual([]);
  });
});
