import request from 'supertest';
import { JsonObject } from '@backstage/types';
import { stringify as stringifyYaml } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LocalOpaServer } from '@paved/plugin-policy-node/testUtils';
import { scaffolderModulePolicy } from './module';

// Real OPA: the `opa` binary (PAVED_OPA_BIN; ./platform test builds it).

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
    output: {
      text: [
        {
          title: 'Decisions',
          content: '${{ steps.policy.output.decisionIds | length }}',
        },
      ],
    },
  },
};

const file = (path: string, content: string) => ({
  path,
  base64Content: Buffer.from(content).toString('base64'),
});

// Files the shipped rules pass, but for the image.
const skeleton = (image: string) => [
  file(
    'template.yaml',
    'placeholder: the dry run writes the template folder here\n',
  ),
  file(
    'skeleton/catalog-info.yaml',
    stringifyYaml({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders',
        description: 'Orders service',
        annotations: { 'backstage.io/kubernetes-id': 'orders' },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'team-commerce',
        system: 'shop',
      },
    }),
  ),
  file(
    'skeleton/k8s/deployment.yaml',
    stringifyYaml({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'orders' },
      spec: {
        replicas: 2,
        template: {
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001 },
            containers: [
              {
                name: 'app',
                image,
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { memory: '256Mi' },
                },
                livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
                readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              },
            ],
          },
        },
      },
    }),
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
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'team-commerce' },
            spec: { type: 'team' },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'System',
            metadata: { name: 'shop' },
            spec: { owner: 'team-commerce' },
          },
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

describe('policy:check inside the scaffolder (dry run), against a real OPA serving policies/', () => {
  const opa = new LocalOpaServer();

  beforeAll(() => opa.start());
  afterAll(() => opa.stop());
  beforeEach(() => opa.resetDecisions());

  it('runs after fetch:plain, resolves owner and system through the catalog and passes compliant files', async () => {
    const dryRun = await scaffolder({
      policy: { opa: { baseUrl: opa.url, retries: 0 } },
    });
    const res = await dryRun(skeleton('registry/orders:1.0.0'));
    expect(res.status).toBe(200);
    expect(res.body.output.text[0].content).toBe(2);
    const [catalogInput] = (await opa.decisions(CATALOG)).map(
      d => d.input as any,
    );
    expect(catalogInput.owner).toMatchObject({
      kind: 'Group',
      metadata: { name: 'team-commerce' },
    });
    expect(catalogInput.system).toMatchObject({
      kind: 'System',
      metadata: { name: 'shop' },
    });
    expect(await opa.decisions(WORKLOAD)).toHaveLength(1);
    const messages = res.body.log
      .map((l: { body: { message: string } }) => l.body.message)
      .join('\n');
    expect(messages).toContain(
      'Policy check passed: 0 errors, 0 warnings, 0 info',
    );
  });

  it('stops the template on an error-level violation, with the list', async () => {
    const dryRun = await scaffolder({
      policy: { opa: { baseUrl: opa.url, retries: 0 } },
    });
    const res = await dryRun(skeleton('registry/orders:latest'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      '1. [error] image-pinned (paved.workload/violations) in k8s/deployment.yaml, Deployment orders: ' +
        'container app uses image registry/orders:latest, which is untagged or tagged latest\n' +
        '   Remediation: Use an immutable tag such as the release version or commit SHA, or pin the digest (image@sha256:...).\n' +
        '   Docs: https://kubernetes.io/docs/concepts/containers/images/#image-names',
    );
  });

  it('stops the template when no policy engine is configured', async () => {
    const dryRun = await scaffolder({});
    const res = await dryRun(skeleton('registry/orders:1.0.0'));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('No policy engine configured');
    expect(await opa.decisions()).toEqual([]);
  });
});
