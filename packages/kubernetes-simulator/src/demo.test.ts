import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  VersionApi,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { KubernetesSimulator } from './KubernetesSimulator';
import {
  DEMO_FIXTURES,
  ensureDemoCertificateAuthority,
  loadDemoFixture,
  resolveTimePlaceholders,
  startDemoClusters,
  type DemoClusters,
} from './demo';
import { kubeConfigFor, simFetch } from './__testUtils__/kube';
import { waitFor } from '@paved/test-timing';

// Real HTTP and real timers: leave room for a busy CI machine.

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

interface KubernetesEntity {
  name: string;
  selector: string;
  namespace?: string;
}

/** Every catalog Component with a Kubernetes annotation, and how the upstream plugin would look it up. */
function catalogKubernetesEntities(): KubernetesEntity[] {
  const files = ['catalog/components.yaml', 'catalog-info.yaml'];
  return files.flatMap(file =>
    parseAllDocuments(readFileSync(resolve(REPO_ROOT, file), 'utf8'))
      .map(doc => doc.toJS())
      .filter(entity => entity?.kind === 'Component')
      .flatMap(entity => {
        const annotations = entity.metadata.annotations ?? {};
        const id = annotations['backstage.io/kubernetes-id'];
        const selector =
          annotations['backstage.io/kubernetes-label-selector'] ??
          (id ? `backstage.io/kubernetes-id=${id}` : undefined);
        return selector
          ? [
              {
                name: entity.metadata.name,
                selector,
                namespace: annotations['backstage.io/kubernetes-namespace'],
              },
            ]
          : [];
      }),
  );
}

