// Boots the real Paved backend (backstage-cli package start) in a child
// process with a test config overlay, and collects its log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import { stringify } from 'yaml';

export const repoRoot = resolve(import.meta.dirname, '../../..');
const backendDir = join(repoRoot, 'packages/backend');

export interface BackendProcess {
  baseUrl: string;
  token: string;
  logLines: string[];
  stop(): Promise<void>;
}

export interface StartBackendOptions {
  port: number;
  /** Extra config merged over app-config.yaml (database, for example). */
  config: Record<string, unknown>;
  /** Extra config files, after app-config.yaml (app-config.production.yaml, for example). */
  configFiles?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function startBackend(
  options: StartBackendOptions,
): Promise<BackendProcess> {
  const workDir = mkdtempSync(join(tmpdir(), 'paved-backend-'));
  const token = randomBytes(24).toString('hex');
  const baseUrl = `http://localhost:${options.port}`;
  const overlay = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port: options.port },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'integration-test' } },
        ],
      },
      ...options.config,
    },
    // No simulated demo clusters here: they run only with ./platform start.
    kubernetesStatus: { clusters: [] },
    techdocs: {
      publisher: {
        type: 'local',
        local: { publishDirectory: join(workDir, 'techdocs') },
      },
    },
  };
  const overlayFile = join(workDir, 'app-config.test.yaml');
  writeFileSync(overlayFile, stringify(overlay));

  const configArgs = [
    join(repoRoot, 'app-config.yaml'),
    ...(options.configFiles ?? []),
    overlayFile,
  ].flatMap(f => ['--config', f]);
  const child: ChildProcess = spawn(
    join(repoRoot, 'node_modules/.bin/backstage-cli'),
    ['package', 'start', ...configArgs],
    {
      cwd: backendDir,
      env: {
        ...process.env,
        // backstage-cli's shebang picks `node` from PATH: use this Node (22+).
        PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
        NODE_ENV: 'development',
        FORCE_COLOR: '0',
        // Its own data directory (repositories published by golden paths live
        // there), never the developer's .data/.
        PAVED_DATA_DIR: join(workDir, 'data'),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const logLines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) logLines.push(stripVTControlCharacters(line));
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise(r => child.once('exit', r));
    }
    rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  while (Date.now() < deadline) {
    // backstage-cli keeps watching after a failed start, so look for the failure.
    if (
      exited ||
      logLines.some(
        l =>
          l.includes('Backend startup failed') || /^[A-Za-z]*Error: /.test(l),
      )
    ) {
      await stop();
      throw new Error(
        `backend exited before it was ready:\n${logLines
          .slice(-40)
          .join('\n')}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`, {
        signal: AbortSignal.timeout(2000),
      });
      if (res.ok) return { baseUrl, token, logLines, stop };
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  const meaningful = logLines.filter(
    l => !l.includes('type="incomingRequest"'),
  );
  throw new Error(
    `backend not ready in time:\n${meaningful.slice(-60).join('\n')}`,
  );
}

/** Log lines at level error, in Backstage's plain-text log format. */
export function errorLines(lines: string[]): string[] {
  return lines.filter(
    l => /^\S+\s+\S+\s+error\s/.test(l) || /^\s*(Error|TypeError):/.test(l),
  );
}
