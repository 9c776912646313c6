// Runs Paved's SIMULATED demo Kubernetes clusters (not real clusters) for
// `./platform start` and the browser tests, over TLS with the demo CA kept
// in <data dir>/demo-clusters/ (made once, reused across restarts), and
// writes <data dir>/kubeconfig (a context per cluster, the demo token).
// Started by scripts/lib/demoClusters.mjs with
// `node -r sucrase/register scripts/demo-clusters.ts`; tells its parent the
// CA (base64 PEM, for the portal's caData) over the IPC channel when ready.
import { chmodSync, mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import {
  ensureDemoCertificateAuthority,
  pemToData,
  startDemoClusters,
} from '../packages/kubernetes-simulator/src';

const root = join(__dirname, '..');
const fixtures = join(root, 'packages/kubernetes-simulator/fixtures');
const token = process.env.PAVED_DEMO_CLUSTER_TOKEN ?? 'paved-demo-token';
const dataDir = resolve(process.env.PAVED_DEMO_DATA_DIR ?? join(root, '.data'));
const ports = [
  Number(process.env.PAVED_DEMO_PORT_1 ?? 7401),
  Number(process.env.PAVED_DEMO_PORT_2 ?? 7402),
];

async function main() {
  const { ca, created, certPath } = await ensureDemoCertificateAuthority(
    join(dataDir, 'demo-clusters'),
  );
  const handles = await startDemoClusters({
    token,
    ca,
    rolloutIntervalMs: Number(
      process.env.PAVED_DEMO_ROLLOUT_INTERVAL_MS ?? 60_000,
    ),
    clusters: [
      {
        name: 'demo-prod-eu-1',
        port: ports[0],
        fixture: join(fixtures, 'demo-prod-eu-1.yaml'),
      },
      {
        name: 'demo-staging-eu-1',
        port: ports[1],
        fixture: join(fixtures, 'demo-staging-eu-1.yaml'),
      },
    ],
  });
  const kubeconfig = join(dataDir, 'kubeconfig');
  mkdirSync(dataDir, { recursive: true });
  // It holds the demo token: readable by its owner only.
  writeFileSync(kubeconfig, handles.kubeconfig(), { mode: 0o600 });
  chmodSync(kubeconfig, 0o600);
  // eslint-disable-next-line no-console
  console.log(
    `[demo-clusters] SIMULATED Kubernetes clusters (not real clusters) on ${handles.clusters
      .map(c => c.url)
      .join(' and ')}, TLS with the demo CA ${certPath}${
      created ? ' (new)' : ''
    }; kubeconfig: ${kubeconfig}`,
  );
  process.send?.({ ready: true, caData: pemToData(ca.certPem), kubeconfig });
  const stop = async () => {
    await handles.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The parent went away (IPC closed): stop too.
  process.on('disconnect', stop);
}

main().catch(err => {
  // eslint-disable-next-line no-console
  console.error('[demo-clusters] failed to start:', err);
  process.exit(1);
});