describe('demo fixtures', () => {
  const entities = catalogKubernetesEntities();

  it('finds the catalog components with Kubernetes annotations', () => {
    expect(entities.map(e => e.name).sort()).toEqual([
      'edge-worker',
      'llm-analysis-api',
      'orders-service',
      'paved-kubernetes-status',
      'paved-policy',
      'paved-portal',
      'semantic-search',
      'users-subgraph',
    ]);
  });

  it.each(DEMO_FIXTURES)(
    '%s loads and has running workloads for every annotated component',
    fixture => {
      const sim = new KubernetesSimulator({ name: fixture });
      expect(() => loadDemoFixture(sim, fixture)).not.toThrow();
      for (const entity of entities) {
        const namespace = entity.namespace;
        const deployments = sim.list('apps/v1', 'Deployment', namespace, {
          labelSelector: entity.selector,
        });
        expect({
          entity: entity.name,
          deployments: deployments.length,
        }).toEqual({
          entity: entity.name,
          deployments: 1,
        });
        expect(deployments[0].metadata.namespace).toBe(namespace ?? 'default');
        expect(deployments[0].metadata.labels?.['app.kubernetes.io/name']).toBe(
          entity.name,
        );
        // The Deployment's pods (a component's Job pods carry its id too).
        const pods = sim.list('v1', 'Pod', namespace, {
          labelSelector: `${entity.selector},app.kubernetes.io/name=${entity.name}`,
        });
        expect(pods.length).toBe(deployments[0].spec.replicas);
        expect(deployments[0].status).toMatchObject({
          replicas: deployments[0].spec.replicas,
          readyReplicas: deployments[0].spec.replicas,
          observedGeneration: 1,
        });
      }
      const nodes = sim.list('v1', 'Node');
      expect(nodes).toHaveLength(3);
      expect(
        nodes.every(n => n.metadata.labels?.['paved.dev/simulated'] === 'true'),
      ).toBe(true);
      expect(
        sim.list('autoscaling/v2', 'HorizontalPodAutoscaler'),
      ).not.toHaveLength(0);
      expect(sim.list('networking.k8s.io/v1', 'Ingress')).not.toHaveLength(0);
      expect(sim.list('batch/v1', 'CronJob')).toHaveLength(1);
      const [job] = sim.list('batch/v1', 'Job');
      expect(job.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'CronJob',
        uid: sim.list('batch/v1', 'CronJob')[0].metadata.uid,
      });
      expect(
        sim.list('v1', 'Pod', 'insights', {
          labelSelector: `job-name=${job.metadata.name}`,
        }),
      ).toHaveLength(1);
      expect(
        sim.list('v1', 'Event', undefined, { fieldSelector: 'type=Warning' }),
      ).not.toHaveLength(0);
      const [app] = sim.list('argoproj.io/v1alpha1', 'Application');
      expect(app.status.sync.status).toMatch(/^(Synced|OutOfSync)$/);
      expect(app.status.health.status).toBe('Healthy');
      expect(app.status.operationState.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      for (const [apiVersion, kind] of [
        ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization'],
        ['helm.toolkit.fluxcd.io/v2', 'HelmRelease'],
      ]) {
        const [flux] = sim.list(apiVersion, kind);
        expect(
          flux.status.conditions.find((c: any) => c.type === 'Ready'),
        ).toBeDefined();
        expect(flux.status.lastAppliedRevision).toBeTruthy();
        expect(flux.status.lastAttemptedRevision).toBeTruthy();
      }
      const [constraint] = sim.list(
        'constraints.gatekeeper.sh/v1beta1',
        'K8sRequiredLabels',
      );
      expect(constraint.status.totalViolations).toBe(
        constraint.status.violations.length,
      );
      expect(constraint.status.violations[0]).toMatchObject({
        kind: 'Deployment',
        name: 'edge-worker',
        namespace: 'default',
        enforcementAction: 'dryrun',
      });
    },
  );

  it.each(DEMO_FIXTURES)(
    "%s serves the Gatekeeper audit of its templates, Paved's included, about objects it serves",
    fixture => {
      // What the statuses say is checked against gator by
      // `node scripts/policy-checks.mjs gator-demo`; here: that the simulator
      // serves them as the policy backend reads them.
      const sim = new KubernetesSimulator({ name: fixture });
      loadDemoFixture(sim, fixture);
      const kinds = sim
        .list('templates.gatekeeper.sh/v1', 'ConstraintTemplate')
        .map(t => t.spec.crd.spec.names.kind)
        .sort();
      expect(kinds).toEqual([
        'K8sRequiredLabels',
        'PavedContainerResources',
        'PavedImagePinned',
        'PavedProbes',
        'PavedProductionReplicas',
        'PavedRunAsNonRoot',
      ]);
      for (const kind of kinds) {
        const constraints = sim.list('constraints.gatekeeper.sh/v1beta1', kind);
        expect(constraints).toHaveLength(1);
        const { status } = constraints[0];
        // Gatekeeper's audit lists at most 20 violations per constraint.
        expect(status.violations.length).toBeLessThanOrEqual(20);
        expect(status.totalViolations).toBeGreaterThanOrEqual(
          status.violations.length,
        );
        expect(status.auditTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
        for (const v of status.violations) {
          const apiVersion = v.group ? `${v.group}/${v.version}` : v.version;
          const object = sim
            .list(apiVersion, v.kind, v.namespace)
            .find(o => o.metadata.name === v.name);
          // The policy backend maps a violation to the entity whose
          // Kubernetes annotation selects the object.
          expect({
            constraint: kind,
            violation: `${v.kind} ${v.namespace}/${v.name}`,
            kubernetesId:
              object?.metadata.labels?.['backstage.io/kubernetes-id'] ??
              'not served',
          }).toEqual({
            constraint: kind,
            violation: `${v.kind} ${v.namespace}/${v.name}`,
            kubernetesId: expect.not.stringMatching(/^not served$/),
          });
          expect(v.enforcementAction).toBe(
            constraints[0].spec.enforcementAction,
          );
        }
      }
      const paved = sim.list(
        'constraints.gatekeeper.sh/v1beta1',
        'PavedProbes',
      );
      expect(paved[0].status.violations[0]).toMatchObject({
        kind: 'Deployment',
        message: expect.stringMatching(/^container \S+ has no livenessProbe$/),
      });
    },
  );

  it.each(DEMO_FIXTURES)(
    '%s generates only controller-owned objects, so gator on the fixture file decides what the served cluster would',
    fixture => {
      // gator-demo evaluates the objects written in the fixture. The ones the
      // loader adds (ReplicaSets, Pods, a CronJob's Job pods) are owned by a
      // controller, which every Paved template skips; K8sRequiredLabels
      // matches Deployments and CronJobs only.
      const declared = new Set(
        parseAllDocuments(
          resolveTimePlaceholders(
            readFileSync(
              resolve(__dirname, '..', 'fixtures', `${fixture}.yaml`),
              'utf8',
            ),
          ),
        )
          .map(doc => doc.toJS())
          .filter(Boolean)
          .map(
            o => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`,
          ),
      );
      const sim = new KubernetesSimulator({ name: fixture });
      loadDemoFixture(sim, fixture);
      const generated = [
        ...sim.list('apps/v1', 'ReplicaSet'),
        ...sim.list('v1', 'Pod'),
        ...sim.list('batch/v1', 'Job'),
      ].filter(
        o =>
          !declared.has(
            `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
          ),
      );
      expect(generated.length).toBeGreaterThan(0);
      for (const o of generated) {
        expect({
          object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
          controlled: o.metadata.ownerReferences?.some(r => r.controller),
        }).toEqual({
          object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
          controlled: true,
        });
      }
      const [labels] = sim.list(
        'constraints.gatekeeper.sh/v1beta1',
        'K8sRequiredLabels',
      );
      expect(
        labels.spec.match.kinds.flatMap((k: { kinds: string[] }) => k.kinds),
      ).toEqual(['Deployment', 'CronJob']);
    },
  );

  it('differs in one image between prod and staging', () => {
    const images = (fixture: string) => {
      const sim = new KubernetesSimulator();
      loadDemoFixture(sim, fixture);
      return Object.fromEntries(
        sim
          .list('apps/v1', 'Deployment')
          .map(d => [
            d.metadata.name,
            d.spec.template.spec.containers[0].image,
          ]),
      );
    };
    const prod = images('demo-prod-eu-1');
    const staging = images('demo-staging-eu-1');
    const drifted = Object.keys(prod).filter(
      name => prod[name] !== staging[name],
    );
    expect(drifted).toEqual(['llm-analysis-api']);
  });

  it('resolves ${ago:...} placeholders to timestamps before now', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    expect(resolveTimePlaceholders("at: '${ago:5m}', d: ${ago:1d}", now)).toBe(
      "at: '2026-01-02T02:59:05Z', d: 2026-01-01T03:04:05Z",
    );
  });
});

