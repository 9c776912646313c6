import { parseRegoModule, RegoModule, RegoRule } from './rego';

/** Rego sources by path relative to the repository root. @public */
export type SourceFiles = Record<string, string>;

const LEVELS = ['error', 'warning', 'info'];
/** Rules a caller queries; each must be exercised by the module's tests. */
const ENTRY_POINT_RULES = ['violations', 'allow', 'deny'];

/**
 * Structural problems of Rego policies, one readable line each: Rego v1
 * imports, METADATA on every rule producing violations, and a `_test.rego`
 * next to every module with a passing and a failing test per rule.
 * @public
 */
export function regoProblems(files: SourceFiles): string[] {
  const problems: string[] = [];
  const modules = new Map<string, RegoModule>();
  for (const [path, source] of Object.entries(files)) {
    try {
      modules.set(path, parseRegoModule(source));
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  }
  for (const [path, module] of modules) {
    if (!module.packageName) problems.push(`${path}: no package`);
    if (!module.imports.includes('rego.v1'))
      problems.push(`${path}: no \`import rego.v1\``);
    if (path.endsWith('_test.rego')) {
      problems.push(...testModuleProblems(path, module));
      continue;
    }
    problems.push(...policyModuleProblems(path, module));
    const testPath = path.replace(/\.rego$/, '_test.rego');
    const tests = modules.get(testPath);
    if (!tests) {
      if (!(testPath in files)) problems.push(`${path}: no ${testPath}`);
      continue;
    }
    problems.push(...coverageProblems(module, testPath, tests));
  }
  return problems;
}

function policyModuleProblems(path: string, module: RegoModule): string[] {
  const problems: string[] = [];
  const seenIds = new Map<string, number>();
  for (const rule of module.rules.filter(r => r.name === 'violations')) {
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
    const custom = (metadata.custom ?? {}) as Record<string, unknown>;
    if (!LEVELS.includes(custom.level as string)) {
      problems.push(
        `${where}: METADATA custom.level is ${JSON.stringify(
          custom.level,
        )}, not one of ${LEVELS.join(', ')}`,
      );
    }
    if (!nonEmptyString(custom.remediation))
      problems.push(`${where}: METADATA has no custom.remediation`);
    if (!nonEmptyString(custom.id)) {
      problems.push(`${where}: METADATA has no custom.id`);
    } else if (seenIds.has(custom.id)) {
      problems.push(
        `${where}: custom.id ${custom.id} is also used on line ${seenIds.get(
          custom.id,
        )}`,
      );
    } else {
      seenIds.set(custom.id, rule.line);
    }
  }
  return problems;
}

function testModuleProblems(path: string, module: RegoModule): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const test of testRules(module)) {
    // A second test with the same name silently joins the first one.
    if (seen.has(test.name))
      problems.push(`${path}:${test.line}: test ${test.name} is defined twice`);
    seen.add(test.name);
  }
  return problems;
}

function coverageProblems(
  module: RegoModule,
  testPath: string,
  tests: RegoModule,
): string[] {
  const problems: string[] = [];
  const packageName = module.packageName ?? '';
  if (tests.packageName !== `${packageName}_test`) {
    problems.push(
      `${testPath}: package is ${tests.packageName}, expected ${packageName}_test`,
    );
  }
  if (!tests.imports.includes(`data.${packageName}`)) {
    problems.push(`${testPath}: does not import data.${packageName}`);
  }
  const alias = packageName.split('.').pop();
  const testTexts = testRules(tests).map(t => t.text);
  if (testTexts.length === 0) problems.push(`${testPath}: no test_ rules`);

  const ruleNames = new Set(module.rules.map(r => r.name));
  for (const name of ENTRY_POINT_RULES.filter(n => ruleNames.has(n))) {
    if (!testTexts.some(text => text.includes(`${alias}.${name}`))) {
      problems.push(`${testPath}: no test queries ${alias}.${name}`);
    }
  }

  for (const rule of module.rules.filter(r => r.name === 'violations')) {
    const id = (rule.metadata?.custom as Record<string, unknown> | undefined)
      ?.id;
    if (!nonEmptyString(id)) continue;
    const quoted = JSON.stringify(id);
    const passing = testTexts.filter(text => text.includes(`not ${quoted} in`));
    const failing = testTexts.filter(
      text => text.includes(quoted) && !text.includes(`not ${quoted} in`),
    );
    if (failing.length === 0)
      problems.push(`${testPath}: no test where ${id} is found`);
    if (passing.length === 0)
      problems.push(
        `${testPath}: no test asserting \`not ${quoted} in\` (a passing case of ${id})`,
      );
  }
  return problems;
}

function testRules(module: RegoModule): RegoRule[] {
  return module.rules.filter(r => r.name.startsWith('test_'));
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
