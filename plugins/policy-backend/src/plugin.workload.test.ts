import { Entity } from '@backstage/catalog-model';
import { KubernetesSimulator, deploymentObject, workloadObjects } from '@paved/kubernetes-simulator';
import { SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';

jest.setTimeout(60_000);

const OPA_TOKEN = 'opa-token';
const CLUSTER_TOKEN = 'cluster-token';
const WORKLOAD = 'paved/workload/violations';

/** SIMULATED workload rule: a function of the input standing in for Rego. */
function simulatedWorkloadRules(input: any) {
  return (input.manifests as any[])
    .filter(m => m.kind === 'Deployment')
    .filter(m => m.spec.template.spec.containers.some((c: any) => c.image.endsWith(':latest')))
    .map(m => ({
      id: 'image-pinned',
      level: 'error',
      message: `${m.metadata.name} runs an image tagged latest`,
      resource: { apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata.namespace, name: m.metadata.name },
    }));
}

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default', annotations: { 'backstage.io/kubernetes-id': 'orders' } },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('workload policy over the live manifests of a SIMULATED cluster', () => {
  const opa = new SimulatedOpaServer({ token: OPA_TOKEN });
  const cluster = new KubernetesSimulator({ name: 'sim-a', token: CLUSTER_TOKEN, bookmarkIntervalMs: 500 });
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;
  const workloadInputs: any[] = [];

  beforeAll(async () => {
    await opa.start();
    opa.setRevision('rev-1');
    opa.setDecision('paved/catalog/violations', () => []);
    opa.setDecision(WORKLOAD, (input: any) => {
      workloadInputs.push(input);
      return simulatedWorkloadRules(input);
    });
    await cluster.start({ port: 0, host: '127.0.0.1' });
    cluster.apply(workloadObjects({ name: 'orders', namespace: 'shop', replicas: 2, image: 'registry.example/orders:latest' }));
    env = await startPolicyBackend({
      opa: { baseUrl: opa.url, token: OPA_TOKEN, timeoutMs: 1000 },
      entities: { current: [orders] },
      kubernetesClusters: [
        { name: 'sim-a', url: cluster.url, serviceAccountToken: CLUSTER_TOKEN, simulated: true, skipTLSVerify: true },
      ],
    });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await cluster.stop();
    await opa.stop();
  });

  const findings = async () =>
    (await request(env.server).get('/api/policy/entities/component/default/orders/findings')).body;

  it('evaluates the declared manifests per cluster and labels findings from simulated clusters', async () => {
    // The caches fill asynchronously; each run re-evaluates once the manifests appear.
    const body = await waitFor(async () => {
      await env.run();
      const b = await findings();
      return b.findings.some((f: any) => f.source === 'workload') ? b : undefined;
    });
    expect(body.compliance).toEqual({ status: 'failing', counts: { error: 1, warning: 0, info: 0 } });
    expect(body.findings).toEqual([
      expect.objectContaining({
        source: 'workload',
        policy: 'paved.workload/violations',
        id: 'image-pinned',
        level: 'error',
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'orders', cluster: 'sim-a', simulated: true },
        policyRevision: 'paved@rev-1',
      }),
    ]);
    const input = workloadInputs[workloadInputs.length - 1];
    // Only what people declare: no controller-owned ReplicaSets or Pods, no status.
    expect(input.manifests.map((m: any) => m.kind)).toEqual(['Deployment']);
    expect(input.manifests[0].status).toBeUndefined();
  });

  it('makes no workload decision on a re-run while the manifests are unchanged', async () => {
    opa.resetCalls();
    await env.run();
    expect(opa.calls.data[WORKLOAD] ?? 0).toBe(0);
    expect(opa.calls.data['paved/catalog/violations'] ?? 0).toBe(0);
  });

  it('re-evaluates when the live manifest changes', async () => {
    cluster.apply(deploymentObject({ name: 'orders', namespace: 'shop', replicas: 2, image: 'registry.example/orders:1.2.0' }));
    const body = await waitFor(async () => {
      await env.run();
      const b = await findings();
      return b.findings.length === 0 ? b : undefined;
    });
    expect(body.compliance.status).toBe('passing');
    expect(opa.calls.data[WORKLOAD]).toBeGreaterThanOrEqual(1);
  });
});
