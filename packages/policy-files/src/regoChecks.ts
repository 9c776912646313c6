import {
  parseRegoModule,
  RegoModule,
  RegoRule,
} from '@paved/plugin-policy-node';

/** Rego sources by path relative to the repository root. @public */
export type SourceFiles = Record<string, string>;

const LEVELS = ['error', 'warning', 'info'];
/** Rules a caller queries; each must be exercised by the package's tests. */
const ENTRY_POINT_RULES = ['violations', 'batch', 'decision', 'allow', 'deny'];
/** The fail-closed rule every package with violations carries. */
const INVALID_INPUT_ID = 'invalid-input';

interface Located {
  path: string;
  module: RegoModule;
}

/**
 * Structural problems of Rego policies, one readable line each, for what
 * OPA and Regal do not check: `import rego.v1`; a complete METADATA block
 * (title, description, custom id, level, remediation, docsUrl) on every rule
 * producing violations; ids unique within a package; a fail-closed
 * `invalid-input` rule and `violations` and `batch` entry points annotated
 * `entrypoint: true` in every package with violations; and a `<package>_test`
 * package with a failing and a passing test per id and a test querying each
 * entry point. A package may span several files (rules, input shapes), and
 * so may its tests.
 * @public
 */
export function regoProblems(files: SourceFiles): string[] {
  const problems: string[] = [];
  const policies = new Map<string, Located[]>();
  const tests = new Map<string, Located[]>();
  for (const [path, source] of Object.entries(files)) {
    const module = parseRegoModule(source);
    problems.push(...module.metadataProblems.map(p => `${path}: ${p}`));
    // No package is a parse error that `opa check` reports.
    if (!module.packageName) continue;
    if (!module.imports.includes('rego.v1'))
      problems.push(`${path}: no \`import rego.v1\``);
    const byPackage = path.endsWith('_test.rego') ? tests : policies;
    const list = byPackage.get(module.packageName) ?? [];
    list.push({ path, module });
    byPackage.set(module.packageName, list);
  }
  for (const [packageName, modules] of policies) {
    problems.push(...metadataProblems(modules));
    problems.push(...failClosedProblems(packageName, modules));
    const testModules = tests.get(`${packageName}_test`) ?? [];
    if (!testModules.length) {
      const expected = modules[0].path.replace(/\.rego$/, '_test.rego');
      problems.push(
        `${modules[0].path}: no tests: expected package ${packageName}_test (for example in ${expected})`,
      );
      continue;
    }
    problems.push(...coverageProblems(packageName, modules, testModules));
  }
  return problems;
}

function violationRules(modules: Located[]) {
  return modules.flatMap(({ path, module }) =>
    module.rules
      .filter(r => r.name === 'violations')
      .map(rule => ({ path, rule })),
  );
}

function customOf(rule: RegoRule): Record<string, unknown> {
  return (rule.metadata?.custom ?? {}) as Record<string, unknown>;
}

