// The whole "re-evaluated after catalog changes" chain on the real backend:
// the catalog reprocesses a changed file, Paved's catalog module announces
// the change, and the policy backend re-evaluates that entity within seconds
// (the scheduled run is 30 minutes away). Decisions come from a REAL OPA
// (PAVED_OPA_BIN, else `opa` on PATH) serving the repository's policies/ as
// a bundle named `paved` behind a token, as deployed (deploy/opa/).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import {
  startBackend,
  errorLines,
  repoRoot,
  type BackendProcess,
} from './backendProcess.ts';
import { waitFor } from '@paved/test-timing';

const OPA_TOKEN = 'paved-integration-opa-token';
const OPA_REVISION = `integration-${process.pid}`;

function probeEntity(lifecycle: string) {
  return stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'policy-chain-probe',
      description: 'Changed by the policy integration test',
      annotations: { 'backstage.io/kubernetes-id': 'policy-chain-probe' },
    },
    spec: {
      type: 'service',
      lifecycle,
      owner: 'group:default/team-commerce',
      system: 'commerce',
    },
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        done(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

/**
 * The real `opa` binary, as LocalOpaServer (@paved/plugin-policy-node/testUtils,
 * not importable here: it uses __dirname) and the cluster run it: a bundle
 * `paved` built by `opa build` from policies/ (tests left out) with
 * deploy/opa/authz, token authentication.
 */
async function startOpa(
  workDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const opaBin = process.env.PAVED_OPA_BIN ?? 'opa';
  const bundle = join(workDir, 'bundle.tar.gz');
  await promisify(execFile)(
    opaBin,
    [
      'build',
      join(repoRoot, 'policies'),
      join(repoRoot, 'deploy/opa/authz'),
      '--ignore',
      '*_test.rego',
      '--revision',
      OPA_REVISION,
      '--output',
      bundle,
    ],
    { timeout: 120_000 },
  );
  const configFile = join(workDir, 'opa-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      bundles: { paved: { resource: pathToFileURL(bundle).href } },
    }),
  );
  const port = await freePort();
  const child = spawn(
    opaBin,
    [
      'run',
      '--server',
      `--addr=127.0.0.1:${port}`,
      '--disable-telemetry',
      '--log-level=error',
      `--config-file=${configFile}`,
      '--authentication=token',
      '--authorization=basic',
    ],
    { env: { ...process.env, PAVED_OPA_TOKEN: OPA_TOKEN }, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('OPA serving the bundle', async () => {
    if (child.exitCode !== null)
      throw new Error(`opa run exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health?bundles=true`, {
        signal: AbortSignal.timeout(1000),
      });
      return res.ok ? true : undefined;
    } catch {
      return undefined;
    }
  });
  return { url, child };
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
    const res = await api(
      '/api/policy/entities/component/default/policy-chain-probe/findings',
    );
    return res.status === 200 ? ((await res.json()) as any) : undefined;
  };

  before(async () => {
    let opaUrl: string;
    ({ url: opaUrl, child: opa } = await startOpa(workDir));

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
          opa: { baseUrl: opaUrl, token: OPA_TOKEN },
          // One scheduled run once the catalog is in; the next is 30 minutes away.
          schedule: {
            frequency: { minutes: 30 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 20 },
          },
          catalogChanges: { debounceMs: 2000 },
        },
      }),
    );
    backend = await startBackend({
      port: 7104,
      config: {},
      configFiles: [configFile],
    });
  });

  after(async () => {
    await backend?.stop();
    opa?.kill('SIGTERM');
    rmSync(workDir, { recursive: true, force: true });
  });

  it('re-evaluates a changed entity within seconds, without a scheduled run', async () => {
    let seen: unknown;
    const passing = await waitFor(
      'first evaluation of the probe by the scheduled run',
      async () => {
        const body = await findings();
        seen = body ?? seen;
        return body?.compliance?.status === 'passing' ? body : undefined;
      },
      { timeoutMs: 120_000 },
    ).catch(error => {
      throw new Error(`${error.message}; last answer: ${JSON.stringify(seen)}`);
    });
    assert.ok(!passing.engine.simulated, 'a real OPA, not the simulated one');
    assert.equal(passing.policyRevision, `paved@${OPA_REVISION}`);
    // Results are stored while the run goes on; wait until it is recorded.
    const runBefore = await waitFor('the scheduled run recorded', async () => {
      const { lastRun } = (await (
        await api('/api/policy/health')
      ).json()) as any;
      return lastRun?.finishedAt ? lastRun : undefined;
    });

    const changedAt = Date.now();
    writeFileSync(entityFile, probeEntity('bogus'));
    const failing = await waitFor(
      're-evaluation after the change',
      async () => {
        const body = await findings();
        return body?.compliance?.status === 'failing' ? body : undefined;
      },
    );
    const seconds = (Date.now() - changedAt) / 1000;
    // The shipped rule's finding, with the text of its METADATA.
    const lifecycle = failing.findings.find(
      (f: any) => f.id === 'lifecycle-valid',
    );
    assert.deepEqual(
      {
        level: lifecycle?.level,
        message: lifecycle?.message,
        remediation: lifecycle?.remediation,
        docsUrl: lifecycle?.docsUrl,
        policyRevision: lifecycle?.policyRevision,
      },
      {
        level: 'error',
        message:
          'spec.lifecycle bogus is not one of experimental, production, deprecated',
        remediation:
          'Set spec.lifecycle to experimental, production or deprecated.',
        docsUrl:
          'https://backstage.io/docs/features/software-catalog/descriptor-format#speclifecycle-required',
        policyRevision: `paved@${OPA_REVISION}`,
      },
    );
    const runAfter = ((await (await api('/api/policy/health')).json()) as any)
      .lastRun;
    assert.equal(
      runAfter.id ?? runAfter.startedAt,
      runBefore.id ?? runBefore.startedAt,
      'no scheduled run did it',
    );
    // eslint-disable-next-line no-console
    console.log(`re-evaluated ${seconds.toFixed(1)} s after the file changed`);
    assert.deepEqual(errorLines(backend.logLines), []);
  });
});
