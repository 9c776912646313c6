// Finds the policy engine for `./platform start`: a configured OPA
// (PAVED_OPA_URL, optional PAVED_OPA_TOKEN), else `opa run --server` on
// policies/ when an `opa` binary is on PATH, else none: the policy views then
// say that no engine is configured. Never a simulated engine.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const LOCAL_OPA_ADDR = '127.0.0.1:8181';

export function startPolicyEngine(root, env) {
  if (env.PAVED_OPA_URL) {
    console.log(`[platform] policy engine: OPA at ${env.PAVED_OPA_URL} (PAVED_OPA_URL)`);
    return { configEnv: opaConfigEnv(env.PAVED_OPA_URL, env.PAVED_OPA_TOKEN), child: undefined };
  }
  const found = spawnSync('sh', ['-c', 'command -v opa'], { env, encoding: 'utf8' });
  if (found.status !== 0) {
    console.log(
      '[platform] policy engine: none (no `opa` on PATH, PAVED_OPA_URL unset); the policy views say so. ' +
        'Install OPA or set PAVED_OPA_URL to use one.',
    );
    return { configEnv: {}, child: undefined };
  }
  const child = spawn(
    found.stdout.trim(),
    ['run', '--server', `--addr=${LOCAL_OPA_ADDR}`, '--ignore=*_test.rego', join(root, 'policies')],
    { cwd: root, env, stdio: 'inherit' },
  );
  child.on('exit', code => {
    if (code) console.error(`[opa] exited with ${code}; the policy views will show the engine as unreachable`);
  });
  console.log(`[platform] policy engine: local OPA on http://${LOCAL_OPA_ADDR} serving policies/`);
  return { configEnv: opaConfigEnv(`http://${LOCAL_OPA_ADDR}`), child };
}

// Backstage reads APP_CONFIG_<path> variables as config overrides.
function opaConfigEnv(baseUrl, token) {
  return {
    APP_CONFIG_policy_opa_baseUrl: baseUrl,
    ...(token ? { APP_CONFIG_policy_opa_token: token } : {}),
  };
}
