import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { stringify as stringifyYaml } from 'yaml';
import { createValidateAction } from './validate';
import { checkpointStore } from './__testUtils__/publishFixtures';

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

  describe('names already taken in the catalog', () => {
    it('refuses a name another entity of any kind has in the namespace, naming it and its owner', async () => {
      // The Resource orders-db exists; the new Component would shadow its name.
      workspace.addContent({
        'catalog-info.yaml': component({ name: 'orders-db' }),
      });
      const { ctx, done } = run({});
      const error: Error = await done.catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(
        "catalog-info.yaml (Component/orders-db): the name 'orders-db' is taken in namespace 'default' by resource:default/orders-db, owned by team-commerce; choose another name",
      );
      expect(ctx.output).not.toHaveBeenCalled();
    });

    it('accepts the same name in another namespace', async () => {
      workspace.addContent({
        'catalog-info.yaml': component({ name: 'orders-db' })
          .replace('name: orders-db', 'name: orders-db\n  namespace: payments')
          // Refs without a namespace would now point into payments.
          .replace('system: commerce', 'system: default/commerce'),
      });
      const { ctx, done } = run({});
      await done;
      expect(ctx.output).toHaveBeenCalledWith('entityRefs', [
        'component:payments/orders-db',
      ]);
    });

    it('refuses a name taken by an entity the user cannot read, without naming it', async () => {
      const hidden: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'secret-service', namespace: 'default' },
        spec: {
          type: 'service',
          owner: 'team-secret',
          lifecycle: 'production',
        },
      };
      const everything = catalogServiceMock({
        entities: [...existing, hidden],
      });
      const readable = catalogServiceMock({ entities: existing });
      // The catalog as a user sees it (without secret-service) and as the plugin does.
      const asThePlugin = everything.getEntities.bind(everything);
      const auth = mockServices.auth();
      jest
        .spyOn(everything, 'getEntities')
        .mockImplementation((request, options) =>
          options &&
          'credentials' in options &&
          auth.isPrincipal(options.credentials, 'service')
            ? asThePlugin(request, options)
            : readable.getEntities(request, options),
        );
      const guarded = createValidateAction({
        catalog: everything,
        auth,
      });
      workspace.addContent({
        'catalog-info.yaml': component({ name: 'secret-service' }),
      });
      const ctx = createMockActionContext({
        input: {},
        workspacePath: workspace.path,
        templateInfo,
      });
      ctx.getInitiatorCredentials = async () =>
        mockCredentials.user('user:default/alice');
      const error: Error = await guarded.handler(ctx).catch(e => e);
      expect(error.message).toContain(
        "the name 'secret-service' is taken in namespace 'default' by an entity you cannot see; choose another name",
      );
      expect(error.message).not.toContain('team-secret');
    });

    it('gives a retried task its first verdict back (the entity it registered is not a collision)', async () => {
      const registered: Entity[] = [...existing];
      const catalog = catalogServiceMock({ entities: registered });
      const store = checkpointStore();
      const attempt = async () => {
        const ctx = createMockActionContext({
          input: {},
          workspacePath: workspace.path,
          templateInfo,
        });
        ctx.checkpoint = store.checkpoint as typeof ctx.checkpoint;
        await createValidateAction({ catalog }).handler(ctx);
        return ctx.output;
      };
      workspace.addContent({ 'catalog-info.yaml': component() });
      const first = await attempt();
      expect(first).toHaveBeenCalledWith('entityRefs', [
        'component:default/orders-api',
      ]);
      // The first attempt went on to publish and register orders-api.
      const afterPublish = catalogServiceMock({
        entities: [
          ...existing,
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders-api', namespace: 'default' },
            spec: { type: 'service', owner: 'team-commerce' },
          },
        ],
      });
      const retried = createMockActionContext({
        input: {},
        workspacePath: workspace.path,
        templateInfo,
      });
      retried.checkpoint = store.checkpoint as typeof retried.checkpoint;
      await createValidateAction({ catalog: afterPublish }).handler(retried);
      expect(retried.output).toHaveBeenCalledWith('entityRefs', [
        'component:default/orders-api',
      ]);
      // Without the checkpoint the same check refuses the name.
      const fresh = createMockActionContext({
        input: {},
        workspacePath: workspace.path,
        templateInfo,
      });
      await expect(
        createValidateAction({ catalog: afterPublish }).handler(fresh),
      ).rejects.toThrow(/the name 'orders-api' is taken/);
    });
  });
});
