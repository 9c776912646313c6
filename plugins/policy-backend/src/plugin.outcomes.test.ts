import { Entity } from '@backstage/catalog-model';
import {
  LocalOpaServer,
  SIMULATED_UNDEFINED_RESULT,
  SimulatedOpaServer,
} from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';
import { decidedEntityNames } from './__testUtils__/decisionLog';
import { scaledMs } from '@paved/test-timing';

jest.setTimeout(scaledMs(90_000));

const component = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    description: `The ${name} service`,
    annotations: { 'backstage.io/kubernetes-id': name, ...annotations },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'team-a',
    system: 'shop',
  },
});

const organisation: Entity[] = [
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
];

describe('policy outcomes that are neither pass nor fail (real OPA)', () => {
  const opa = new LocalOpaServer({ revision: 'rev-1' });
  // Stands in front of the real OPA to make it fail on demand.
  const faults = new SimulatedOpaServer();
  const entities = {
    current: [
      ...organisation,
      component('normal'),
      component('opted-out', { 'paved.dev/policy-skip': 'true' }),
      ...Array.from({ length: 8 }, (_, i) => component(`more-${i}`)),
    ],
  };
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  beforeAll(async () => {
    await opa.start();
    faults.setUpstream(opa.url);
    await faults.start();
    env = await startPolicyBackend({
      opa: { baseUrl: faults.url, timeoutMs: 5000, retries: 0 },
      entities,
      // Small batches, so a run has several slices.
      policy: { batchSize: 3 },
    });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await faults.stop();
    await opa.stop();
  });

  const findings = async (name: string) =>
    (
      await request(env.server).get(
        `/api/policy/entities/component/default/${name}/findings`,
      )
    ).body;

  it('never sends opted-out entities to OPA and says why they are unknown', async () => {
    opa.resetDecisions();
    await env.run();
    const decided = decidedEntityNames(await opa.decisions());
    expect(decided).toHaveLength(entities.current.length - 1);
    expect(decided).not.toContain('opted-out');
    expect((await findings('opted-out')).compliance).toMatchObject({
      status: 'unknown',
      reason: 'skipped',
    });
    expect((await findings('normal')).compliance.status).toBe('passing');
  });

  it('stops a run when OPA fails every query, and keeps the stored results marked stale', async () => {
    // A new revision makes every entity due; then every decision fails.
    await opa.setRevision('rev-broken');
    const failure = {
      status: 500,
      code: 'internal_error',
      message: 'simulated evaluation failure',
    };
    faults.setError('paved/catalog/batch', failure);
    faults.setError('paved/catalog/violations', failure);
    try {
      await env.run();
      const health = (await request(env.server).get('/api/policy/health')).body;
      expect(health.lastRun.errorMessages[0]).toMatch(
        /policy engine failing, run stopped: .*internal_error/,
      );
      const normal = await findings('normal');
      expect(normal.compliance.status).toBe('passing');
      expect(normal.stale.error).toMatch(/internal_error|run stopped/);
    } finally {
      faults.clearErrors();
    }
  });

  it('forgets entities that left the catalog', async () => {
    entities.current = entities.current.filter(
      e => e.metadata.name !== 'normal',
    );
    await env.run();
    const list = (
      await request(env.server).get('/api/policy/compliance?limit=100')
    ).body;
    expect(list.items.map((i: any) => i.name)).not.toContain('normal');
    expect(list.totalCount).toBe(entities.current.length);
  });
});

describe('answers of the wrong shape (SIMULATED OPA: a real bundle cannot be made to give them)', () => {
  const opa = new SimulatedOpaServer();
  const entities = {
    current: [component('odd'), component('missing'), component('single')],
  };
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  beforeAll(async () => {
    await opa.start();
    env = await startPolicyBackend({
      opa: { baseUrl: opa.url, timeoutMs: scaledMs(10_000), retries: 0 },
      entities,
    });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await opa.stop();
  });

  const compliance = async (name: string) =>
    (
      await request(env.server).get(
        `/api/policy/entities/component/default/${name}/findings`,
      )
    ).body.compliance;

  it('reports a batch answer that is not one set per item as invalid, not as passing', async () => {
    opa.setDecision('paved/catalog/batch', () => ({
      'component:default/odd': { violations: [] },
      'component:default/single': [{ id: 'x' }],
    }));
    await env.run();
    expect(await compliance('odd')).toMatchObject({
      status: 'unknown',
      reason: 'invalid-result',
      reasonMessage: expect.stringContaining(
        'expected a set of violation objects',
      ),
    });
    expect(await compliance('missing')).toMatchObject({
      status: 'unknown',
      reason: 'invalid-result',
      reasonMessage: expect.stringContaining('no entry for this item'),
    });
    expect(await compliance('single')).toMatchObject({
      status: 'unknown',
      reason: 'invalid-result',
      reasonMessage: expect.stringContaining('malformed violation'),
    });
  });

  it("reports the policies' own refusal of a batch with their message", async () => {
    opa.setDecision('paved/catalog/batch', () => ({
      $batch: [
        {
          id: 'invalid-input',
          level: 'error',
          message:
            'input.items is a string, expected an object of items by key',
        },
      ],
    }));
    opa.setRevision('rev-refused');
    await env.run();
    expect(await compliance('odd')).toMatchObject({
      status: 'unknown',
      reason: 'invalid-result',
      reasonMessage:
        'paved/catalog/batch refused the batch: input.items is a string, expected an object of items by key',
    });
  });

  it('asks the single-item entry point when there is no batch entry point, and checks its shape too', async () => {
    opa.setDecision('paved/catalog/batch', () => SIMULATED_UNDEFINED_RESULT);
    opa.setDecision('paved/catalog/violations', () => ({ violations: [] }));
    opa.setRevision('rev-2');
    opa.resetCalls();
    await env.run();
    expect(opa.calls.data['paved/catalog/batch']).toBe(1);
    expect(opa.calls.data['paved/catalog/violations']).toBe(3);
    expect(await compliance('odd')).toMatchObject({
      status: 'unknown',
      reason: 'invalid-result',
    });
  });
});
