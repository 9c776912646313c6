import { stringify } from 'yaml';
import { gatekeeperProblems } from './gatekeeperChecks';

const template = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: examplerule
spec:
  crd:
    spec:
      names:
        kind: ExampleRule
      validation:
        openAPIV3Schema:
          type: object
          properties:
            limit:
              type: integer
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: "v1"
            rego: |
              package examplerule

              violation contains {"msg": msg} if {
                input.review.object.spec.replicas > input.parameters.limit
                msg := "too many"
              }

              fields := [[["spec", "replicas"], ["number"], false]]

              violation contains {"msg": msg} if {
                some [path, types, required] in fields
                msg := shape_problem(input.review.object, path, types, required)
              }

              shape_problem(doc, path, types, _) := "is not a number" if {
                not type_name(object.get(doc, path, 0)) in types
              }
`;

const constraint = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: ExampleRule
metadata:
  name: example-rule
spec:
  parameters:
    limit: 3
`;

const suite = `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
  - name: example
    template: templates/examplerule.yaml
    constraint: constraints/example-rule.yaml
    cases:
      - name: allowed
        object: samples/small.yaml
        assertions:
          - violations: no
      - name: disallowed
        object: ../app/deployment.yaml
        assertions:
          - violations: 1
      - name: replicas-string
        object: samples/invalid/replicas-string.yaml
        assertions:
          - message: is not a number
            violations: 1
`;

const deploymentWith = (replicas: unknown) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app' },
    spec: { replicas },
  });
const deployment = deploymentWith(5);

const valid = {
  'deploy/gatekeeper/templates/examplerule.yaml': template,
  'deploy/gatekeeper/constraints/example-rule.yaml': constraint,
  'deploy/gatekeeper/suite.yaml': suite,
  'deploy/gatekeeper/samples/small.yaml': deploymentWith(1),
  'deploy/app/deployment.yaml': deployment,
  'deploy/gatekeeper/samples/invalid/replicas-string.yaml': `# invalid-input case: spec.replicas is a string, expected a number
${deploymentWith('5')}`,
};

describe('gatekeeperProblems', () => {
  it('accepts a template, its constraint and a suite with allowed and disallowed cases', () => {
    expect(gatekeeperProblems(valid)).toEqual([]);
  });

  it('reports a constraint whose kind has no template', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/constraints/other-rule.yaml': constraint
        .replace('kind: ExampleRule', 'kind: OtherRule')
        .replace('name: example-rule', 'name: other-rule'),
    };
    expect(gatekeeperProblems(files)).toEqual([
      'deploy/gatekeeper/constraints/other-rule.yaml: kind OtherRule has no ConstraintTemplate',
      'deploy/gatekeeper/constraints/other-rule.yaml: no gator verify suite uses this Constraint, so gator never checks its kind and parameters',
    ]);
  });

  it('reports Rego v0 templates and an explicit rego.v1 import', () => {
    const v0 = template
      .replace(
        '              package examplerule\n',
        '              package examplerule\n\n              import rego.v1\n',
      )
      .replace('      code:\n', '      rego: "package old"\n      code:\n');
    const problems = gatekeeperProblems({
      ...valid,
      'deploy/gatekeeper/templates/examplerule.yaml': v0,
    });
    expect(problems).toEqual([
      expect.stringContaining('targets[].rego is Rego v0'),
      expect.stringContaining('remove `import rego.v1`'),
    ]);
  });

  it('reports a template without fail-closed field checks, or without an invalid-input case', () => {
    const open = template.replace(/\n\s+fields := [\s\S]*$/, '\n');
    const suiteWithoutInvalid = suite.replace(
      / {6}- name: replicas-string[\s\S]*$/,
      '',
    );
    expect(
      gatekeeperProblems({
        ...valid,
        'deploy/gatekeeper/templates/examplerule.yaml': open,
        'deploy/gatekeeper/suite.yaml': suiteWithoutInvalid,
      }),
    ).toEqual([
      expect.stringContaining('Rego has no fail-closed field checks'),
      'deploy/gatekeeper/templates/examplerule.yaml: no gator verify case with an samples/invalid/ object (fail closed: a malformed field is a violation)',
      'deploy/gatekeeper/samples/invalid/replicas-string.yaml: no gator verify case uses this sample',
    ]);
  });

  it('reports an invalid-input sample without its message', () => {
    expect(
      gatekeeperProblems({
        ...valid,
        'deploy/gatekeeper/samples/invalid/replicas-string.yaml': deployment,
      }),
    ).toEqual([
      'deploy/gatekeeper/samples/invalid/replicas-string.yaml: no "# invalid-input case: <message>" line (policy-checks gator-verify checks OPA\'s message against it)',
    ]);
  });

  it('reports a template without a violation rule', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/templates/examplerule.yaml': template.replace(
        /violation contains/g,
        'deny contains',
      ),
    };
    expect(gatekeeperProblems(files)).toEqual([
      expect.stringContaining(
        'Rego has no `violation contains {"msg": msg...} if` rule',
      ),
    ]);
  });

  it('reports a test without an allowed case', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/suite.yaml': suite.replace(
        'violations: no',
        'violations: yes',
      ),
    };
    expect(gatekeeperProblems(files)).toEqual([
      'deploy/gatekeeper/suite.yaml: test example needs an allowed and a disallowed case',
    ]);
  });

  it('reports a Deployment that no suite checks', () => {
    const files = { ...valid, 'deploy/other/deployment.yaml': deployment };
    expect(gatekeeperProblems(files)).toEqual([
      'deploy/other/deployment.yaml: this Deployment is not a case in any gator verify suite',
    ]);
  });

  it('reports a template that no suite tests', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/templates/second.yaml': template
        .replace(/examplerule/g, 'secondrule')
        .replace('ExampleRule', 'SecondRule'),
    };
    expect(gatekeeperProblems(files)).toEqual([
      'deploy/gatekeeper/templates/second.yaml: no gator verify suite tests this template',
    ]);
  });
});
