import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';

// Running the generated projects' own test suites with their real tools:
// finding the tools (a missing one fails the test, it is never skipped),
// running commands with a timeout, and reading how many tests a suite ran.

/** A tool a golden path's own tests need, and how to get it. */
export interface ToolSpec {
  /** Command name looked up on PATH. */
  name: string;
  /** Environment variable with the binary's path, tried before PATH (e.g. PAVED_OPA_BIN). */
  env?: string;
  /** Where the tool comes from; printed when it is missing. */
  hint: string;
}

/** The absolute path of a tool; throws with the hint when it is missing. */
export function requireTool(tool: ToolSpec): string {
  const fromEnv = tool.env ? process.env[tool.env] : undefined;
  if (fromEnv) {
    const found = isAbsolute(fromEnv)
      ? existsSync(fromEnv) && fromEnv
      : onPath(fromEnv);
    if (!found) {
      throw new Error(`${tool.env}=${fromEnv} does not exist: ${tool.hint}`);
    }
    return found;
  }
  const found = onPath(tool.name);
  if (!found) {
    throw new Error(
      `${tool.name} is not on PATH${
        tool.env ? ` and ${tool.env} is not set` : ''
      }: ${tool.hint}`,
    );
  }
  return found;
}

function onPath(name: string): string | undefined {
  const result = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** One command of a golden path's own tests. */
export interface Command {
  command: string;
  args: string[];
  /** Added to the test process's environment. */
  env?: Record<string, string>;
  /** Working directory, default the clone. */
  cwd?: string;
  /** Default 10 minutes: cold dependency downloads and builds on a busy machine. */
  timeoutMs?: number;
}

export interface CommandResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
  stdout: string;
  durationMs: number;
  timedOut: boolean;
}

/** Runs a command without blocking the event loop; never rejects on a non-zero exit. */
export function runCommand(
  cmd: Command,
  defaultCwd: string,
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(cmd.command, cmd.args, {
      cwd: cmd.cwd ?? defaultCwd,
      env: { ...process.env, ...cmd.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    let timedOut = false;
    child.stdout.on('data', d => {
      output += d;
      stdout += d;
    });
    child.stderr.on('data', d => (output += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, cmd.timeoutMs ?? 600_000);
    child.once('error', error => {
      clearTimeout(timer);
      fail(
        new Error(`could not run ${cmd.command}: ${(error as Error).message}`),
      );
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      done({
        status,
        signal,
        output,
        stdout,
        durationMs: Date.now() - started,
        timedOut,
      });
    });
  });
}

/** The command line as a person would type it (for messages and the table). */
export function commandLine(cmd: Command): string {
  return [cmd.command, ...cmd.args]
    .map(a =>
      /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`,
    )
    .join(' ');
}

function sumOf(output: string, pattern: RegExp): number | undefined {
  const matches = [...output.matchAll(pattern)];
  if (matches.length === 0) return undefined;
  return matches.reduce((sum, m) => sum + Number(m[1]), 0);
}

function lastOf(output: string, pattern: RegExp): number | undefined {
  const matches = [...output.matchAll(pattern)];
  return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
}

/** How many tests a suite ran, from its own summary; undefined when it printed none. */
export const testCounters = {
  /** The summary line, e.g. `16 passed, 1 warning in 1.53s`. */
  pytest: (output: string) => lastOf(output, /\b(\d+) passed\b/g),
  /** One `--- PASS: TestName` line per test and subtest (go test -v). */
  goTest: (output: string) => output.match(/^\s*--- PASS: /gm)?.length,
  /** `test result: ok. 3 passed; 0 failed; ...` per test binary (unit tests, doc tests). */
  cargo: (output: string) => sumOf(output, /^test result: ok\. (\d+) passed/gm),
  /** `PASS: 5/5` (opa test). */
  opa: (output: string) => lastOf(output, /^PASS: (\d+)\/\d+$/gm),
  /** `# pass 4` / `ℹ pass 4` (node --test, TAP or spec reporter). */
  nodeTest: (output: string) => lastOf(output, /^(?:#|ℹ) pass (\d+)$/gm),
};

/** One row of the table printed at the end of template CI. */
export interface OwnTestsRow {
  goldenPath: string;
  command: string;
  setupSeconds: string;
  testSeconds: string;
  tests: number | string;
}

/** A Markdown table, so the closing report can quote it as it is. */
export function markdownTable(rows: OwnTestsRow[]): string {
  const header = [
    'golden path',
    'own test command',
    'set-up + checks (s)',
    'tests (s)',
    'tests',
  ];
  const lines = rows.map(r => [
    r.goldenPath,
    `\`${r.command}\``,
    r.setupSeconds,
    r.testSeconds,
    String(r.tests),
  ]);
  return [header, header.map(() => '---'), ...lines]
    .map(cells => `| ${cells.join(' | ')} |`)
    .join('\n');
}
