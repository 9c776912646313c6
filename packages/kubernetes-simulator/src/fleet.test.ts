import { CoreV1Api } from '@kubernetes/client-node';
import { podTemplateHash } from './controllers';
import { generateFleet, nodeObjects, workloadObjects } from './fleet';
import { kubeConfigFor, startSimulator } from './__testUtils__/kube';

// Real HTTP and real timers: leave room for a busy CI machine.

describe('fleet generators', () => {
  it('generates a consistent workload with ownerReferences, labels and probes', () => {
    const [deployment, replicaSet, ...rest] = workloadObjects({
      name: 'shop',
      namespace: 'retail',
      replicas: 2,
      image: 'shop:1',
      kubernetesId: 'shop-id',
      hpa: { maxReplicas: 5 },
    });
    const pods = rest.filter(o => o.kind === 'Pod');
    expect(rest.map(o => o.kind)).toEqual([
      'Pod',
      'Pod',
      'Service',
      'HorizontalPodAutoscaler',
    ]);
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'shop',
      'backstage.io/kubernetes-id': 'shop-id',
    });
    const hash = podTemplateHash(deployment.spec.template);
    expect(replicaSet.metadata.name).toBe(`shop-${hash}`);
    expect(replicaSet.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        uid: deployment.metadata.uid,
        controller: true,
      }),
    ]);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(
        new RegExp(`^shop-${hash}-[a-z0-9]{5}$`),
      );
      expect(pod.metadata.labels?.['pod-template-hash']).toBe(hash);
      expect(pod.metadata.ownerReferences?.[0].uid).toBe(
        replicaSet.metadata.uid,
      );
      expect(pod.spec.containers[0].readinessProbe).toBeDefined();
      expect(pod.spec.containers[0].resources.requests).toBeDefined();
    }
    expect(deployment.status).toMatchObject({
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
  });

  it('labels every node as simulated', () => {
    expect(
      nodeObjects({ count: 4 }).map(
        n => n.metadata.labels?.['paved.dev/simulated'],
      ),
    ).toEqual(['true', 'true', 'true', 'true']);
  });

  it('generates a 2,000-pod fleet in well under 2 seconds', () => {
    const started = performance.now();
    const fleet = generateFleet({ apps: 100, podsPerApp: 20 });
    const elapsed = performance.now() - started;
    expect(fleet.filter(o => o.kind === 'Pod')).toHaveLength(2000);
    expect(fleet.filter(o => o.kind === 'Deployment')).toHaveLength(100);
    expect(elapsed).toBeLessThan(2000);
  });

  it('serves a 2,000-pod fleet over HTTP with latency on every call', async () => {
    const sim = await startSimulator({ latencyMs: 40 });
    try {
      sim.apply(generateFleet({ apps: 100, podsPerApp: 20 }));
      const core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
      const started = Date.now();
      const all = await core.listPodForAllNamespaces();
      expect(Date.now() - started).toBeGreaterThanOrEqual(40);
      expect(all.items).toHaveLength(2000);
      const byApp = await core.listPodForAllNamespaces({
        labelSelector: 'backstage.io/kubernetes-id=app-42',
      });
      expect(byApp.items).toHaveLength(20);
      expect(sim.counters.byVerb.list).toBe(2);
    } finally {
      await sim.stop();
    }
  });
});
