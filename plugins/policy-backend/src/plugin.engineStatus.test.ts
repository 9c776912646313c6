import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  LocalOpaServer,
  repositoryRoot,
} from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import {
  startPolicyBackend,
  unusedPort,
} from './__testUtils__/policyTestBackend';
import { waitFor, scaledMs } from '@paved/test-timing';

// A real OPA that polls a bundle service and reports its status to the
// policy backend (OPA's status API), as OPA does in a cluster.
jest.setTimeout(scaledMs(120_000));

const legacy: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'legacy', namespace: 'default', description: 'Old' },
  spec: { type: 'service', lifecycle: 'production', owner: 'ghost-team' },
};

describe('OPA bundle errors reported through its status API', () => {
  const policies = mkdtempSync(join(tmpdir(), 'paved-policies-'));
  const brokenFile = join(policies, 'catalog/typo.rego');
  let opa: LocalOpaServer;
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  const health = async () =>
    (await request(env.server).get('/api/policy/health')).body;
  /** A file of the catalog package with a typo on line 5. */
  const breakCatalog = () =>
    writeFileSync(
      brokenFile,
      'package paved.catalog\n\nimport rego.v1\n\ngreeting := "hello" "world"\n',
    );

  beforeAll(async () => {
    cpSync(join(repositoryRoot(), 'policies'), policies, { recursive: true });
    breakCatalog();
    const opaPort = await unusedPort();
    env = await startPolicyBackend({
      opa: {
        baseUrl: `http://127.0.0.1:${opaPort}`,
        timeoutMs: 5000,
        retries: 0,
      },
      entities: { current: [legacy] },
    });
    const { port } = env.server.address() as AddressInfo;
    opa = new LocalOpaServer({
      port: opaPort,
      watch: true,
      bundleDirs: [policies],
      revision: 'commit-1',
      status: {
        url: `http://127.0.0.1:${port}/api/policy/engine`,
        token: mockCredentials.service.token(),
      },
    });
    // OPA starts although its only bundle does not compile.
    await opa.start();
  });

  afterAll(async () => {
    await opa?.stop();
    await env?.backend.stop();
    rmSync(policies, { recursive: true, force: true });
  });

  it('shows the compile error with file and line, and evaluates nothing', async () => {
    const body = await waitFor('a bundle error in /health', async () => {
      const h = await health();
      return h.engine.bundleErrors?.length ? h : undefined;
    });
    expect(body.engine.bundleErrors[0]).toMatchObject({
      bundle: 'paved',
      message: expect.stringContaining('compiling'),
      problems: expect.arrayContaining([
        expect.objectContaining({
          code: 'rego_parse_error',
          file: 'catalog/typo.rego',
          row: 5,
        }),
      ]),
      instance: expect.any(String),
    });
    expect(body.engine.bundleErrors[0].activeRevision).toBeUndefined();

    await env.run();
    const after = await health();
    expect(after.lastRun.errorMessages[0]).toMatch(
      /OPA has not activated its policy bundles/,
    );
    const findings = (
      await request(env.server).get(
        '/api/policy/entities/component/default/legacy/findings',
      )
    ).body;
    // Nothing was decided: not passing, and the same errors on the entity's own views.
    expect(findings.compliance).toMatchObject({
      status: 'unknown',
      reason: 'not-evaluated',
    });
    expect(findings.engine.bundleErrors[0].problems[0]).toMatchObject({
      file: 'catalog/typo.rego',
      row: 5,
    });
  });

  it('evaluates once the file is fixed, and keeps serving that revision when the next edit breaks', async () => {
    rmSync(brokenFile);
    const fixedRevision = await opa.currentRevision();
    await waitFor('the fixed bundle to be active', async () => {
      const h = await health();
      return !h.engine.bundleErrors &&
        h.engine.activeRevision === `paved@${fixedRevision}`
        ? h
        : undefined;
    });
    await env.run();
    const findings = (
      await request(env.server).get(
        '/api/policy/entities/component/default/legacy/findings',
      )
    ).body;
    expect(findings.compliance.status).toBe('failing');
    expect(findings.findings.map((f: any) => f.id)).toContain(
      'owner-resolvable',
    );

    breakCatalog();
    const broken = await waitFor('the new bundle error', async () => {
      const h = await health();
      return h.engine.bundleErrors?.length ? h : undefined;
    });
    // OPA keeps the last bundle it activated and says which.
    expect(broken.engine.bundleErrors[0].activeRevision).toBe(fixedRevision);
    expect(broken.engine.activeRevision).toBe(`paved@${fixedRevision}`);
    await env.run();
    const still = (
      await request(env.server).get(
        '/api/policy/entities/component/default/legacy/findings',
      )
    ).body;
    expect(still.compliance.status).toBe('failing');
    expect(still.stale).toBeUndefined();
    expect(still.engine.bundleErrors[0].problems[0]).toMatchObject({
      file: 'catalog/typo.rego',
      row: 5,
    });
  });

  it('accepts status reports from services only', async () => {
    const report = {
      labels: { id: 'someone' },
      bundles: {
        paved: { name: 'paved', code: 'bundle_error', message: 'fake' },
      },
    };
    const none = await request(env.server)
      .post('/api/policy/engine/status')
      .set('authorization', mockCredentials.none.header())
      .send(report);
    expect(none.status).toBe(401);
    const user = await request(env.server)
      .post('/api/policy/engine/status')
      .set('authorization', mockCredentials.user.header())
      .send(report);
    expect(user.status).toBe(403);
    const malformed = await request(env.server)
      .post('/api/policy/engine/status')
      .set('authorization', mockCredentials.service.header())
      .send({ bundles: [] });
    expect(malformed.status).toBe(400);
    expect(
      (await health()).engine.bundleErrors?.some(
        (e: any) => e.instance === 'someone',
      ),
    ).not.toBe(true);
  });
});
