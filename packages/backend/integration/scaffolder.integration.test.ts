// Runs a golden-path template on the real backend (no git server): the task
// publishes a git repository under the data directory, and the catalog shows
// the new component within seconds.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startBackend,
  errorLines,
  type BackendProcess,
} from './backendProcess.ts';

describe('golden path on the real backend', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'paved-scaffolder-'));
  let backend: BackendProcess;
  let userToken: string;

  const call = (path: string, init: RequestInit = {}, token = userToken) =>
    fetch(`${backend.baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
      signal: AbortSignal.timeout(15_000),
    });

  before(async () => {
    backend = await startBackend({
      port: 7103,
      config: {},
      env: { PAVED_DATA_DIR: dataDir },
    });
    // Guest sign-in, as in the browser: user:default/guest.
    const refresh = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(refresh.status, 200);
    userToken = (
      (await refresh.json()) as { backstageIdentity: { token: string } }
    ).backstageIdentity.token;
    // The template must be in the catalog before it can run.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const res = await call(
        '/api/catalog/entities/by-name/template/default/python-llm-api',
        {},
        backend.token,
      );
      if (res.status === 200) return;
      await new Promise(r => setTimeout(r, 1000));
    }
    assert.fail('template python-llm-api never appeared in the catalog');
  });
  after(async () => {
    await backend?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes a clonable repository and the component appears in the catalog within seconds', async () => {
    const created = await call('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/python-llm-api',
        values: {
          name: 'it-analyzer',
          owner: 'group:default/team-commerce',
          system: 'system:default/commerce',
          lifecycle: 'experimental',
          model: 'gpt-4o-mini',
          endpoint: 'http://llm-gateway.platform.svc.cluster.local:8080/v1',
        },
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };

    const started = Date.now();
    let status = 'open';
    while (
      !['completed', 'failed', 'cancelled'].includes(status) &&
      Date.now() - started < 60_000
    ) {
      await new Promise(r => setTimeout(r, 250));
      status = (
        (await (await call(`/api/scaffolder/v2/tasks/${id}`)).json()) as {
          status: string;
        }
      ).status;
    }
    const completedAt = Date.now();
    assert.equal(status, 'completed');

    const repo = join(dataDir, 'repositories', 'it-analyzer');
    const clone = join(dataDir, 'clone');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    // Author from the signed-in user's catalog profile (catalog/org.yaml).
    assert.equal(
      execFileSync('git', ['log', '--format=%an <%ae>|%D', '-1'], {
        cwd: clone,
        encoding: 'utf8',
      }).trim(),
      'Guest (local sign-in) <guest@example.com>|HEAD -> main, origin/main, origin/HEAD',
    );
    assert.ok(existsSync(join(clone, 'kubernetes/deployment.yaml')));

    let entity:
      | { metadata: { annotations: Record<string, string> } }
      | undefined;
    while (!entity && Date.now() - completedAt < 20_000) {
      const res = await call(
        '/api/catalog/entities/by-name/component/default/it-analyzer',
        {},
        backend.token,
      );
      if (res.status === 200) entity = (await res.json()) as typeof entity;
      else await new Promise(r => setTimeout(r, 250));
    }
    assert.ok(
      entity,
      'component:default/it-analyzer did not appear within 20 s of the task',
    );
    assert.equal(
      entity.metadata.annotations['paved.dev/template'],
      'python-llm-api',
    );
    process.stdout.write(
      `# component in catalog ${
        Date.now() - completedAt
      } ms after the task completed\n`,
    );
  });

  it('logged no error line', () => {
    assert.deepEqual(errorLines(backend.logLines), []);
  });
});
