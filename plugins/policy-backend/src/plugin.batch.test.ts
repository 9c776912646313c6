import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  LocalOpaServer,
  repositoryRoot,
} from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';
import { scaledMs } from '@paved/test-timing';
import { decidedEntityNames } from './__testUtils__/decisionLog';

jest.setTimeout(scaledMs(90_000));

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    description: `The ${name} service`,
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'team-a',
    system: 'shop',
  },
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop', namespace: 'default', description: 'Shop' },
    spec: { owner: 'team-a' },
  },
  component('alpha'),
  component('boom'),
  component('gamma'),
];

// A test-only rule that makes OPA fail to evaluate one entity: two values
// for one complete rule (eval_conflict_error, OPA answers 500).
const CONFLICT_REGO = `package paved.catalog

import rego.v1

boom_value := 1 if input.entity.metadata.name == "boom"

boom_value := 2 if input.entity.metadata.name == "boom"

violations contains v if {
	boom_value == 3
	v := {"id": "never", "level": "info", "message": "never"}
}
`;

describe('batched evaluation against a real OPA', () => {
  const extra = mkdtempSync(join(tmpdir(), 'paved-conflict-'));
  let opa: LocalOpaServer;
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  beforeAll(async () => {
    writeFileSync(join(extra, 'conflict.rego'), CONFLICT_REGO);
    opa = new LocalOpaServer({
      bundleDirs: [join(repositoryRoot(), 'policies'), extra],
    });
    await opa.start();
    env = await startPolicyBackend({
      opa: { baseUrl: opa.url, timeoutMs: 5000, retries: 0 },
      entities: { current: entities },
      policy: { batchSize: 2, catalog: { concurrency: 1 } },
    });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await opa?.stop();
    rmSync(extra, { recursive: true, force: true });
  });

  const findings = async (name: string) =>
    (
      await request(env.server).get(
        `/api/policy/entities/component/default/${name}/findings`,
      )
    ).body;

  it('asks for several entities per query, and only the entity OPA cannot evaluate fails', async () => {
    opa.resetDecisions();
    await env.run();
    const decisions = await opa.decisions();
    // 5 entities in batches of 2: 3 batch queries. The batch holding boom
    // fails as a whole (500), so its two entities are asked one by one.
    const batches = decisions.filter(d => d.path === 'paved/catalog/batch');
    expect(batches).toHaveLength(3);
    expect(
      batches.map(b => Object.keys((b.input as any).items).length).sort(),
    ).toEqual([1, 2, 2]);
    const failedBatch = batches.filter(b => b.result === undefined);
    expect(failedBatch).toHaveLength(1);
    const failedNames = Object.values((failedBatch[0].input as any).items).map(
      (item: any) => item.entity.metadata.name,
    );
    expect(failedNames).toContain('boom');
    const singles = decisions.filter(
      d => d.path === 'paved/catalog/violations',
    );
    expect(
      singles.map(d => (d.input as any).entity.metadata.name).sort(),
    ).toEqual(failedNames.sort());
    expect(decidedEntityNames(decisions)).toEqual(
      expect.arrayContaining(['alpha', 'gamma', 'shop', 'team-a']),
    );

    expect((await findings('alpha')).compliance.status).toBe('passing');
    expect((await findings('gamma')).compliance.status).toBe('passing');
    const boom = await findings('boom');
    expect(boom.compliance).toMatchObject({
      status: 'unknown',
      reason: 'engine-error',
    });
    expect(boom.stale.error).toMatch(/500 internal_error.*eval_conflict_error/);
    const health = (await request(env.server).get('/api/policy/health')).body;
    expect(health.lastRun).toMatchObject({
      entities: 5,
      evaluated: 4,
      errors: 1,
    });
    expect(health.lastRun.errorMessages).toEqual([
      expect.stringMatching(/^component:default\/boom: .*eval_conflict_error/),
    ]);
  });
});
