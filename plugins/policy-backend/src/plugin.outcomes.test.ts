import { Entity } from '@backstage/catalog-model';
import { SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';

jest.setTimeout(60_000);

const ENTRYPOINT = 'paved/catalog/violations';

const component = (name: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

describe('policy outcomes that are neither pass nor fail', () => {
  const opa = new SimulatedOpaServer();
  const entities = {
    current: [
      component('normal'),
      component('opted-out', { 'paved.dev/policy-skip': 'true' }),
      component('odd'),
      ...Array.from({ length: 8 }, (_, i) => component(`more-${i}`)),
    ],
  };
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  beforeAll(async () => {
    await opa.start();
    opa.setDecision(ENTRYPOINT, (input: any) => {
      const name = input.entity.metadata.name;
      // A rule that returns an object instead of a set of violations.
      if (name === 'odd') return { violations: [] };
      return [];
    });
    env = await startPolicyBackend({ opa: { baseUrl: opa.url, timeoutMs: 500, retries: 0 }, entities });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await opa.stop();
  });

  const findings = async (name: string) =>
    (await request(env.server).get(`/api/policy/entities/component/default/${name}/findings`)).body;

  it('never sends opted-out entities to OPA and says why they are unknown', async () => {
    await env.run();
    expect(opa.calls.data[ENTRYPOINT]).toBe(entities.current.length - 1);
    expect((await findings('opted-out')).compliance).toMatchObject({ status: 'unknown', reason: 'skipped' });
    expect((await findings('normal')).compliance.status).toBe('passing');
  });

  it('reports a result of the wrong shape as invalid, not as passing', async () => {
    expect((await findings('odd')).compliance).toMatchObject({
      status: 'unknown',
      reason: 'invalid-result',
      reasonMessage: expect.stringContaining('expected a set of violation objects'),
    });
  });

  it('stops a run after five failures in a row and keeps the rest of the stored results', async () => {
    // A new revision makes every entity due; every decision then fails.
    opa.setRevision('rev-broken');
    opa.setError(ENTRYPOINT, { status: 500, code: 'internal_error', message: 'simulated evaluation failure' });
    opa.resetCalls();
    await env.run();
    const health = (await request(env.server).get('/api/policy/health')).body;
    expect(health.lastRun.errorMessages[0]).toMatch(/run stopped after 5 errors in a row/);
    expect(health.lastRun.errors).toBeGreaterThanOrEqual(5);
    const normal = await findings('normal');
    expect(normal.compliance.status).toBe('passing');
    expect(normal.stale.error).toMatch(/internal_error|run stopped/);
  });

  it('forgets entities that left the catalog', async () => {
    opa.setDecision(ENTRYPOINT, () => []);
    entities.current = entities.current.filter(e => e.metadata.name !== 'normal');
    await env.run();
    const list = (await request(env.server).get('/api/policy/compliance?limit=100')).body;
    expect(list.items.map((i: any) => i.name)).not.toContain('normal');
    expect(list.totalCount).toBe(entities.current.length);
  });
});
