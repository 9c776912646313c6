import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  POLICY_BUNDLE_RESOURCE,
  PolicyBundleServer,
} from './PolicyBundleServer';

const execFileAsync = promisify(execFile);

/** One entry of OPA's decision log (`decision_logs.console`). @public */
export interface LocalOpaDecision {
  /** Data API path without `/v1/data/`, e.g. `paved/catalog/batch`. */
  path: string;
  input: unknown;
  /** Undefined when OPA had no result (the entry point is not loaded). */
  result?: unknown;
  decisionId: string;
}

/** Options of {@link LocalOpaServer}. @public */
export interface LocalOpaServerOptions {
  /**
   * Folders of Rego (and JSON data) that make up the bundle; `*_test.rego`
   * files are left out. Default: the repository's `policies/`.
   */
  bundleDirs?: string[];
  /** Bundle revision (`.manifest`), as a CI build sets it. Default `local-test`. */
  revision?: string;
  /**
   * When set, OPA runs with `--authentication=token --authorization=basic`
   * and the repository's `deploy/opa/authz` policy (as in the cluster):
   * every call but `/health` needs `Authorization: Bearer <token>`.
   */
  token?: string;
  /** The `opa` binary. Default `PAVED_OPA_BIN`, else `opa` on PATH. */
  opaBinary?: string;
  /**
   * Serve the bundle through a {@link PolicyBundleServer} that OPA polls
   * (every 1–2 s) instead of a prebuilt file: edits to the folders reach OPA
   * without a restart, and a broken file does not stop OPA from starting;
   * OPA reports it (and keeps the last good bundle). The revision is then
   * `revision` plus a digest of the files, or what `watchRevision` makes of
   * the digest.
   */
  watch?: boolean;
  /** With `watch`: the revision of each bundle from its files' digest. */
  watchRevision?: (digest: string) => string;
  /** Where OPA sends its status reports (OPA's status API), e.g. `<backend>/api/policy/engine`. */
  status?: { url: string; token: string };
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Decision logs on OPA's console (for {@link LocalOpaServer.decisions}). Default true. */
  decisionLogs?: boolean;
}

/**
 * A REAL OPA for tests: the `opa` binary (`./platform test` builds the
 * pinned version into the per-user cache and sets `PAVED_OPA_BIN`) serving
 * a bundle built with `opa build` from the given folders, on a free port of
 * 127.0.0.1. Decisions are OPA's own: use it wherever a test asserts a
 * finding. Faults a real OPA cannot be made to show on demand (refused
 * connections, timeouts, 5xx, malformed bodies) stay with
 * {@link SimulatedOpaServer}.
 * @public
 */
export class LocalOpaServer {
  private options: LocalOpaServerOptions;
  private readonly workDir = mkdtempSync(join(tmpdir(), 'paved-opa-'));
  private child?: ChildProcess;
  private port?: number;
  private output = '';
  private revisionValue: string;
  private decisionLog: LocalOpaDecision[] = [];
  private lastOutputAt = 0;
  private pendingLine = '';
  private bundleServer?: PolicyBundleServer;

  constructor(options: LocalOpaServerOptions = {}) {
    this.options = { ...options };
    this.revisionValue = options.revision ?? 'local-test';
  }

  /** The URL OPA listens on, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    if (!this.port) throw new Error('LocalOpaServer not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** The revision of the bundle OPA serves. */
  get revision(): string {
    return this.revisionValue;
  }