describe('startDemoClusters', () => {
  let demo: DemoClusters;

  beforeAll(async () => {
    demo = await startDemoClusters({
      clusters: [
        { name: 'prod-eu-1', port: 0, fixture: 'demo-prod-eu-1' },
        { name: 'staging-eu-1', port: 0, fixture: 'demo-staging-eu-1' },
      ],
      token: 'demo-token',
      rolloutIntervalMs: 50,
      rolloutStepMs: 10,
      crashLoopIntervalMs: 100,
    });
  });

  afterAll(async () => {
    await demo.stop();
  });

  it('serves every cluster, labelled as simulated', async () => {
    expect(demo.clusters.map(c => c.name)).toEqual([
      'prod-eu-1',
      'staging-eu-1',
    ]);
    for (const cluster of demo.clusters) {
      const kc = kubeConfigFor(cluster.simulator, 'demo-token');
      const version = await kc.makeApiClient(VersionApi).getCode();
      expect(version.gitVersion).toContain('paved-simulator');
      const nodes = await kc.makeApiClient(CoreV1Api).listNode();
      expect(
        nodes.items.map(n => n.metadata?.labels?.['paved.dev/simulated']),
      ).toEqual(['true', 'true', 'true']);
      const res = await simFetch(cluster.simulator, `/readyz`);
      expect(res.headers.get('x-paved-simulator')).toBe(cluster.name);
    }
  });

  it('crash-loops an orders-service pod in prod', async () => {
    const prod = demo.clusters[0];
    const core = kubeConfigFor(prod.simulator, 'demo-token').makeApiClient(
      CoreV1Api,
    );
    const crashing = await waitFor(
      'an orders pod in CrashLoopBackOff',
      async () => {
        const pods = await core.listNamespacedPod({
          namespace: 'commerce',
          labelSelector: 'backstage.io/kubernetes-id=orders-service',
        });
        return pods.items.find(
          p =>
            p.status?.containerStatuses?.[0].state?.waiting?.reason ===
            'CrashLoopBackOff',
        );
      },
    );
    const events = await core.listNamespacedEvent({
      namespace: 'commerce',
      fieldSelector: `involvedObject.name=${
        crashing!.metadata?.name
      },reason=BackOff`,
    });
    expect(events.items).toHaveLength(1);
    const log = await core.readNamespacedPodLog({
      namespace: 'commerce',
      name: crashing!.metadata!.name!,
      previous: true,
    });
    expect(log).toContain('INFO starting orders');
  });

  it('rolls users-subgraph out periodically in staging', async () => {
    const staging = demo.clusters[1];
    const kc = kubeConfigFor(staging.simulator, 'demo-token');
    const apps = kc.makeApiClient(AppsV1Api);
    const rolled = await waitFor('a periodic rollout', async () => {
      const d = await apps.readNamespacedDeployment({
        namespace: 'commerce',
        name: 'users-subgraph',
      });
      return (d.metadata?.generation ?? 1) >= 2 &&
        d.status?.observedGeneration === d.metadata?.generation &&
        d.status?.conditions?.some(c => c.reason === 'NewReplicaSetAvailable')
        ? d
        : undefined;
    });
    expect(rolled!.spec?.template.spec?.containers[0].image).toMatch(
      /users-subgraph:2\.3\.[01]$/,
    );
    const apps2 = await kc
      .makeApiClient(CustomObjectsApi)
      .listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'insights',
        plural: 'applications',
      });
    expect(apps2.items[0].status.sync.status).toBe('OutOfSync');
  });
});

