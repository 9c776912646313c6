// `./platform start`: the portal on embedded defaults with demo data.
// Frontend dev server on :3000, backend on :7007 (SQLite under .data/).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { spawnDemoClusters } from './lib/demoClusters.mjs';
import { startPolicyEngine } from './lib/policyEngine.mjs';

const root = new URL('..', import.meta.url).pathname;
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${join(root, 'node_modules/.bin')}:${process.env.PATH}`,
};

const demo = spawnDemoClusters(root, env);
const policyEngine = await startPolicyEngine(root, env, { backendUrl: 'http://localhost:7007' });
console.log('[platform] starting Paved: http://localhost:3000 (backend http://localhost:7007)');
const portal = spawn(
  process.execPath,
  [join(root, '.yarn/releases/yarn-4.13.0.cjs'), 'start', ...process.argv.slice(2)],
  { cwd: root, env: { ...env, ...policyEngine.configEnv }, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    portal.kill(signal);
    demo.kill(signal);
    policyEngine.child?.kill(signal);
  });
}
portal.on('exit', code => {
  demo.kill('SIGTERM');
  policyEngine.child?.kill('SIGTERM');
  process.exit(code ?? 0);
});