  /**
   * Builds the bundle, starts OPA and waits until it answers (with a
   * prebuilt bundle: until the bundle is activated).
   */
  async start(): Promise<string> {
    const opa = this.opaBinary();
    this.port ??= this.options.port ?? (await freePort());
    // A named bundle (`paved`, as in the cluster), and OPA's own record of
    // every decision (path and input) for assertions.
    const config: Record<string, unknown> = {
      services: {} as Record<string, unknown>,
      ...(this.options.decisionLogs === false
        ? {}
        : { decision_logs: { console: true } }),
    };
    const services = config.services as Record<string, unknown>;
    if (this.options.watch) {
      if (!this.bundleServer) {
        const base = this.revisionValue;
        this.bundleServer = new PolicyBundleServer({
          dirs: this.bundleDirs(),
          revision:
            this.options.watchRevision ??
            (digest => `${base}+${digest.slice(0, 12)}`),
        });
        await this.bundleServer.start();
      }
      services.bundles = { url: this.bundleServer.url };
      config.bundles = {
        paved: {
          service: 'bundles',
          resource: POLICY_BUNDLE_RESOURCE,
          polling: { min_delay_seconds: 1, max_delay_seconds: 2 },
        },
      };
    } else {
      const bundle = join(this.workDir, 'bundle.tar.gz');
      await this.build(opa, bundle);
      config.bundles = { paved: { resource: pathToFileURL(bundle).href } };
    }
    if (this.options.status) {
      services.status = {
        url: this.options.status.url,
        credentials: { bearer: { token: this.options.status.token } },
      };
      config.status = { service: 'status' };
    }
    const configFile = join(this.workDir, 'opa-config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const args = [
      'run',
      '--server',
      `--addr=127.0.0.1:${this.port}`,
      '--disable-telemetry',
      '--log-level=error',
      `--config-file=${configFile}`,
      ...(this.options.token
        ? ['--authentication=token', '--authorization=basic']
        : []),
    ];
    this.output = '';
    const child = spawn(opa, args, {
      env: { ...process.env, PAVED_OPA_TOKEN: this.options.token ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', d => this.onOutput(String(d)));
    child.stderr?.on('data', d => this.onOutput(String(d)));
    await this.waitUntilHealthy(child);
    return this.url;
  }

  /** Serves a bundle with another revision (OPA restarts on the same port). */
  async setRevision(revision: string): Promise<void> {
    this.revisionValue = revision;
    await this.stopProcess();
    await this.start();
  }

  /** Requires another token from now on, as after a rotation (OPA restarts on the same port). */
  async setToken(token: string): Promise<void> {
    if (!this.options.token)
      throw new Error(
        'LocalOpaServer was started without token authentication',
      );
    this.options.token = token;
    await this.stopProcess();
    await this.start();
  }

  /**
   * The decisions OPA logged since the last {@link LocalOpaServer.resetDecisions}
   * (or start), optionally of one path. Waits until OPA's log output is quiet,
   * as decision log lines follow the HTTP answers.
   */
  async decisions(path?: string): Promise<LocalOpaDecision[]> {
    const calledAt = Date.now();
    const deadline = calledAt + 3000;
    // Quiet for 150 ms since the call: a log line may still be on its way.
    while (
      Date.now() - Math.max(this.lastOutputAt, calledAt) < 150 &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 50));
    }
    return this.decisionLog.filter(d => !path || d.path === path);
  }

  /** Forgets the logged decisions. */
  resetDecisions(): void {
    this.decisionLog = [];
  }

  private onOutput(chunk: string) {
    this.lastOutputAt = Date.now();
    const lines = (this.pendingLine + chunk).split('\n');
    this.pendingLine = lines.pop() ?? '';
    for (const line of lines) {
      let entry:
        | {
            msg?: string;
            path?: string;
            input?: unknown;
            result?: unknown;
            decision_id?: string;
          }
        | undefined;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = undefined;
      }
      if (entry?.msg === 'Decision Log' && typeof entry.path === 'string') {
        this.decisionLog.push({
          path: entry.path,
          input: entry.input,
          result: entry.result,
          decisionId: entry.decision_id ?? '',
        });
      } else if (this.output.length < 20_000) {
        this.output += `${line}\n`;
      }
    }
  }

  /** Stops OPA (and its bundle server) and removes its bundle. */
  async stop(): Promise<void> {
    await this.stopProcess();
    await this.bundleServer?.stop();
    this.bundleServer = undefined;
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** With `watch`: the revision of the bundle as the files are now. */
  async currentRevision(): Promise<string> {
    return this.bundleServer
      ? this.bundleServer.revision()
      : this.revisionValue;
  }

  private async stopProcess(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>(done => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }

  private opaBinary(): string {
    const binary = this.options.opaBinary ?? process.env.PAVED_OPA_BIN ?? 'opa';
    return binary;
  }

  private bundleDirs(): string[] {
    const root = repositoryRoot();
    const dirs = this.options.bundleDirs ?? [join(root, 'policies')];
    return this.options.token
      ? [...dirs, join(root, 'deploy/opa/authz')]
      : dirs;
  }

  private async build(opa: string, bundle: string): Promise<void> {
    try {
      await execFileAsync(
        opa,
        [
          'build',
          ...this.bundleDirs(),
          '--ignore',
          '*_test.rego',
          '--revision',
          this.revisionValue,
          '--output',
          bundle,
        ],
        { timeout: 60_000 },
      );
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') {
        throw new Error(
          `OPA binary '${opa}' not found. ./platform test builds the pinned OPA and sets PAVED_OPA_BIN; ` +
            'or put opa on PATH.',
        );
      }
      throw new Error(`opa build failed: ${e.stderr || e.message}`);
    }
  }

  private async waitUntilHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(
          `opa run exited with ${child.exitCode}: ${this.output.trim()}`,
        );
      }
      try {
        // Healthy once the bundle is activated; with `watch` a broken bundle
        // never activates, and OPA must still come up to report it.
        const health = this.options.watch ? '/health' : '/health?bundles=true';
        const response = await fetch(`${this.url}${health}`, {
          signal: AbortSignal.timeout(1000),
        });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(
      `opa run did not become healthy within 30 s: ${this.output.trim()}`,
    );
  }
}

/**
 * The Paved repository root: the nearest folder with `policies/catalog`,
 * from `from` (default: the working directory, which is a package folder of
 * the repository when its tests run) upwards.
 */
export function repositoryRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'policies', 'catalog'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no policies/ folder above ${from}`);
    dir = parent;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
