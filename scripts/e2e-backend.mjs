// Starts the backend for the browser tests: serves the built app, uses a
// fresh SQLite directory and allows reading from the test's fixture server.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDemoClusters } from './lib/demoClusters.mjs';
import { startPolicyEngine } from './lib/policyEngine.mjs';

const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'paved-e2e-'));
const port = process.env.PAVED_E2E_PORT ?? '7007';
const baseUrl = `http://localhost:${port}`;

const childEnv = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  // Roll the demo app out often, so the browser test sees one progress live.
  PAVED_DEMO_ROLLOUT_INTERVAL_MS: '15000',
};
// The demo clusters over TLS, their CA and kubeconfig in the test's data dir.
const demo = await startDemoClusters(root, childEnv, { dataDir });
if (!demo.caData) {
  console.error('[e2e] the simulated demo clusters did not start');
  demo.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}
// A real OPA serving policies/ for the policy views (as ./platform start runs it).
const policyEngine = await startPolicyEngine(root, childEnv, {
  backendUrl: baseUrl,
  port: 7481,
});
if (!policyEngine.child) {
  console.error(
    '[e2e] no OPA binary: run the browser tests through ./platform test, which builds the pinned OPA',
  );
  process.exit(1);
}
const child = spawn(
  join(root, 'node_modules/.bin/backstage-cli'),
  [
    'package',
    'start',
    '--config',
    join(root, 'app-config.yaml'),
    '--config',
    join(root, 'packages/app/e2e-tests/app-config.e2e.yaml'),
  ],
  {
    cwd: join(root, 'packages/backend'),
    stdio: 'inherit',
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      PAVED_DATA_DIR: dataDir,
      APP_CONFIG_app_baseUrl: baseUrl,
      APP_CONFIG_backend_baseUrl: baseUrl,
      APP_CONFIG_backend_listen_port: port,
      // app-config.yaml's demo clusters verify TLS with this CA.
      PAVED_DEMO_CLUSTER_CA: demo.caData,
      ...policyEngine.configEnv,
    },
  },
);
const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill('SIGTERM');
    demo.child.kill('SIGTERM');
    policyEngine.child.kill('SIGTERM');
  });
}
child.on('exit', code => {
  demo.child.kill('SIGTERM');
  policyEngine.child.kill('SIGTERM');
  cleanup();
  process.exit(code ?? 0);
});
