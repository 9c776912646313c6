// Runs Paved's SIMULATED demo Kubernetes clusters (not real clusters) for
// `./platform start` and the browser tests. Started with
// `node -r sucrase/register scripts/demo-clusters.ts`.
import { join } from 'path';
import { startDemoClusters } from '../packages/kubernetes-simulator/src';

const fixtures = join(__dirname, '../packages/kubernetes-simulator/fixtures');
const token = process.env.PAVED_DEMO_CLUSTER_TOKEN ?? 'paved-demo-token';

async function main() {
  const handles = await startDemoClusters({
    token,
    rolloutIntervalMs: Number(process.env.PAVED_DEMO_ROLLOUT_INTERVAL_MS ?? 60_000),
    clusters: [
      { name: 'demo-prod-eu-1', port: Number(process.env.PAVED_DEMO_PORT_1 ?? 7401), fixture: join(fixtures, 'demo-prod-eu-1.yaml') },
      { name: 'demo-staging-eu-1', port: Number(process.env.PAVED_DEMO_PORT_2 ?? 7402), fixture: join(fixtures, 'demo-staging-eu-1.yaml') },
    ],
  });
  // eslint-disable-next-line no-console
  console.log('[demo-clusters] SIMULATED Kubernetes clusters on 127.0.0.1:7401 and :7402 (not real clusters)');
  const stop = async () => {
    await handles.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(err => {
  // eslint-disable-next-line no-console
  console.error('[demo-clusters] failed to start:', err);
  process.exit(1);
});
