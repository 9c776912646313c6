import { exampleRegoPolicy as policy } from '@paved/plugin-policy-node/testUtils';
import { dataFilesBesideRego, regoProblems } from './regoChecks';

const tests = `package example_test

import rego.v1

import data.example

test_name_set_fails if {
	"name-set" in {v.id | some v in example.violations} with input as {}
}

test_name_set_passes if {
	not "name-set" in {v.id | some v in example.violations} with input as {"name": "a"}
}

test_invalid_input_fails if {
	"invalid-input" in {v.id | some v in example.violations} with input as []
}

test_invalid_input_passes if {
	not "invalid-input" in {v.id | some v in example.violations} with input as {}
}

test_batch if {
	example.batch == {} with input as {"items": {}}
}
`;

const valid = {
  'policies/example/example.rego': policy,
  'policies/example/example_test.rego': tests,
};

describe('regoProblems', () => {
  it('accepts an annotated module with passing and failing tests', () => {
    expect(regoProblems(valid)).toEqual([]);
  });

  it('reports a module without import rego.v1', () => {
    const files = {
      ...valid,
      'policies/example/example.rego': policy.replace('import rego.v1\n', ''),
    };
    expect(regoProblems(files)).toEqual([
      'policies/example/example.rego: no `import rego.v1`',
    ]);
  });

  it('reports a violations rule without METADATA', () => {
    const bare = policy.replace(
      /# METADATA\n# title: Name is set[\s\S]*?(?=violations contains)/,
      '',
    );
    const problems = regoProblems({
      ...valid,
      'policies/example/example.rego': bare,
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /example\.rego:\d+: violations rule without a METADATA block/,
      ),
    ]);
  });

  it('reports a missing or invalid level, and a missing id or remediation', () => {
    const broken = policy
      .replace('#   level: error\n', '#   level: fatal\n')
      .replace('#   id: name-set\n', '')
      .replace('#   remediation: Set name.\n', '');
    const problems = regoProblems({
      ...valid,
      'policies/example/example.rego': broken,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('custom.level is "fatal"'),
        expect.stringContaining('METADATA has no custom.id'),
        expect.stringContaining('METADATA has no custom.remediation'),
      ]),
    );
  });

  it('reports two rules with the same id', () => {
    const twice = policy.replace(
      /helper\(x\)/,
      `${policy.slice(
        policy.indexOf('# METADATA\n# title: Name'),
        policy.indexOf('# METADATA\n# title: Input is well-formed'),
      )}helper(x)`,
    );
    expect(
      regoProblems({ ...valid, 'policies/example/example.rego': twice }),
    ).toEqual([
      expect.stringMatching(
        /custom\.id name-set is also used at policies\/example\/example\.rego:22/,
      ),
    ]);
  });

  it('reports a module without a test file', () => {
    expect(regoProblems({ 'policies/example/example.rego': policy })).toEqual([
      'policies/example/example.rego: no tests: expected package example_test (for example in policies/example/example_test.rego)',
    ]);
  });

  it('reports a rule that is only tested failing', () => {
    const onlyFailing = tests.replace(/test_name_set_passes[\s\S]*?\n}\n/, '');
    expect(
      regoProblems({
        ...valid,
        'policies/example/example_test.rego': onlyFailing,
      }),
    ).toEqual([
      'policies/example/example_test.rego: no test asserting `not "name-set" in` (a passing case of name-set)',
    ]);
  });

  it("reads a package from all its files and its tests from all the test package's files", () => {
    const [rules, shapes] = policy.split(
      '# METADATA\n# title: Input is well-formed',
    );
    const [nameTests, inputTests] = tests.split('test_invalid_input_fails');
    expect(
      regoProblems({
        'policies/example/example.rego': rules,
        'policies/example/input.rego': `package example\n\nimport rego.v1\n\n# METADATA\n# title: Input is well-formed${shapes}`,
        'policies/example/example_test.rego': nameTests,
        'policies/example/input_test.rego': `package example_test\n\nimport rego.v1\n\nimport data.example\n\ntest_invalid_input_fails${inputTests}`,
      }),
    ).toEqual([]);
  });

  it('reports tests in a package that does not match', () => {
    const other = tests.replace('package example_test', 'package other_test');
    expect(
      regoProblems({
        ...valid,
        'policies/example/example_test.rego': other,
      }),
    ).toEqual([
      'policies/example/example.rego: no tests: expected package example_test (for example in policies/example/example_test.rego)',
    ]);
  });

  it('reports a package with violations but no invalid-input rule, and entry points without the annotation', () => {
    const open = policy
      .replace(/# METADATA\n# title: Input is well-formed[\s\S]*?\n}\n/, '')
      .replace(
        /# METADATA\n# scope: document\n# title: Batch[\s\S]*?# entrypoint: true\n/,
        '',
      )
      .replace(
        /# METADATA\n# scope: document\n# title: Violations[\s\S]*?# entrypoint: true\n/,
        '',
      );
    expect(
      regoProblems({ ...valid, 'policies/example/example.rego': open }),
    ).toEqual([
      'policies/example/example.rego: package example has no invalid-input rule: a missing, null or mistyped field must be a finding',
      'policies/example/example.rego: example.violations is not annotated `entrypoint: true`',
      'policies/example/example.rego: example.batch is not annotated `entrypoint: true`',
    ]);
  });

  it('reports a violations rule without an https docsUrl', () => {
    const noDocs = policy.replace(
      '#   docsUrl: https://example.com/docs#name\n',
      '#   docsUrl: example.com\n',
    );
    expect(
      regoProblems({ ...valid, 'policies/example/example.rego': noDocs }),
    ).toEqual([
      expect.stringMatching(
        /example\.rego:\d+: METADATA has no https custom\.docsUrl/,
      ),
    ]);
  });

  it('reports an entry point rule that no test queries', () => {
    const authz =
      'package system.authz\n\nimport rego.v1\n\ndefault allow := false\n';
    const authzTests =
      'package system.authz_test\n\nimport rego.v1\n\nimport data.system.authz\n\ntest_nothing if {\n\ttrue\n}\n';
    expect(
      regoProblems({
        'deploy/opa/authz.rego': authz,
        'deploy/opa/authz_test.rego': authzTests,
      }),
    ).toEqual(['deploy/opa/authz_test.rego: no test queries authz.allow']);
  });
});

describe('dataFilesBesideRego', () => {
  it('reports YAML or JSON in a folder (or below) holding Rego', () => {
    expect(
      dataFilesBesideRego(
        ['deploy/opa/authz.rego', 'policies/catalog/catalog.rego'],
        [
          'deploy/opa/deployment.yaml',
          'deploy/opa/x/data.json',
          'deploy/portal/deployment.yaml',
          'policies/README.md',
        ],
      ),
    ).toEqual([
      'deploy/opa/deployment.yaml: OPA would load this file as data with the Rego in its folder',
      'deploy/opa/x/data.json: OPA would load this file as data with the Rego in its folder',
    ]);
  });
});
