import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  createCertificateAuthority,
  loadCertificateAuthority,
  type PemPair,
} from './certificates';
import { kubeconfigYaml } from './kubeconfig';
import { KubernetesSimulator } from './KubernetesSimulator';
import type { KubeObject } from './store';

/** Annotation on a fixture Deployment naming the scenario the demo runs on it. */
export const DEMO_SCENARIO_ANNOTATION = 'paved.dev/demo-scenario';
/** Comma-separated images a `periodic-rollout` Deployment alternates between. */
export const DEMO_ROLLOUT_IMAGES_ANNOTATION = 'paved.dev/demo-rollout-images';
/** `Error` (default) or `OOMKilled` for a `crash-loop` Deployment. */
export const DEMO_CRASH_REASON_ANNOTATION = 'paved.dev/demo-crash-reason';

/** The bundled demo fixtures. */
export const DEMO_FIXTURES = ['demo-prod-eu-1', 'demo-staging-eu-1'] as const;

/** One simulated demo cluster to start. */
export interface DemoClusterConfig {
  /** Cluster name, e.g. `prod-eu-1`. */
  name: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A bundled fixture name (`demo-prod-eu-1`) or a path to a YAML file. */
  fixture: string;
}

/** Options of {@link startDemoClusters}. */
export interface DemoClustersOptions {
  clusters: DemoClusterConfig[];
  /** Bearer token every cluster expects. */
  token: string;
  /** Latency per API call in ms. Default 0. */
  latencyMs?: number;
  /** Pause between periodic rollouts. Default 60,000. */
  rolloutIntervalMs?: number;
  /** Pause between rollout steps. Default 3,000. */
  rolloutStepMs?: number;
  /** Time between restarts of the crash-looping pod. Default 30,000. */
  crashLoopIntervalMs?: number;
  /** Where bundled fixtures live; found next to this package by default. */
  fixturesDir?: string;
  /**
   * The CA every cluster's serving certificate is signed by (see
   * {@link ensureDemoCertificateAuthority}); each cluster makes its own
   * when omitted.
   */
  ca?: PemPair;
}

/** A started demo cluster. */
export interface DemoCluster {
  name: string;
  url: string;
  fixture: string;
  simulator: KubernetesSimulator;
}

/** The started demo clusters. */
export interface DemoClusters {
  clusters: DemoCluster[];
  /** A kubeconfig (YAML) with a context per cluster, the demo token as its user. */
  kubeconfig(): string;
  /** Stops every cluster and its scenarios. */
  stop(): Promise<void>;
}

/** The demo clusters the portal shows, named after the catalog's cluster resources. */
export const DEFAULT_DEMO_CLUSTERS: readonly DemoClusterConfig[] = [
  { name: 'prod-eu-1', fixture: 'demo-prod-eu-1' },
  { name: 'staging-eu-1', fixture: 'demo-staging-eu-1' },
];

function packageFixturesDir(): string | undefined {
  try {
    // Like resolvePackagePath(): the workspace links this package by name.
    return resolve(
      dirname(require.resolve('@paved/kubernetes-simulator/package.json')),
      'fixtures',
    );
  } catch {
    return undefined;
  }
}

function defaultFixturesDir(): string {
  const candidates = [
    packageFixturesDir(),
    resolve(process.cwd(), 'packages', 'kubernetes-simulator', 'fixtures'),
    resolve(process.cwd(), 'fixtures'),
  ];
  const found = candidates.find(
    dir => dir && existsSync(resolve(dir, `${DEMO_FIXTURES[0]}.yaml`)),
  );
  if (!found) {
    throw new Error(
      'Cannot find the demo fixtures of @paved/kubernetes-simulator; pass fixturesDir',
    );
  }
  return found;
}