describe('the demo CA and kubeconfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paved-demo-ca-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the CA once (key readable by its owner only), reuses it, replaces a broken one', async () => {
    const first = await ensureDemoCertificateAuthority(dir);
    expect(first.created).toBe(true);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    const again = await ensureDemoCertificateAuthority(dir);
    expect(again).toMatchObject({ created: false, ca: first.ca });
    writeFileSync(join(dir, 'ca.key'), 'not a key');
    const replaced = await ensureDemoCertificateAuthority(dir);
    expect(replaced.created).toBe(true);
    expect(replaced.ca.certPem).not.toBe(first.ca.certPem);
  });

  it('signs every cluster with the given CA: the kubeconfig reaches each one with verification on', async () => {
    const { ca } = await ensureDemoCertificateAuthority(dir);
    const demo = await startDemoClusters({
      token: 'demo-token',
      ca,
      clusters: [
        { name: 'prod-eu-1', fixture: 'demo-prod-eu-1' },
        { name: 'staging-eu-1', fixture: 'demo-staging-eu-1' },
      ],
    });
    try {
      for (const cluster of demo.clusters) {
        expect(cluster.simulator.caPem).toBe(ca.certPem);
      }
      const kc = new KubeConfig();
      kc.loadFromString(demo.kubeconfig());
      expect(kc.getContexts().map(c => c.name)).toEqual([
        'prod-eu-1',
        'staging-eu-1',
      ]);
      for (const context of ['prod-eu-1', 'staging-eu-1']) {
        kc.setCurrentContext(context);
        expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
        const nodes = await kc.makeApiClient(CoreV1Api).listNode();
        expect(nodes.items.length).toBeGreaterThan(0);
      }
    } finally {
      await demo.stop();
    }
  });
});
