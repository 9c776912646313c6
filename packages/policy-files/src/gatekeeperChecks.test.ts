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
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 5
`;

const valid = {
  'deploy/gatekeeper/templates/examplerule.yaml': template,
  'deploy/gatekeeper/constraints/example-rule.yaml': constraint,
  'deploy/gatekeeper/suite.yaml': suite,
  'deploy/gatekeeper/samples/small.yaml': deployment.replace(
    'replicas: 5',
    'replicas: 1',
  ),
  'deploy/app/deployment.yaml': deployment,
};

describe('gatekeeperProblems', () => {
  it('accepts a template, its constraint and a suite with allowed and disallowed cases', () => {
    expect(gatekeeperProblems(valid)).toEqual([]);
  });

  it('reports a constraint whose kind has no template', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/constraints/example-rule.yaml': constraint.replace(
        'kind: ExampleRule',
        'kind: OtherRule',
      ),
    };
    expect(gatekeeperProblems(files)).toEqual(
      expect.arrayContaining([
        'deploy/gatekeeper/constraints/example-rule.yaml: kind OtherRule has no ConstraintTemplate',
        'deploy/gatekeeper/suite.yaml: test example pairs a OtherRule with a template of kind ExampleRule',
      ]),
    );
  });

  it('reports a parameter the template does not declare', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/constraints/example-rule.yaml': constraint.replace(
        'limit: 3',
        'limit: 3\n    extra: true',
      ),
    };
    expect(gatekeeperProblems(files)).toEqual([
      'deploy/gatekeeper/constraints/example-rule.yaml: parameter extra is not in the schema of deploy/gatekeeper/templates/examplerule.yaml',
    ]);
  });

  it('reports suite references to files that do not exist', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/suite.yaml': suite.replace(
        'samples/small.yaml',
        'samples/missing.yaml',
      ),
    };
    expect(gatekeeperProblems(files)).toEqual([
      'deploy/gatekeeper/suite.yaml: object samples/missing.yaml does not exist',
    ]);
  });

  it('reports Rego v0 templates, a name that is not the lower-cased kind and an explicit rego.v1 import', () => {
    const v0 = template
      .replace('name: examplerule', 'name: example-rule')
      .replace(
        '              package examplerule\n',
        '              package examplerule\n\n              import rego.v1\n',
      )
      .replace('      code:\n', '      rego: "package old"\n      code:\n');
    const problems = gatekeeperProblems({
      ...valid,
      'deploy/gatekeeper/templates/examplerule.yaml': v0,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'metadata.name is example-rule, Gatekeeper requires examplerule',
        ),
        expect.stringContaining('targets[].rego is Rego v0'),
        expect.stringContaining('remove `import rego.v1`'),
      ]),
    );
  });

  it('reports a template without a violation rule', () => {
    const files = {
      ...valid,
      'deploy/gatekeeper/templates/examplerule.yaml': template.replace(
        'violation contains',
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
