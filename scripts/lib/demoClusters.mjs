// Spawns the SIMULATED demo Kubernetes clusters (scripts/demo-clusters.ts) as
// a child process; used by `./platform start` and the browser tests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function spawnDemoClusters(root, env) {
  const child = spawn(process.execPath, ['-r', 'sucrase/register', join(root, 'scripts/demo-clusters.ts')], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  child.on('exit', code => {
    if (code) console.error(`[demo-clusters] exited with ${code}; the Kubernetes tab will show the clusters as unreachable`);
  });
  return child;
}
