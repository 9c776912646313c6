import { Entity } from '@backstage/catalog-model';
import {
  KubernetesSimulator,
  deploymentObject,
  workloadObjects,
} from '@paved/kubernetes-simulator';
import { LocalOpaServer } from '@paved/plugin-policy-node/testUtils';
import { decidedManifests } from './__testUtils__/decisionLog';
import request from 'supertest';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';
import { waitFor, scaledMs } from '@paved/test-timing';

const OPA_TOKEN = 'opa-token';
const CLUSTER_TOKEN = 'cluster-token';
const WORKLOAD = 'paved/workload/violations';

const WORKLOAD_PATHS = [WORKLOAD, 'paved/workload/batch'];

// Catalog-clean, so the entity's errors are the workload's.
const catalog: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop', namespace: 'default', description: 'The shop' },
    spec: { owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      namespace: 'default',
      description: 'Takes orders',
      annotations: {
        'backstage.io/kubernetes-id': 'orders',
        'backstage.io/techdocs-ref': 'dir:.',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      system: 'shop',
    },
  },
];

// Real OPA with policies/ decides; the cluster is the Kubernetes simulator.
describe('workload policy (real OPA) over the live manifests of a SIMULATED cluster', () => {
  const opa = new LocalOpaServer({ token: OPA_TOKEN, revision: 'rev-1' });
  const cluster = new KubernetesSimulator({
    name: 'sim-a',
    token: CLUSTER_TOKEN,
    bookmarkIntervalMs: 500,
  });
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  beforeAll(async () => {
    await opa.start();
    await cluster.start({ port: 0, host: '127.0.0.1' });
    cluster.apply(
      workloadObjects({
        name: 'orders',
        namespace: 'shop',
        replicas: 2,
        image: 'registry.example/orders:latest',
      }),
    );
    env = await startPolicyBackend({
      opa: { baseUrl: opa.url, token: OPA_TOKEN, timeoutMs: scaledMs(10_000) },
      entities: { current: catalog },
      kubernetesClusters: [
        {
          name: 'sim-a',
          url: cluster.url,
          serviceAccountToken: CLUSTER_TOKEN,
          simulated: true,
          caData: cluster.caData,
        },
      ],
    });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await cluster.stop();
    await opa.stop();
  });

  const findings = async () =>
    (
      await request(env.server).get(
        '/api/policy/entities/component/default/orders/findings',
      )
    ).body;

  const workloadDecisions = async () =>
    (await opa.decisions()).filter(d => WORKLOAD_PATHS.includes(d.path));

  it('evaluates the declared manifests per cluster and labels findings from simulated clusters', async () => {
    // The caches fill asynchronously; each run re-evaluates once the manifests appear.
    const body = await waitFor('workload findings', async () => {
      await env.run();
      const b = await findings();
      return b.findings.some((f: any) => f.source === 'workload')
        ? b
        : undefined;
    });
    const workload = body.findings.filter((f: any) => f.source === 'workload');
    // The simulator's Deployment has requests, limits and probes, no securityContext, and the image is :latest.
    expect(workload.map((f: any) => f.id).sort()).toEqual([
      'image-pinned',
      'run-as-non-root',
    ]);
    expect(workload.find((f: any) => f.id === 'image-pinned')).toEqual(
      expect.objectContaining({
        source: 'workload',
        policy: 'paved.workload/violations',
        level: 'error',
        message: expect.stringContaining('registry.example/orders:latest'),
        remediation: expect.any(String),
        docsUrl: expect.stringMatching(/^https:\/\//),
        resource: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'orders',
          cluster: 'sim-a',
          simulated: true,
        },
        policyRevision: 'paved@rev-1',
      }),
    );
    expect(body.compliance).toEqual({
      status: 'failing',
      counts: { error: 2, warning: 0, info: 0 },
    });
    // Only what people declare: no controller-owned ReplicaSets or Pods, no status.
    const manifests = decidedManifests(await workloadDecisions());
    expect(manifests.map(m => m.kind)).toEqual(
      expect.arrayContaining(['Deployment']),
    );
    expect(manifests.every(m => m.kind === 'Deployment')).toBe(true);
    expect(manifests.every(m => (m as any).status === undefined)).toBe(true);
  });

  it('makes no workload decision on a re-run while the manifests are unchanged', async () => {
    opa.resetDecisions();
    await env.run();
    // Only the revision lookup reached OPA.
    expect((await opa.decisions()).map(d => d.path)).toEqual([
      'system/paved_revision_probe',
    ]);
  });

  it('re-evaluates when the live manifest changes', async () => {
    const fixed = deploymentObject({
      name: 'orders',
      namespace: 'shop',
      replicas: 2,
      image: 'registry.example/orders:1.2.0',
    });
    fixed.spec.template.spec.securityContext = { runAsNonRoot: true };
    cluster.apply(fixed);
    opa.resetDecisions();
    const body = await waitFor('the workload findings to clear', async () => {
      await env.run();
      const b = await findings();
      return b.findings.every((f: any) => f.source !== 'workload')
        ? b
        : undefined;
    });
    expect(body.findings).toEqual([]);
    expect(body.compliance.status).toBe('passing');
    expect((await workloadDecisions()).length).toBeGreaterThanOrEqual(1);
  });
});
