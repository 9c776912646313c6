import request from 'supertest';
import { JsonObject } from '@backstage/types';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import { scaffolderModulePolicy } from './module';

const CATALOG = 'paved/catalog/violations';
const WORKLOAD = 'paved/workload/violations';

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'policy-check-dry-run' },
  spec: {
    type: 'service',
    steps: [
      { id: 'fetch', action: 'fetch:plain', input: { url: './skeleton' } },
      { id: 'policy', name: 'Check Paved policies', action: 'policy:check' },
    ],
    output: { text: [{ title: 'Decisions', content: '${{ steps.policy.output.decisionIds | length }}' }] },
  },
};

const file = (path: string, content: string) => ({ path, base64Content: Buffer.from(content).toString('base64') });

const skeleton = (image: string) => [
  file('template.yaml', 'placeholder: the dry run writes the template folder here\n'),
  file(
    'skeleton/catalog-info.yaml',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  type: service\n  owner: team-commerce\n',
  ),
  file(
    'skeleton/k8s/deployment.yaml',
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`,
  ),
];

/** The real scaffolder backend with this module, running a template in dry-run mode over HTTP. */
async function scaffolder(config: JsonObject) {
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePolicy,
      catalogServiceMock.factory({
        entities: [
          { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-commerce' }, spec: { type: 'team' } },
        ],
      }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return (directoryContents: ReturnType<typeof file>[]) =>
    request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', mockCredentials.user.header('user:default/carol'))
      .send({ template, values: {}, directoryContents });
}

describe('policy:check inside the scaffolder (dry run)', () => {
  const opa = new SimulatedOpaServer();
  const inputs: any[] = [];

  beforeAll(() => opa.start());
  afterAll(() => opa.stop());
  beforeEach(() => {
    inputs.length = 0;
    opa.setDecision(CATALOG, input => {
      inputs.push(input);
      return [];
    });
    opa.setDecision(WORKLOAD, (input: any) =>
      input.manifests.some((m: any) => m.spec.template.spec.containers.some((c: any) => c.image.endsWith(':latest')))
        ? [{ id: 'image-pinned', level: 'error', message: 'image uses :latest', remediation: 'Pin the image.', resource: 'Deployment/orders' }]
        : [],
    );
  });

  it('runs after fetch:plain, resolves the owner through the catalog and passes compliant files', async () => {
    const dryRun = await scaffolder({ policy: { opa: { baseUrl: opa.url, retries: 0 } } });
    const res = await dryRun(skeleton('registry/orders:1.0.0'));
    expect(res.status).toBe(200);
    expect(res.body.output.text[0].content).toBe(2);
    expect(inputs[0].owner).toMatchObject({ kind: 'Group', metadata: { name: 'team-commerce' } });
    const messages = res.body.log.map((l: { body: { message: string } }) => l.body.message).join('\n');
    expect(messages).toContain('Policy check passed: 0 errors, 0 warnings, 0 info');
  });

  it('stops the template on an error-level violation, with the list', async () => {
    const dryRun = await scaffolder({ policy: { opa: { baseUrl: opa.url, retries: 0 } } });
    const res = await dryRun(skeleton('registry/orders:latest'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      '1. [error] image-pinned (paved.workload/violations) in k8s/deployment.yaml, Deployment orders: image uses :latest',
    );
  });

  it('stops the template when no policy engine is configured', async () => {
    const dryRun = await scaffolder({});
    const res = await dryRun(skeleton('registry/orders:1.0.0'));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('No policy engine configured');
  });
});