/** The file of a bundled fixture name, or `fixture` itself when it is a path. */
export function demoFixturePath(fixture: string, fixturesDir?: string): string {
  if ((DEMO_FIXTURES as readonly string[]).includes(fixture)) {
    return resolve(fixturesDir ?? defaultFixturesDir(), `${fixture}.yaml`);
  }
  return resolve(fixture);
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Replaces `${ago:15m}` placeholders with the timestamp that long before
 * `now`, so the demo's Argo, Flux and Gatekeeper timestamps stay recent.
 */
export function resolveTimePlaceholders(
  text: string,
  now = new Date(),
): string {
  return text.replace(
    /\$\{ago:(\d+)([smhd])\}/g,
    (_, amount, unit) =>
      `${new Date(now.getTime() - Number(amount) * UNIT_MS[unit])
        .toISOString()
        .slice(0, 19)}Z`,
  );
}

/**
 * Loads a demo fixture into a simulator: time placeholders resolved,
 * workloads materialized (ReplicaSets, Pods, statuses) and every running
 * container given a few startup log lines.
 */
export function loadDemoFixture(
  simulator: KubernetesSimulator,
  fixture: string,
  fixturesDir?: string,
): KubeObject[] {
  const text = resolveTimePlaceholders(
    readFileSync(demoFixturePath(fixture, fixturesDir), 'utf8'),
  );
  const loaded = simulator.loadYaml(text, { materializeWorkloads: true });
  for (const pod of loaded.filter(o => o.kind === 'Pod')) {
    const started = new Date(pod.status?.startTime ?? Date.now());
    for (const container of pod.spec?.containers ?? []) {
      const lines = [
        `INFO starting ${container.name} (image ${container.image}) [paved simulated workload]`,
        `INFO loaded configuration from /etc/${container.name}/config.yaml`,
        'INFO listening on :8080',
        'INFO readiness probe /readyz is now passing',
      ];
      simulator.logs.append(
        pod.metadata.namespace!,
        pod.metadata.name,
        container.name,
        lines.map((line, i) => ({
          time: new Date(started.getTime() + i * 150),
          text: line,
        })),
      );
    }
  }
  return loaded;
}

function startScenarios(
  simulator: KubernetesSimulator,
  options: DemoClustersOptions,
) {
  for (const deployment of simulator.list('apps/v1', 'Deployment')) {
    const annotations = deployment.metadata.annotations ?? {};
    const scenario = annotations[DEMO_SCENARIO_ANNOTATION];
    const namespace = deployment.metadata.namespace!;
    if (scenario === 'crash-loop') {
      const rs = simulator
        .list('apps/v1', 'ReplicaSet', namespace)
        .find(r =>
          r.metadata.ownerReferences?.some(
            o => o.uid === deployment.metadata.uid,
          ),
        );
      const pod = simulator
        .list('v1', 'Pod', namespace)
        .find(
          p =>
            rs &&
            p.metadata.ownerReferences?.some(o => o.uid === rs.metadata.uid),
        );
      if (pod) {
        simulator.scenarios.crashLoop({
          namespace,
          pod: pod.metadata.name,
          reason:
            annotations[DEMO_CRASH_REASON_ANNOTATION] === 'OOMKilled'
              ? 'OOMKilled'
              : 'Error',
          intervalMs: options.crashLoopIntervalMs ?? 30_000,
        });
      }
    } else if (scenario === 'periodic-rollout') {
      const images = (annotations[DEMO_ROLLOUT_IMAGES_ANNOTATION] ?? '')
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
      if (images.length > 0) {
        simulator.scenarios.periodicRollout({
          namespace,
          deployment: deployment.metadata.name,
          images,
          intervalMs: options.rolloutIntervalMs ?? 60_000,
          stepMs: options.rolloutStepMs ?? 3_000,
        });
      }
    }
  }
}

/**
 * Starts the SIMULATED demo clusters: each loads its fixture, listens on its
 * port and runs the scenarios its fixture asks for (a Deployment annotated
 * `paved.dev/demo-scenario: periodic-rollout` is rolled out every
 * `rolloutIntervalMs`, one pod of a `crash-loop` Deployment crash-loops).
 */
export async function startDemoClusters(
  options: DemoClustersOptions,
): Promise<DemoClusters> {
  const started: DemoCluster[] = [];
  const stop = async () => {
    await Promise.all(started.map(c => c.simulator.stop()));
  };
  try {
    for (const config of options.clusters) {
      const simulator = new KubernetesSimulator({
        name: config.name,
        token: options.token,
        latencyMs: options.latencyMs,
        ca: options.ca,
      });
      loadDemoFixture(simulator, config.fixture, options.fixturesDir);
      const { url } = await simulator.start({
        port: config.port ?? 0,
        host: config.host ?? '127.0.0.1',
      });
      started.push({
        name: config.name,
        url,
        fixture: config.fixture,
        simulator,
      });
      startScenarios(simulator, options);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const kubeconfig = () =>
    kubeconfigYaml(
      started.map(c => ({
        name: c.name,
        server: c.url,
        caData: c.simulator.caData,
        token: options.token,
      })),
    );
  return { clusters: started, kubeconfig, stop };
}

/** A demo CA that stays valid for less than this is replaced. */
const CA_RENEW_BEFORE_MS = 30 * 24 * 3600_000;

/**
 * The demo clusters' CA, kept in `dir` (`ca.crt`, `ca.key`, mode 0600) so
 * that kubeconfigs and the portal's `caData` stay valid across restarts:
 * made (valid 10 years) when missing, unreadable or about to expire,
 * reused otherwise.
 */
export async function ensureDemoCertificateAuthority(
  dir: string,
): Promise<{ ca: PemPair; created: boolean; certPath: string }> {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    try {
      const loaded = await loadCertificateAuthority({
        certPem: readFileSync(certPath, 'utf8'),
        keyPem: readFileSync(keyPath, 'utf8'),
      });
      if (loaded.cert.notAfter.getTime() - Date.now() > CA_RENEW_BEFORE_MS) {
        return {
          ca: { certPem: loaded.certPem, keyPem: loaded.keyPem },
          created: false,
          certPath,
        };
      }
    } catch {
      // unreadable or not a CA: replaced below
    }
  }
  const ca = await createCertificateAuthority(
    'paved-demo-clusters-ca (SIMULATED clusters)',
    3650,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, ca.certPem);
  return {
    ca: { certPem: ca.certPem, keyPem: ca.keyPem },
    created: true,
    certPath,
  };
}
