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

/**
 * Structural problems of the YAML under deploy/, one readable line each:
 * ConstraintTemplates in the v1 API with Rego v1 sources, Constraints of an
 * existing template kind with declared parameters, `gator verify` suites
 * whose files exist and agree with each other, and every Deployment outside
 * the Gatekeeper folder checked by the suites.
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
  const caseObjects = new Set<string>();
  const testedTemplates = new Set<string>();
  for (const suite of suites) {
    problems.push(...suiteProblems(suite, files, caseObjects, testedTemplates));
  }
  for (const template of templates) {
    if (!testedTemplates.has(template.path))
      problems.push(
        `${template.path}: no gator verify suite tests this template`,
      );
  }

  for (const deployment of objects.filter(
    o => o.object.kind === 'Deployment' && !o.path.includes('/gatekeeper/'),
  )) {
    if (!caseObjects.has(deployment.path)) {
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
  const kind = object.spec?.crd?.spec?.names?.kind;
  if (typeof kind !== 'string') {
    problems.push(`${path}: no spec.crd.spec.names.kind`);
  } else if (object.metadata?.name !== kind.toLowerCase()) {
    // Gatekeeper rejects a template whose name is not its kind in lower case.
    problems.push(
      `${path}: metadata.name is ${
        object.metadata?.name
      }, Gatekeeper requires ${kind.toLowerCase()}`,
    );
  }
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
    if (!/^package \w+$/m.test(source.rego))
      problems.push(`${path}: Rego has no package`);
    if (!/^violation contains \{"msg": msg/m.test(source.rego)) {
      problems.push(
        `${path}: Rego has no \`violation contains {"msg": msg...} if\` rule`,
      );
    }
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
  const template = templateKinds.get(object.kind ?? '');
  if (!template)
    return [
      ...problems,
      `${path}: kind ${object.kind} has no ConstraintTemplate`,
    ];
  const declared = Object.keys(
    template.object.spec?.crd?.spec?.validation?.openAPIV3Schema?.properties ??
      {},
  );
  for (const parameter of Object.keys(object.spec?.parameters ?? {})) {
    if (!declared.includes(parameter)) {
      problems.push(
        `${path}: parameter ${parameter} is not in the schema of ${template.path}`,
      );
    }
  }
  return problems;
}

function suiteProblems(
  { path, object }: Located,
  files: SourceFiles,
  caseObjects: Set<string>,
  testedTemplates: Set<string>,
): string[] {
  const problems: string[] = [];
  if (object.apiVersion !== SUITE_API)
    problems.push(
      `${path}: apiVersion is ${object.apiVersion}, expected ${SUITE_API}`,
    );
  const dir = posix.dirname(path);
  const load = (ref: string, what: string): KubeObject | undefined => {
    const target = posix.normalize(posix.join(dir, ref));
    if (!(target in files)) {
      problems.push(`${path}: ${what} ${ref} does not exist`);
      return undefined;
    }
    const documents = parseAllDocuments(files[target]);
    if (documents.length !== 1) {
      problems.push(
        `${path}: ${what} ${ref} holds ${documents.length} documents; gator reads one`,
      );
    }
    return documents[0]?.toJS();
  };

  for (const test of object.tests ?? []) {
    const template = load(test.template, 'template');
    const constraint = load(test.constraint, 'constraint');
    if (template)
      testedTemplates.add(posix.normalize(posix.join(dir, test.template)));
    const templateKind = template?.spec?.crd?.spec?.names?.kind;
    if (template && template.kind !== 'ConstraintTemplate')
      problems.push(`${path}: ${test.template} is not a ConstraintTemplate`);
    if (constraint && constraint.kind !== templateKind) {
      problems.push(
        `${path}: test ${test.name} pairs a ${constraint.kind} with a template of kind ${templateKind}`,
      );
    }
    const cases: any[] = test.cases ?? [];
    if (cases.length === 0)
      problems.push(`${path}: test ${test.name} has no cases`);
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
      if (!testCase.assertions?.length)
        problems.push(
          `${path}: case ${test.name}/${testCase.name} has no assertions`,
        );
      const sample = load(testCase.object, 'object');
      if (sample && !sample.kind)
        problems.push(`${path}: object ${testCase.object} has no kind`);
      caseObjects.add(posix.normalize(posix.join(dir, testCase.object)));
    }
  }
  return problems;
}
