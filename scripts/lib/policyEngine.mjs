// Finds the policy engine for `./platform start` and the browser tests: a
// configured OPA (PAVED_OPA_URL, optional PAVED_OPA_TOKEN), else a real OPA
// (scripts/policy-engine.ts: the pinned binary ./platform builds, serving
// policies/) on 127.0.0.1:8181, or a free port when 8181 is taken. Without an
// `opa` binary the policy views say that no engine is configured. Never a
// simulated engine.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The port if nothing listens on it, else a free one (and why). */
function portOrFree(preferred) {
  const tryListen = port =>
    new Promise(resolve => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  return tryListen(preferred).then(async port => {
    if (port) return port;
    const free = await tryListen(0);
    console.log(
      `[platform] policy engine: 127.0.0.1:${preferred} is taken; OPA listens on ${free} instead`,
    );
    return free;
  });
}

export async function startPolicyEngine(
  root,
  env,
  { backendUrl, port = 8181 } = {},
) {
  if (env.PAVED_OPA_URL) {
    console.log(
      `[platform] policy engine: OPA at ${env.PAVED_OPA_URL} (PAVED_OPA_URL)`,
    );
    return {
      configEnv: opaConfigEnv(env.PAVED_OPA_URL, env.PAVED_OPA_TOKEN),
      child: undefined,
    };
  }
  const opa =
    env.PAVED_OPA_BIN ||
    spawnSync('sh', ['-c', 'command -v opa'], {
      env,
      encoding: 'utf8',
    }).stdout.trim();
  if (!opa) {
    console.log(
      '[platform] policy engine: none (no `opa` binary; ./platform builds the pinned one) - the policy views say so.',
    );
    return { configEnv: {}, child: undefined };
  }
  const opaPort = await portOrFree(port);
  // OPA's status reports reach the policy backend with this token (a
  // Backstage external access token, restricted to that one permission).
  const statusToken = randomBytes(24).toString('hex');
  const child = spawn(
    process.execPath,
    ['-r', 'sucrase/register', join(root, 'scripts/policy-engine.ts')],
    {
      cwd: root,
      env: {
        ...env,
        PAVED_OPA_BIN: opa,
        PAVED_OPA_PORT: String(opaPort),
        ...(backendUrl
          ? {
              PAVED_OPA_STATUS_URL: `${backendUrl}/api/policy/engine`,
              PAVED_OPA_STATUS_TOKEN: statusToken,
            }
          : {}),
      },
      stdio: 'inherit',
    },
  );
  child.on('exit', code => {
    if (code)
      console.error(
        `[opa] exited with ${code}; the policy views will show the engine as unreachable`,
      );
  });
  return {
    configEnv: {
      ...opaConfigEnv(`http://127.0.0.1:${opaPort}`),
      ...(backendUrl
        ? {
            APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
              {
                type: 'static',
                options: { token: statusToken, subject: 'opa-status' },
                accessRestrictions: [
                  { plugin: 'policy', permission: 'policy.engine.report' },
                ],
              },
            ]),
          }
        : {}),
    },
    child,
  };
}

// Backstage reads APP_CONFIG_<path> variables as config overrides (JSON values parsed).
function opaConfigEnv(baseUrl, token) {
  return {
    APP_CONFIG_policy_opa_baseUrl: baseUrl,
    ...(token ? { APP_CONFIG_policy_opa_token: token } : {}),
  };
}