function metadataProblems(modules: Located[]): string[] {
  const problems: string[] = [];
  const seenIds = new Map<string, string>();
  for (const { path, rule } of violationRules(modules)) {
    const where = `${path}:${rule.line}`;
    const metadata = rule.metadata;
    if (!metadata) {
      problems.push(`${where}: violations rule without a METADATA block`);
      continue;
    }
    for (const key of ['title', 'description']) {
      if (!nonEmptyString(metadata[key]))
        problems.push(`${where}: METADATA has no ${key}`);
    }
    const custom = customOf(rule);
    if (!LEVELS.includes(custom.level as string)) {
      problems.push(
        `${where}: METADATA custom.level is ${JSON.stringify(
          custom.level,
        )}, not one of ${LEVELS.join(', ')}`,
      );
    }
    if (!nonEmptyString(custom.remediation))
      problems.push(`${where}: METADATA has no custom.remediation`);
    if (!nonEmptyString(custom.docsUrl) || !/^https:\/\//.test(custom.docsUrl))
      problems.push(`${where}: METADATA has no https custom.docsUrl`);
    if (!nonEmptyString(custom.id)) {
      problems.push(`${where}: METADATA has no custom.id`);
    } else if (seenIds.has(custom.id)) {
      problems.push(
        `${where}: custom.id ${custom.id} is also used at ${seenIds.get(
          custom.id,
        )}`,
      );
    } else {
      seenIds.set(custom.id, where);
    }
  }
  return problems;
}

function isEntryPoint(rule: RegoRule): boolean {
  return (
    rule.metadata?.entrypoint === true ||
    rule.documentMetadata?.entrypoint === true
  );
}

/** Fail closed: invalid-input, and the single and batch entry points. */
function failClosedProblems(packageName: string, modules: Located[]): string[] {
  const violations = violationRules(modules);
  if (!violations.length) return [];
  const problems: string[] = [];
  const where = violations[0].path;
  if (!violations.some(({ rule }) => customOf(rule).id === INVALID_INPUT_ID)) {
    problems.push(
      `${where}: package ${packageName} has no ${INVALID_INPUT_ID} rule: a missing, null or mistyped field must be a finding`,
    );
  }
  const rules = modules.flatMap(m => m.module.rules);
  for (const name of ['violations', 'batch']) {
    const definitions = rules.filter(r => r.name === name);
    if (!definitions.length)
      problems.push(`${where}: package ${packageName} has no ${name} rule`);
    else if (!definitions.some(isEntryPoint))
      problems.push(
        `${where}: ${packageName}.${name} is not annotated \`entrypoint: true\``,
      );
  }
  return problems;
}

function coverageProblems(
  packageName: string,
  modules: Located[],
  testModules: Located[],
): string[] {
  const problems: string[] = [];
  const testPaths = testModules.map(t => t.path).join(', ');
  // Files of cases only (tables the tests iterate) need not import it.
  if (
    !testModules.some(({ module }) =>
      module.imports.includes(`data.${packageName}`),
    )
  ) {
    problems.push(`${testPaths}: none imports data.${packageName}`);
  }
  const alias = packageName.split('.').pop();
  const testTexts = testModules.flatMap(({ module }) =>
    module.rules.filter(r => r.name.startsWith('test_')).map(t => t.text),
  );
  if (testTexts.length === 0) problems.push(`${testPaths}: no test_ rules`);

  const rules = modules.flatMap(m => m.module.rules);
  const entryPoints = new Set(
    rules
      .filter(r => ENTRY_POINT_RULES.includes(r.name) || isEntryPoint(r))
      .map(r => r.name),
  );
  for (const name of entryPoints) {
    if (!testTexts.some(text => text.includes(`${alias}.${name}`))) {
      problems.push(`${testPaths}: no test queries ${alias}.${name}`);
    }
  }

  for (const { rule } of violationRules(modules)) {
    const id = customOf(rule).id;
    if (!nonEmptyString(id)) continue;
    const quoted = JSON.stringify(id);
    const passing = testTexts.filter(text => text.includes(`not ${quoted} in`));
    const failing = testTexts.filter(
      text => text.includes(quoted) && !text.includes(`not ${quoted} in`),
    );
    if (failing.length === 0)
      problems.push(`${testPaths}: no test where ${id} is found`);
    if (passing.length === 0)
      problems.push(
        `${testPaths}: no test asserting \`not ${quoted} in\` (a passing case of ${id})`,
      );
  }
  return problems;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * `opa test <folder>` and `opa build <folder>` load every .json and .yaml
 * under the folder as data, so Kubernetes manifests next to Rego would be
 * merged into `data` (and collide). One problem per such file.
 * @public
 */
export function dataFilesBesideRego(
  regoPaths: string[],
  otherPaths: string[],
): string[] {
  const folders = new Set(
    regoPaths.map(p => p.slice(0, p.lastIndexOf('/') + 1)),
  );
  return otherPaths
    .filter(p => /\.(json|ya?ml)$/.test(p))
    .filter(p => [...folders].some(folder => p.startsWith(folder)))
    .map(
      p => `${p}: OPA would load this file as data with the Rego in its folder`,
    );
}
