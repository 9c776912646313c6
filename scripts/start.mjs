// `./platform start`: the portal on embedded defaults with demo data.
// Frontend dev server on :3000, backend on :7007 (SQLite under .data/).
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { startDemoClusters } from './lib/demoClusters.mjs';
import { startPolicyEngine } from './lib/policyEngine.mjs';

const root = new URL('..', import.meta.url).pathname;
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${join(root, 'node_modules/.bin')}:${
    process.env.PATH
  }`,
};

// The simulated demo clusters speak TLS with a demo CA kept in
// .data/demo-clusters/; the portal verifies them with it (PAVED_DEMO_CLUSTER_CA,
// read by app-config.yaml), and kubectl with .data/kubeconfig.
const [demo, policyEngine] = await Promise.all([
  startDemoClusters(root, env),
  startPolicyEngine(root, env, { backendUrl: 'http://localhost:7007' }),
]);
const demoEnv = demo.caData ? { PAVED_DEMO_CLUSTER_CA: demo.caData } : {};
if (demo.kubeconfig) {
  console.log(
    `[platform] simulated clusters: kubectl --kubeconfig ${
      relative(process.cwd(), demo.kubeconfig) || demo.kubeconfig
    } get pods -A`,
  );
}
console.log(
  '[platform] starting Paved: http://localhost:3000 (backend http://localhost:7007)',
);
const portal = spawn(
  process.execPath,
  [
    join(root, '.yarn/releases/yarn-4.13.0.cjs'),
    'start',
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    env: { ...env, ...demoEnv, ...policyEngine.configEnv },
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    portal.kill(signal);
    demo.child.kill(signal);
    policyEngine.child?.kill(signal);
  });
}
portal.on('exit', code => {
  demo.child.kill('SIGTERM');
  policyEngine.child?.kill('SIGTERM');
  process.exit(code ?? 0);
});
