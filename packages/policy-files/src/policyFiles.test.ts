import { join } from 'path';
import { gatekeeperProblems } from './gatekeeperChecks';
import { dataFilesBesideRego, regoProblems } from './regoChecks';
import { readSourceFiles } from './repoFiles';

const REPO_ROOT = join(__dirname, '..', '..', '..');

// The repository's own policy files. scripts/policy-checks.mjs runs the real
// OPA, Regal and gator on them (opa check/fmt/test, regal lint, gator verify);
// these checks cover the structure those tools do not judge.
describe('policy files in this repository', () => {
  const rego = readSourceFiles(REPO_ROOT, ['policies', 'deploy'], ['.rego']);
  const yaml = readSourceFiles(REPO_ROOT, ['deploy'], ['.yaml', '.yml']);

  it('finds the shipped policies, their tests and the Gatekeeper suite', () => {
    expect(Object.keys(rego)).toEqual(
      expect.arrayContaining([
        'policies/catalog/catalog.rego',
        'policies/catalog/catalog_test.rego',
        'policies/catalog/input.rego',
        'policies/catalog/input_test.rego',
        'policies/workload/workload.rego',
        'policies/workload/workload_test.rego',
        'policies/workload/input.rego',
        'policies/workload/input_test.rego',
        'deploy/opa/authz/authz.rego',
        'deploy/opa/authz/authz_test.rego',
      ]),
    );
    expect(Object.keys(yaml)).toEqual(
      expect.arrayContaining([
        'deploy/gatekeeper/suite.yaml',
        'deploy/gatekeeper/suite-invalid-input.yaml',
      ]),
    );
  });

  it('has Rego v1 modules with annotated violation rules, each tested passing and failing', () => {
    expect(regoProblems(rego)).toEqual([]);
  });

  it('keeps Rego folders free of YAML and JSON, which opa test and opa build would load as data', () => {
    const data = readSourceFiles(
      REPO_ROOT,
      ['policies', 'deploy'],
      ['.yaml', '.yml', '.json'],
    );
    expect(dataFilesBesideRego(Object.keys(rego), Object.keys(data))).toEqual(
      [],
    );
  });

  it('has ConstraintTemplates, Constraints and gator suites that agree with each other', () => {
    expect(gatekeeperProblems(yaml)).toEqual([]);
  });

  it('ships a Gatekeeper template for each workload rule family', () => {
    const kinds = Object.entries(yaml)
      .filter(([path]) => path.startsWith('deploy/gatekeeper/templates/'))
      .map(([, source]) => /^\s+kind: (Paved\w+)$/m.exec(source)?.[1])
      .sort();
    expect(kinds).toEqual([
      'PavedContainerResources',
      'PavedImagePinned',
      'PavedProbes',
      'PavedProductionReplicas',
      'PavedRunAsNonRoot',
    ]);
  });
});
