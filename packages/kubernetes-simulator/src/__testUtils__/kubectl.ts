import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const HOW_TO_BUILD =
  '`./platform test` builds it (ensure_kubectl in scripts/toolchain/toolchain.sh, ' +
  'KUBE_VERSION pinned in scripts/toolchain/versions.env) into the per-user cache and sets PAVED_KUBECTL_BIN';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pinnedKubeVersion(): string | undefined {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, 'scripts/toolchain/versions.env');
    if (existsSync(file)) {
      return /^KUBE_VERSION=(\S+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}

/**
 * The pinned kubectl: PAVED_KUBECTL_BIN, else the per-user cache at
 * KUBE_VERSION. Not PATH: a kubectl found there is whatever version the
 * machine has, and new machines have none.
 */
export function findKubectl(): string {
  const fromEnv = process.env.PAVED_KUBECTL_BIN;
  if (fromEnv) {
    if (!executable(fromEnv)) {
      throw new Error(
        `kubectl: ${fromEnv} (PAVED_KUBECTL_BIN) is not an executable file. ${HOW_TO_BUILD}.`,
      );
    }
    return fromEnv;
  }
  const version = pinnedKubeVersion();
  const cache =
    process.env.PAVED_CACHE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'paved');
  const bin = version ? join(cache, 'kubectl', version, 'bin', 'kubectl') : '';
  if (!bin || !executable(bin)) {
    throw new Error(
      `kubectl ${version ?? '(KUBE_VERSION unknown)'} not found${
        bin ? ` at ${bin}` : ''
      }: set PAVED_KUBECTL_BIN or build it: ${HOW_TO_BUILD}.`,
    );
  }
  return bin;
}

/** The outcome of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl to the end; never rejects on a non-zero exit (the code says). */
export function runKubectl(
  bin: string,
  args: string[],
  env: Record<string, string>,
): Promise<KubectlResult> {
  return new Promise(resolve => {
    execFile(
      bin,
      args,
      { env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          code =
            typeof (error as any).code === 'number' ? (error as any).code : -1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts kubectl in the background (a watch), collecting its output. */
export function startKubectl(
  bin: string,
  args: string[],
  env: Record<string, string>,
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(bin, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', d => {
    out += String(d);
  });
  child.stderr!.on('data', d => {
    out += String(d);
  });
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );
  return { child, output: () => out, exited };
}
