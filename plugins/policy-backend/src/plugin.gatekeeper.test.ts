import { Entity } from '@backstage/catalog-model';
import {
  KubernetesSimulator,
  workloadObjects,
} from '@paved/kubernetes-simulator';
import { LocalOpaServer } from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';

const OPA_TOKEN = 'opa-token';
const CLUSTER_TOKEN = 'cluster-token';

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'orders' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

const template = (kind: string) => ({
  apiVersion: 'templates.gatekeeper.sh/v1',
  kind: 'ConstraintTemplate',
  metadata: { name: kind.toLowerCase() },
  spec: { crd: { spec: { names: { kind } } } },
});

/** Gatekeeper caps status.violations (20 by default): 25 in total, 20 listed. */
function cappedViolations() {
  const listed = [
    {
      kind: 'Deployment',
      group: 'apps',
      version: 'v1',
      name: 'orders',
      namespace: 'shop',
      message: 'container orders has no memory limit',
      enforcementAction: 'deny',
    },
    // Another team's workload: not this entity's finding.
    {
      kind: 'Deployment',
      group: 'apps',
      version: 'v1',
      name: 'billing',
      namespace: 'shop',
      message: 'container billing has no memory limit',
      enforcementAction: 'deny',
    },
  ];
  for (let i = 0; i < 18; i++) {
    listed.push({
      kind: 'Deployment',
      group: 'apps',
      version: 'v1',
      name: `other-${i}`,
      namespace: 'misc',
      message: 'no limit',
      enforcementAction: 'deny',
    });
  }
  return listed;
}

// Gatekeeper findings are the constraints' audit status in the cluster (no
// OPA decision); catalog decisions come from a real OPA with policies/.
describe('Gatekeeper audit results of a SIMULATED cluster', () => {
  const opa = new LocalOpaServer({ token: OPA_TOKEN });
  const cluster = new KubernetesSimulator({
    name: 'sim-gk',
    token: CLUSTER_TOKEN,
    bookmarkIntervalMs: 500,
  });
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;
  const recentAudit = new Date(Date.now() - 60_000)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  const oldAudit = '2026-01-01T00:00:00Z';

  beforeAll(async () => {
    await opa.start();
    await cluster.start({ port: 0, host: '127.0.0.1' });
    cluster.apply(
      workloadObjects({
        name: 'orders',
        namespace: 'shop',
        replicas: 1,
        image: 'registry.example/orders:1.0.0',
      }),
    );
    cluster.apply([
      template('K8sContainerLimits'),
      template('K8sRequiredProbes'),
      {
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: 'K8sContainerLimits',
        metadata: { name: 'containers-must-have-limits' },
        spec: { enforcementAction: 'deny' },
        status: {
          auditTimestamp: recentAudit,
          totalViolations: 25,
          violations: cappedViolations(),
        },
      },
      {
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: 'K8sRequiredProbes',
        metadata: { name: 'probes-required' },
        spec: { enforcementAction: 'warn' },
        status: {
          auditTimestamp: oldAudit,
          totalViolations: 1,
          violations: [
            {
              kind: 'Service',
              version: 'v1',
              name: 'orders',
              namespace: 'shop',
              message: 'probe check on a service',
              enforcementAction: 'warn',
            },
          ],
        },
      },
    ]);
    env = await startPolicyBackend({
      opa: { baseUrl: opa.url, token: OPA_TOKEN, timeoutMs: 5000 },
      entities: { current: [orders] },
      // Only the Gatekeeper source is under test here.
      policy: { workload: { enabled: false } },
      kubernetesClusters: [
        {
          name: 'sim-gk',
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

  it('maps audit violations to the entity’s objects and shows the cap and the audit age', async () => {
    const deadline = Date.now() + 20_000;
    let body: any;
    for (;;) {
      await env.run();
      body = (
        await request(env.server).get(
          '/api/policy/entities/component/default/orders/findings',
        )
      ).body;
      if (
        body.findings.filter((f: any) => f.source === 'gatekeeper').length === 2
      )
        break;
      if (Date.now() > deadline)
        throw new Error(`no Gatekeeper findings: ${JSON.stringify(body)}`);
      await new Promise(r => setTimeout(r, 200));
    }
    const gatekeeperFindings = body.findings.filter(
      (f: any) => f.source === 'gatekeeper',
    );
    expect(gatekeeperFindings).toEqual(
      expect.arrayContaining([
        {
          source: 'gatekeeper',
          policy: 'constraints.gatekeeper.sh/K8sContainerLimits',
          id: 'containers-must-have-limits',
          level: 'error',
          message: 'container orders has no memory limit',
          resource: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'orders',
            cluster: 'sim-gk',
            simulated: true,
          },
          evaluatedAt: recentAudit,
          policyRevision: `gatekeeper-audit@${recentAudit}`,
        },
        expect.objectContaining({
          policy: 'constraints.gatekeeper.sh/K8sRequiredProbes',
          level: 'warning',
          resource: expect.objectContaining({
            kind: 'Service',
            name: 'orders',
            apiVersion: 'v1',
          }),
        }),
      ]),
    );
    const catalogCounts = { error: 0, warning: 0, info: 0 } as Record<
      string,
      number
    >;
    for (const finding of body.findings.filter(
      (f: any) => f.source === 'catalog',
    ))
      catalogCounts[finding.level] += 1;
    // The real catalog rules flag the entity too (owner not in this test's catalog, no description, ...).
    expect(catalogCounts.error).toBeGreaterThan(0);
    expect(body.compliance).toEqual({
      status: 'failing',
      counts: {
        error: catalogCounts.error + 1,
        warning: catalogCounts.warning + 1,
        info: catalogCounts.info,
      },
    });
    expect(body.gatekeeper).toEqual([
      {
        cluster: 'sim-gk',
        simulated: true,
        constraintKind: 'K8sContainerLimits',
        constraintName: 'containers-must-have-limits',
        enforcementAction: 'deny',
        auditTimestamp: recentAudit,
        totalViolations: 25,
        reportedViolations: 20,
        truncated: true,
        stale: false,
      },
      {
        cluster: 'sim-gk',
        simulated: true,
        constraintKind: 'K8sRequiredProbes',
        constraintName: 'probes-required',
        enforcementAction: 'warn',
        auditTimestamp: oldAudit,
        totalViolations: 1,
        reportedViolations: 1,
        truncated: false,
        stale: true,
      },
    ]);
    // The entity owns no 'billing' Deployment: that violation is not its finding.
    expect(
      gatekeeperFindings.some((f: any) => f.resource.name === 'billing'),
    ).toBe(false);
  });
});
