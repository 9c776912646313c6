import { parseRegoModule } from './rego';
import { dataFilesBesideRego, regoProblems } from './regoChecks';

const policy = `# METADATA
# title: Example rules
# description: For the checks' own tests.
package example

import rego.v1

# METADATA
# title: Name is set
# description: Every object has a name.
# custom:
#   id: name-set
#   level: error
#   remediation: Set name.
#   docsUrl: https://example.com/docs#name
violations contains v if {
	not input.name
	v := {"id": "name-set", "level": "error", "message": "no name"}
}

helper(x) := y if {
	y := x
} else := ""
`;

const tests = `package example_test

import rego.v1

import data.example

test_name_set_fails if {
	"name-set" in {v.id | some v in example.violations} with input as {}
}

test_name_set_passes if {
	not "name-set" in {v.id | some v in example.violations} with input as {"name": "a"}
}
`;

const valid = {
  'policies/example/example.rego': policy,
  'policies/example/example_test.rego': tests,
};

describe('parseRegoModule', () => {
  it('reads the package, imports, rules and the METADATA above them', () => {
    const module = parseRegoModule(policy);
    expect(module.packageName).toBe('example');
    expect(module.packageMetadata).toEqual({
      title: 'Example rules',
      description: "For the checks' own tests.",
    });
    expect(module.imports).toEqual(['rego.v1']);
    expect(module.rules.map(r => [r.name, r.line])).toEqual([
      ['violations', 16],
      ['helper', 21],
    ]);
    expect(module.rules[0].metadata).toEqual({
      title: 'Name is set',
      description: 'Every object has a name.',
      custom: {
        id: 'name-set',
        level: 'error',
        remediation: 'Set name.',
        docsUrl: 'https://example.com/docs#name',
      },
    });
    expect(module.rules[1].metadata).toBeUndefined();
    expect(module.rules[1].text).toContain('} else := ""');
  });

  it('does not attach a METADATA block separated from the rule by a blank line', () => {
    const module = parseRegoModule(
      'package p\n\n# METADATA\n# title: t\n\nallow := true\n',
    );
    expect(module.rules[0]).toMatchObject({
      name: 'allow',
      metadata: undefined,
    });
  });

  it('names default rules after the rule, not the keyword', () => {
    expect(
      parseRegoModule('package p\n\ndefault allow := false\n').rules[0].name,
    ).toBe('allow');
  });
});

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
        policy.indexOf('helper'),
      )}helper(x)`,
    );
    expect(
      regoProblems({ ...valid, 'policies/example/example.rego': twice }),
    ).toEqual([
      expect.stringMatching(/custom\.id name-set is also used on line 16/),
    ]);
  });

  it('reports a module without a test file', () => {
    expect(regoProblems({ 'policies/example/example.rego': policy })).toEqual([
      'policies/example/example.rego: no policies/example/example_test.rego',
    ]);
  });

  it('reports a rule that is only tested failing', () => {
    const onlyFailing = tests.replace(/test_name_set_passes[\s\S]*$/, '');
    expect(
      regoProblems({
        ...valid,
        'policies/example/example_test.rego': onlyFailing,
      }),
    ).toEqual([
      'policies/example/example_test.rego: no test asserting `not "name-set" in` (a passing case of name-set)',
    ]);
  });

  it('reports a test defined twice and a test package that does not match', () => {
    const duplicated = tests
      .replace('test_name_set_passes', 'test_name_set_fails')
      .replace('package example_test', 'package other_test');
    expect(
      regoProblems({
        ...valid,
        'policies/example/example_test.rego': duplicated,
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('test test_name_set_fails is defined twice'),
        'policies/example/example_test.rego: package is other_test, expected example_test',
      ]),
    );
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
