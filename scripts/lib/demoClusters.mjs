// Starts the SIMULATED demo Kubernetes clusters (scripts/demo-clusters.ts) as
// a child process; used by `./platform start` and the browser tests. Waits
// until they listen and returns what the portal needs to verify their TLS:
// the demo CA (base64 PEM, PAVED_DEMO_CLUSTER_CA in app-config.yaml) and the
// kubeconfig the child wrote.
import { spawn } from 'node:child_process';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The data directory the backend uses: PAVED_DATA_DIR (relative to
 * packages/backend, as app-config.yaml reads it) or <root>/.data.
 */
export function dataDirOf(root, env) {
  const dir = env.PAVED_DATA_DIR;
  if (!dir) return join(root, '.data');
  return isAbsolute(dir) ? dir : resolve(root, 'packages/backend', dir);
}

export async function startDemoClusters(
  root,
  env,
  { dataDir = dataDirOf(root, env), timeoutMs = 120_000 } = {},
) {
  const child = spawn(
    process.execPath,
    ['-r', 'sucrase/register', join(root, 'scripts/demo-clusters.ts')],
    {
      cwd: root,
      env: { ...env, PAVED_DEMO_DATA_DIR: dataDir },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise(done => {
    const timer = setTimeout(() => done(undefined), timeoutMs);
    child.once('message', message => {
      clearTimeout(timer);
      done(message?.ready ? message : undefined);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      done(undefined);
    });
  });
  child.on('exit', code => {
    if (code)
      console.error(
        `[demo-clusters] exited with ${code}; the Kubernetes tab will show the clusters as unreachable`,
      );
  });
  if (!ready) {
    console.error(
      '[demo-clusters] not ready: the portal gets no demo CA, so it cannot verify (and will flag) the demo clusters',
    );
    return { child, caData: undefined, kubeconfig: undefined };
  }
  // The channel stays open (the child stops when it closes, i.e. when this
  // process ends) but does not keep this process alive.
  child.channel?.unref();
  return { child, caData: ready.caData, kubeconfig: ready.kubeconfig };
}
