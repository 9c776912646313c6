import { createMockDirectory } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { stringify as stringifyYaml } from 'yaml';
import { createValidateAction } from './validate';

const existing: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-commerce' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'commerce' },
    spec: { owner: 'team-commerce' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db' },
    spec: { type: 'database', owner: 'team-commerce' },
  },
];

const component = (
  extra: {
    owner?: string;
    annotations?: Record<string, string>;
    name?: string;
  } = {},
) =>
  stringifyYaml({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: extra.name ?? 'orders-api',
      annotations: extra.annotations ?? {
        'paved.dev/template': 'python-service',
        'paved.dev/template-version': '1.2.0',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: extra.owner ?? 'group:default/team-commerce',
      system: 'commerce',
      dependsOn: ['resource:default/orders-db'],
    },
  });

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders-api
spec:
  selector:
    matchLabels: { app: orders-api }
  template:
    metadata:
      labels: { app: orders-api }
    spec:
      containers:
        - name: app
          image: registry.example.com/orders-api:0.1.0
---
apiVersion: v1
kind: Service
metadata:
  name: orders-api
spec:
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: orders
`;

const templateInfo = {
  entityRef: 'template:default/python-service',
  entity: {
    metadata: {
      name: 'python-service',
      annotations: { 'paved.dev/template-version': '1.2.0' },
    },
  },
};

describe('paved:validate', () => {
  const workspace = createMockDirectory();
  const action = createValidateAction({
    catalog: catalogServiceMock({ entities: existing }),
  });
  const run = (
    input: Record<string, string> = { manifestsPath: 'kubernetes' },
  ) => {
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
      templateInfo,
    });
    return { ctx, done: action.handler(ctx) };
  };

  beforeEach(() => workspace.clear());

  it('accepts a valid entity and manifests, reporting what it checked', async () => {
    workspace.addContent({
      'catalog-info.yaml': component(),
      kubernetes: { 'app.yaml': deployment },
    });
    const { ctx, done } = run();
    await done;
    expect(ctx.output).toHaveBeenCalledWith('entityRefs', [
      'component:default/orders-api',
    ]);
    // Deployment and Service have schemas; the KafkaTopic custom resource has none.
    expect(ctx.output).toHaveBeenCalledWith('manifestsChecked', 2);
  });

  it('rejects an entity the catalog would not accept', async () => {
    workspace.addContent({
      'catalog-info.yaml': component({
        name: 'Orders API!',
        owner: 'group:default/nobody',
        annotations: { a: 'b' },
      }),
    });
    const { done } = run({});
    await expect(done).rejects.toThrow(/metadata\.name.*Orders API!/s);
  });

  it('reports refs to entities that are not in the catalog, and annotations of another template', async () => {
    workspace.addContent({
      'catalog-info.yaml': component({
        owner: 'group:default/nobody',
        annotations: {
          'paved.dev/template': 'python-service',
          'paved.dev/template-version': '1.1.0',
        },
      }),
    });
    const { done } = run({});
    const error: Error = await done.catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('Validation found 2 problem(s)');
    expect(error.message).toContain(
      'catalog-info.yaml (component:default/orders-api): spec.owner refers to group:default/nobody, which is not in the catalog',
    );
    expect(error.message).toContain(
      "annotation paved.dev/template-version is '1.1.0', expected '1.2.0'",
    );
  });

  it('rejects manifests that do not match the Kubernetes schema', async () => {
    workspace.addContent({
      'catalog-info.yaml': component(),
      kubernetes: {
        'app.yaml': deployment
          .replace('name: app', 'name: 42')
          .replace('targetPort: 8080', 'targetPort: [8080]'),
        'broken.yaml': 'kind: [',
      },
    });
    const { done } = run();
    const error: Error = await done.catch(e => e);
    expect(error.message).toContain(
      'kubernetes/app.yaml (Deployment/orders-api): /spec/template/spec/containers/0/name must be string',
    );
    expect(error.message).toContain(
      'kubernetes/app.yaml (Service/orders-api): /spec/ports/0/targetPort',
    );
    expect(error.message).toMatch(/kubernetes\/broken\.yaml: invalid YAML/);
  });

  it('reads nested manifest folders, names the line of a YAML error and ignores files that are not YAML', async () => {
    workspace.addContent({
      'catalog-info.yaml': component(),
      kubernetes: {
        base: { 'app.yaml': deployment },
        overlays: {
          prod: {
            'patch.yaml':
              'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  name: c\n',
          },
        },
        'README.md': 'not: [yaml',
      },
    });
    const { done } = run();
    const error: Error = await done.catch(e => e);
    expect(error.message).toContain('Validation found 1 problem(s)');
    expect(error.message).toContain(
      'kubernetes/overlays/prod/patch.yaml: invalid YAML at line 10, column 3 (document 2, from line 6): Map keys must be unique',
    );
  });

  it('reports a catalog-info.yaml document that is no entity at all', async () => {
    workspace.addContent({
      'catalog-info.yaml': `${component()}---\nkind: Component\nspec: {}\n`,
    });
    const { done } = run({});
    await expect(done).rejects.toThrow(
      "catalog-info.yaml (Component/?): <root> must have required property 'apiVersion'",
    );
  });

  it('fails when the files are missing', async () => {
    const { done } = run();
    const error: Error = await done.catch(e => e);
    expect(error.message).toContain('catalog-info.yaml: cannot be read');
    expect(error.message).toContain('kubernetes: directory does not exist');
  });

  it('refuses paths outside the workspace', async () => {
    const { done } = run({ catalogInfoPath: '../../etc/passwd' });
    await expect(done).rejects.toThrow(/outside/);
  });
});
