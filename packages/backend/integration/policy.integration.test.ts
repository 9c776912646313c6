// The whole "re-evaluated after catalog changes" chain on the real backend:
// the catalog reprocesses a changed file, Paved's catalog module announces
// the change, and the policy backend re-evaluates that entity within seconds
// (the scheduled run is 30 minutes away). Decisions come from Paved's
// SIMULATED OPA server (scripts/e2e-simulated-opa.ts), declared as such.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startBackend, errorLines, repoRoot, type BackendProcess } from './backendProcess.ts';

const OPA_PORT = 7482;
const OPA_TOKEN = 'paved-integration-opa-token';

function probeEntity(lifecycle: string) {
  return stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'policy-chain-probe', description: 'Changed by the policy integration test' },
    spec: { type: 'service', lifecycle, owner: 'group:default/team-commerce', system: 'commerce' },
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

describe('policy re-evaluation after a catalog change, on the real backend', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'paved-policy-it-'));
  const entityFile = join(workDir, 'probe.yaml');
  let opa: ChildProcess;
  let backend: BackendProcess;

  const api = (path: string) =>
    fetch(`${backend.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${backend.token}` },
      signal: AbortSignal.timeout(15_000),
    });
  const findings = async () => {
    const res = await api('/api/policy/entities/component/default/policy-chain-probe/findings');
    return res.status === 200 ? ((await res.json()) as any) : undefined;
  };

  before(async () => {
    opa = spawn(process.execPath, ['-r', 'sucrase/register', join(repoRoot, 'scripts/e2e-simulated-opa.ts')], {
      cwd: repoRoot,
      env: { ...process.env, PAVED_E2E_OPA_PORT: String(OPA_PORT), PAVED_E2E_OPA_TOKEN: OPA_TOKEN },
      stdio: 'ignore',
    });
    await waitFor(
      'simulated OPA listening',
      async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${OPA_PORT}/health`, {
            headers: { authorization: `Bearer ${OPA_TOKEN}` },
            signal: AbortSignal.timeout(1000),
          });
          return res.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      30_000,
    );

    writeFileSync(entityFile, probeEntity('experimental'));
    const configFile = join(workDir, 'app-config.policy.yaml');
    writeFileSync(
      configFile,
      stringify({
        catalog: {
          processingInterval: { seconds: 2 },
          locations: [
            { type: 'file', target: join(repoRoot, 'catalog-info.yaml') },
            { type: 'file', target: entityFile },
          ],
        },
        policy: {
          opa: { baseUrl: `http://127.0.0.1:${OPA_PORT}`, token: OPA_TOKEN, simulated: true },
          // One scheduled run once the catalog is in; the next is 30 minutes away.
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 }, initialDelay: { seconds: 20 } },
          catalogChanges: { debounceMs: 2000 },
        },
      }),
    );
    backend = await startBackend({ port: 7104, config: {}, configFiles: [configFile] });
  });

  after(async () => {
    await backend?.stop();
    opa?.kill('SIGTERM');
    rmSync(workDir, { recursive: true, force: true });
  });

  it('re-evaluates a changed entity within seconds, without a scheduled run', async () => {
    const passing = await waitFor(
      'first evaluation of the probe by the scheduled run',
      async () => {
        const body = await findings();
        return body?.compliance?.status === 'passing' ? body : undefined;
      },
      120_000,
    );
    assert.equal(passing.engine.simulated, true);
    // Results are stored while the run goes on; wait until it is recorded.
    const runBefore = await waitFor(
      'the scheduled run recorded',
      async () => {
        const { lastRun } = (await (await api('/api/policy/health')).json()) as any;
        return lastRun?.finishedAt ? lastRun : undefined;
      },
      60_000,
    );

    const changedAt = Date.now();
    writeFileSync(entityFile, probeEntity('bogus'));
    const failing = await waitFor(
      're-evaluation after the change',
      async () => {
        const body = await findings();
        return body?.compliance?.status === 'failing' ? body : undefined;
      },
      60_000,
    );
    const seconds = (Date.now() - changedAt) / 1000;
    assert.deepEqual(
      failing.findings.map((f: any) => [f.id, f.level]),
      [['lifecycle-valid', 'error']],
    );
    const runAfter = ((await (await api('/api/policy/health')).json()) as any).lastRun;
    assert.equal(runAfter.id ?? runAfter.startedAt, runBefore.id ?? runBefore.startedAt, 'no scheduled run did it');
    // eslint-disable-next-line no-console
    console.log(`re-evaluated ${seconds.toFixed(1)} s after the file changed`);
    assert.deepEqual(errorLines(backend.logLines), []);
  });
});
