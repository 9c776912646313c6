import { posix } from 'path';
import { parseAllDocuments } from 'yaml';
import { SourceFiles } from './regoChecks';

type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: any;
  tests?: any[];
};

interface Located {
  path: string;
  object: KubeObject;
}

const TEMPLATE_API = 'templates.gatekeeper.sh/v1';
const CONSTRAINT_API = 'constraints.gatekeeper.sh/v1beta1';
const SUITE_API = 'test.gatekeeper.sh/v1alpha1';
/** Where the invalid-input samples (one malformed field each) live. */
const INVALID_SAMPLES = 'samples/invalid/';

/**
 * Structural problems of the YAML under deploy/, one readable line each, for
 * what `gator verify` does not check: ConstraintTemplates in the v1 API with
 * one Rego v1 `code` source holding a `violation` rule and fail-closed field
 * checks; Constraints in v1beta1 of a template's kind; every template and
 * Constraint used by a `gator verify` suite (which is where gator checks
 * names, kinds, parameters and files), each suite test with an allowed and
 * a disallowed case and each template with an invalid-input case; the
 * invalid-input samples labelled with their message; and every Deployment
 * outside the Gatekeeper folder checked by the suites.
 * @public
 */
export function gatekeeperProblems(files: SourceFiles): string[] {
  const problems: string[] = [];
  const objects: Located[] = [];
  for (const [path, source] of Object.entries(files)) {
    for (const document of parseAllDocuments(source)) {
      if (document.errors.length) {
        problems.push(`${path}: ${document.errors[0].message}`);
        continue;
      }
      const object = document.toJS();
      if (object && typeof object === 'object') objects.push({ path, object });
    }
  }

  const templates = objects.filter(o => o.object.kind === 'ConstraintTemplate');
  const templateKinds = new Map<string, Located>();
  for (const template of templates) {
    problems.push(...templateProblems(template));
    const kind = template.object.spec?.crd?.spec?.names?.kind;
    if (typeof kind === 'string') templateKinds.set(kind, template);
  }

  const constraints = objects.filter(o =>
    o.object.apiVersion?.startsWith('constraints.gatekeeper.sh/'),
  );
  for (const constraint of constraints) {
    problems.push(...constraintProblems(constraint, templateKinds));
  }

  const suites = objects.filter(o => o.object.kind === 'Suite');
  const used: SuiteUse = {
    caseObjects: new Set(),
    templates: new Set(),
    constraints: new Set(),
    invalidInputCases: new Map(),
  };
  for (const suite of suites) {
    problems.push(...suiteProblems(suite, used));
  }
  for (const template of templates) {
    if (!used.templates.has(template.path))
      problems.push(
        `${template.path}: no gator verify suite tests this template`,
      );
    else if (!used.invalidInputCases.get(template.path))
      problems.push(
        `${template.path}: no gator verify case with an ${INVALID_SAMPLES} object (fail closed: a malformed field is a violation)`,
      );
  }
  for (const constraint of constraints) {
    if (!used.constraints.has(constraint.path))
      problems.push(
        `${constraint.path}: no gator verify suite uses this Constraint, so gator never checks its kind and parameters`,
      );
  }
  for (const [path, source] of Object.entries(files)) {
    if (!path.includes(`/${INVALID_SAMPLES}`)) continue;
    if (!/^# invalid-input case: \S/m.test(source))
      problems.push(
        `${path}: no "# invalid-input case: <message>" line (policy-checks gator-verify checks OPA's message against it)`,
      );
    if (!used.caseObjects.has(path))
      problems.push(`${path}: no gator verify case uses this sample`);
  }

  for (const deployment of objects.filter(
    o => o.object.kind === 'Deployment' && !o.path.includes('/gatekeeper/'),
  )) {
    if (!used.caseObjects.has(deployment.path)) {
      problems.push(
        `${deployment.path}: this Deployment is not a case in any gator verify suite`,
      );
    }
  }
  return problems;
}

function templateProblems({ path, object }: Located): string[] {
  const problems: string[] = [];
  if (object.apiVersion !== TEMPLATE_API)
    problems.push(
      `${path}: apiVersion is ${object.apiVersion}, expected ${TEMPLATE_API}`,
    );
  // A name other than the lower-cased kind: gator verify rejects the template.
  if (typeof object.spec?.crd?.spec?.names?.kind !== 'string')
    problems.push(`${path}: no spec.crd.spec.names.kind`);
  const targets: any[] = object.spec?.targets ?? [];
  if (targets.length !== 1)
    problems.push(`${path}: expected one target, found ${targets.length}`);
  for (const target of targets) {
    if (target.rego !== undefined)
      problems.push(
        `${path}: targets[].rego is Rego v0; use code[].source with version "v1"`,
      );
    const rego = (target.code ?? []).filter((c: any) => c.engine === 'Rego');
    if (rego.length !== 1) {
      problems.push(
        `${path}: expected one code entry with engine Rego, found ${rego.length}`,
      );
      continue;
    }
    const source = rego[0].source ?? {};
    if (source.version !== 'v1')
      problems.push(
        `${path}: code source version is ${source.version}, expected "v1"`,
      );
    if (typeof source.rego !== 'string') {
      problems.push(`${path}: code source has no rego`);
      continue;
    }
    // A Rego syntax or type error: gator verify and `opa check --strict`
    // (policy-checks check) report it.
    if (!/^violation contains \{"msg": msg/m.test(source.rego)) {
      problems.push(
        `${path}: Rego has no \`violation contains {"msg": msg...} if\` rule`,
      );
    }
    if (
      !/^fields contains \[|^fields := \[/m.test(source.rego) ||
      !/^shape_problem\(/m.test(source.rego)
    )
      problems.push(
        `${path}: Rego has no fail-closed field checks (a \`fields\` table and shape_problem, as the other templates)`,
      );
    // Gatekeeper enables v1 through source.version; gator 3.19 rejects the import itself.
    if (/^import rego\.v1/m.test(source.rego))
      problems.push(
        `${path}: remove \`import rego.v1\`; version "v1" enables it`,
      );
  }
  return problems;
}

function constraintProblems(
  { path, object }: Located,
  templateKinds: Map<string, Located>,
): string[] {
  const problems: string[] = [];
  if (object.apiVersion !== CONSTRAINT_API)
    problems.push(
      `${path}: apiVersion is ${object.apiVersion}, expected ${CONSTRAINT_API}`,
    );
  // Undeclared parameters: gator verify rejects the Constraint (every one is
  // in a suite, see gatekeeperProblems).
  if (!templateKinds.has(object.kind ?? ''))
    problems.push(`${path}: kind ${object.kind} has no ConstraintTemplate`);
  return problems;
}

/** What the suites use, by path relative to the repository root. */
interface SuiteUse {
  caseObjects: Set<string>;
  templates: Set<string>;
  constraints: Set<string>;
  /** Template path: whether a case of its test is an invalid-input sample. */
  invalidInputCases: Map<string, boolean>;
}

// Missing files, objects of more than one document, cases without assertions
// and a Constraint of another kind than its template: gator verify fails on
// each, so they are not repeated here.
function suiteProblems({ path, object }: Located, used: SuiteUse): string[] {
  const problems: string[] = [];
  if (object.apiVersion !== SUITE_API)
    problems.push(
      `${path}: apiVersion is ${object.apiVersion}, expected ${SUITE_API}`,
    );
  const dir = posix.dirname(path);
  const resolve = (ref: unknown) =>
    typeof ref === 'string' ? posix.normalize(posix.join(dir, ref)) : '';

  for (const test of object.tests ?? []) {
    const template = resolve(test.template);
    used.templates.add(template);
    used.constraints.add(resolve(test.constraint));
    const cases: any[] = test.cases ?? [];
    const expectsViolations = cases.some(c =>
      (c.assertions ?? []).some(
        (a: any) => a.violations !== 'no' && a.violations !== 0,
      ),
    );
    const expectsNone = cases.some(c =>
      (c.assertions ?? []).every(
        (a: any) => a.violations === 'no' || a.violations === 0,
      ),
    );
    if (!expectsViolations || !expectsNone) {
      problems.push(
        `${path}: test ${test.name} needs an allowed and a disallowed case`,
      );
    }
    for (const testCase of cases) {
      const sample = resolve(testCase.object);
      used.caseObjects.add(sample);
      if (sample.includes(`/${INVALID_SAMPLES}`))
        used.invalidInputCases.set(template, true);
    }
  }
  return problems;
}
