import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { SIMULATED_UNDEFINED_RESULT, SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { POLICY_CATALOG_TASK_ID } from './plugin';
import { MALLORY, startPolicyBackend, unusedPort } from './__testUtils__/policyTestBackend';

jest.setTimeout(60_000);

const TOKEN = 'opa-token';
const ENTRYPOINT = 'paved/catalog/violations';

const component = (name: string, spec: Record<string, unknown>, extra: Partial<Entity['metadata']> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', ...extra },
  spec: { type: 'service', lifecycle: 'production', ...spec },
});

function initialEntities(): Entity[] {
  return [
    { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a', namespace: 'default' }, spec: { type: 'team', children: [] } },
    { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'shop', namespace: 'default' }, spec: { owner: 'team-a' } },
    component('orders', { owner: 'team-a', system: 'shop' }),
    component('legacy', { owner: 'ghost-team' }),
    component('lab', { owner: 'team-a', system: 'shop', lifecycle: 'experimental' }),
  ];
}

/** The SIMULATED catalog rules: functions of the input, standing in for Rego. */
function simulatedCatalogRules(input: any) {
  const violations: object[] = [];
  if (input.entity.kind !== 'Component') return violations;
  if (!input.owner) {
    violations.push({ id: 'owner-resolvable', level: 'warning', message: `owner ${input.entity.spec.owner} not in the catalog`, remediation: 'name an existing group' });
  }
  if (!input.system) violations.push({ id: 'system-set', level: 'error', message: 'no system', docsUrl: 'https://docs.example/system' });
  if (input.entity.spec.lifecycle === 'experimental') violations.push({ id: 'lifecycle-experimental', level: 'info', message: 'experimental' });
  return violations;
}

const CATALOG_MODULE = `# METADATA
# title: Catalog rules
package paved.catalog

import rego.v1

# METADATA
# title: System is set
violations contains v if {
	not input.system
	v := {"id": "system-set", "level": "error", "message": "no system"}
}

# METADATA
# title: Owner resolves
# description: The owner is a group in the catalog.
violations contains v if {
	not input.owner
	v := {"id": "owner-resolvable", "level": "warning", "message": "owner unknown"}
}
`;

describe('policy backend against the SIMULATED OPA server over HTTP', () => {
  const opa = new SimulatedOpaServer({ token: TOKEN });
  const entities = { current: initialEntities() };
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;
  const inputs = new Map<string, any>();

  beforeAll(async () => {
    await opa.start();
    opa.setRevision('rev-1');
    opa.setPolicies([{ id: 'policies/catalog.rego', raw: CATALOG_MODULE }]);
    opa.setDecision(ENTRYPOINT, (input: any) => {
      inputs.set(input.entity.metadata.name, input);
      return simulatedCatalogRules(input);
    });
    // A timeout far above a loaded CI machine's latency, and a slow answer far above it.
    env = await startPolicyBackend({ opa: { baseUrl: opa.url, token: TOKEN, timeoutMs: 2000, retries: 1 }, entities });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await opa.stop();
  });

  const findings = (name: string) => request(env.server).get(`/api/policy/entities/component/default/${name}/findings`);
  const evaluate = (name: string) => request(env.server).post(`/api/policy/entities/component/default/${name}/evaluate`);
  const catalogCalls = () => opa.calls.data[ENTRYPOINT] ?? 0;

  it('schedules the evaluation once across replicas', () => {
    expect(env.tasks.map(t => [t.id, t.scope])).toEqual([[POLICY_CATALOG_TASK_ID, 'global']]);
  });

  it('lets admins start a run now through the scheduler', async () => {
    const res = await request(env.server).post('/api/policy/runs');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ taskId: POLICY_CATALOG_TASK_ID });
    expect(env.scheduler.triggerTask).toHaveBeenCalledWith(POLICY_CATALOG_TASK_ID);
    const denied = await request(env.server).post('/api/policy/runs').set('authorization', mockCredentials.user.header(MALLORY));
    expect(denied.status).toBe(403);
  });

  it('says an entity is not evaluated yet, rather than passing', async () => {
    const res = await findings('orders');
    expect(res.status).toBe(200);
    expect(res.body.compliance).toMatchObject({ status: 'unknown', reason: 'not-evaluated' });
    expect(res.body.engine).toEqual({ configured: true });
  });

  it('evaluates every entity with its owner and system and stores the findings', async () => {
    opa.resetCalls();
    await env.run();
    expect(catalogCalls()).toBe(5);
    expect(inputs.get('orders').owner.metadata.name).toBe('team-a');
    expect(inputs.get('orders').system.metadata.name).toBe('shop');
    expect(inputs.get('legacy').owner).toBeNull();

    const orders = await findings('orders');
    expect(orders.body).toMatchObject({
      entityRef: 'component:default/orders',
      engine: { configured: true },
      compliance: { status: 'passing', counts: { error: 0, warning: 0, info: 0 } },
      findings: [],
      policyRevision: 'paved@rev-1',
      decisionId: expect.any(String),
    });
    const legacy = await findings('legacy');
    expect(legacy.body.compliance).toEqual({ status: 'failing', counts: { error: 1, warning: 1, info: 0 } });
    expect(legacy.body.findings).toEqual([
      {
        source: 'catalog',
        policy: 'paved.catalog/violations',
        id: 'owner-resolvable',
        level: 'warning',
        message: 'owner ghost-team not in the catalog',
        remediation: 'name an existing group',
        evaluatedAt: expect.any(String),
        policyRevision: 'paved@rev-1',
        decisionId: expect.any(String),
      },
      expect.objectContaining({ id: 'system-set', level: 'error', docsUrl: 'https://docs.example/system' }),
    ]);
    const health = await request(env.server).get('/api/policy/health');
    expect(health.body).toMatchObject({
      engine: { configured: true, reachable: true, activeRevision: 'paved@rev-1' },
      lastRun: { entities: 5, evaluated: 5, skipped: 0, opaCalls: 5, errors: 0, counts: { error: 1, warning: 1, info: 1 } },
    });
  });

  it('makes zero decision calls on a re-run without changes', async () => {
    opa.resetCalls();
    await env.run();
    expect(catalogCalls()).toBe(0);
    // Only the revision lookup reached OPA.
    expect(opa.dataCalls).toBe(1);
    const health = await request(env.server).get('/api/policy/health');
    expect(health.body.lastRun).toMatchObject({ evaluated: 0, skipped: 5, opaCalls: 0 });
  });

  it('re-evaluates only a changed entity, and entities whose owner changed', async () => {
    entities.current = entities.current.map(e =>
      e.metadata.name === 'lab' ? { ...e, metadata: { ...e.metadata, description: 'now described' } } : e,
    );
    opa.resetCalls();
    await env.run();
    expect(catalogCalls()).toBe(1);
    expect([...inputs.keys()]).toContain('lab');

    // A change to the team is part of its components' input (owner), and of the system's.
    entities.current = entities.current.map(e =>
      e.metadata.name === 'team-a' ? { ...e, metadata: { ...e.metadata, title: 'Team A' } } : e,
    );
    opa.resetCalls();
    await env.run();
    // team-a itself, orders, lab and the system shop own by team-a.
    expect(catalogCalls()).toBe(4);
  });

  it('re-evaluates everything when the policy revision changes', async () => {
    opa.setRevision('rev-2');
    opa.resetCalls();
    await env.run();
    expect(catalogCalls()).toBe(5);
    expect((await findings('legacy')).body.policyRevision).toBe('paved@rev-2');
  });

  it('lists the fleet with filters and pagination, and charts the trend', async () => {
    const page = await request(env.server).get('/api/policy/compliance?limit=2&offset=0');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ engine: { configured: true }, totalCount: 5, offset: 0, limit: 2 });
    expect(page.body.items.map((i: any) => [i.name, i.compliance.status])).toEqual([
      ['legacy', 'failing'],
      ['lab', 'passing'],
    ]);
    const filtered = await request(env.server).get('/api/policy/compliance?owner=team-a&kind=Component&level=info');
    expect(filtered.body.items.map((i: any) => i.entityRef)).toEqual(['component:default/lab']);
    expect((await request(env.server).get('/api/policy/compliance?level=fatal')).status).toBe(400);

    const trend = await request(env.server).get('/api/policy/trend');
    expect(trend.body.points.length).toBe(5);
    expect(trend.body.points[0]).toMatchObject({ entities: 5, failing: 1, counts: { error: 1, warning: 1, info: 1 } });
    const team = await request(env.server).get('/api/policy/trend').query({ owner: 'group:default/team-a' });
    expect(team.body.owner).toBe('group:default/team-a');
    expect(team.body.points).toHaveLength(5);
    expect(team.body.points.every((p: any) => p.entities === 3 && p.failing === 0)).toBe(true);
  });

  it('serves the policy library with METADATA titles and the entities each rule flags', async () => {
    const res = await request(env.server).get('/api/policy/policies');
    expect(res.status).toBe(200);
    const [module] = res.body.modules;
    expect(module).toMatchObject({ id: 'policies/catalog.rego', packageName: 'paved.catalog', title: 'Catalog rules' });
    expect(module.rules.map((r: any) => [r.title, r.flaggedEntities])).toEqual([
      ['System is set', ['component:default/legacy']],
      ['Owner resolves', ['component:default/legacy']],
    ]);
  });

  it('re-evaluates one entity on demand', async () => {
    opa.resetCalls();
    const res = await evaluate('orders');
    expect(res.status).toBe(200);
    expect(res.body.compliance.status).toBe('passing');
    expect(catalogCalls()).toBe(1);
  });

  it('stores an undefined result as unknown, not as passing', async () => {
    opa.setDecision(ENTRYPOINT, () => SIMULATED_UNDEFINED_RESULT);
    try {
      const res = await evaluate('orders');
      expect(res.body.compliance).toMatchObject({ status: 'unknown', reason: 'undefined-result' });
      expect(res.body.findings).toEqual([]);
    } finally {
      opa.setDecision(ENTRYPOINT, simulatedCatalogRules);
    }
  });

  it('keeps stored findings, marked stale, when OPA answers with an error body', async () => {
    opa.setError(ENTRYPOINT, { status: 500, code: 'internal_error', message: 'eval_conflict_error: functions must not produce multiple outputs' });
    try {
      const res = await evaluate('legacy');
      expect(res.status).toBe(200);
      expect(res.body.compliance.status).toBe('failing');
      expect(res.body.findings).toHaveLength(2);
      expect(res.body.stale).toEqual({ since: expect.any(String), error: expect.stringContaining('internal_error') });
    } finally {
      opa.setDecision(ENTRYPOINT, simulatedCatalogRules);
    }
    expect((await evaluate('legacy')).body.stale).toBeUndefined();
  });

  it('marks results stale when OPA is too slow', async () => {
    opa.setDelay(6000);
    try {
      const res = await evaluate('legacy');
      expect(res.body.stale?.error).toMatch(/timed out after 2000 ms/);
      expect(res.body.findings).toHaveLength(2);
    } finally {
      opa.setDelay(0);
    }
  });

  it('marks a run failed and every result stale when OPA rejects the token', async () => {
    opa.setToken('rotated-token');
    try {
      await env.run();
      const health = await request(env.server).get('/api/policy/health');
      expect(health.body.lastRun.errors).toBe(1);
      expect(health.body.lastRun.errorMessages[0]).toMatch(/401 unauthorized/);
      expect(health.body.engine.error).toMatch(/401/);
      const legacy = await findings('legacy');
      expect(legacy.body.compliance.status).toBe('failing');
      expect(legacy.body.findings).toHaveLength(2);
      expect(legacy.body.stale.error).toMatch(/401 unauthorized/);
    } finally {
      opa.setToken(TOKEN);
    }
    await env.run();
    expect((await findings('legacy')).body.stale).toBeUndefined();
  });

  it('answers 401 without a Backstage token, 403 when denied, 404 for unknown entities', async () => {
    const none = mockCredentials.none.header();
    expect((await findings('orders').set('authorization', none)).status).toBe(401);
    expect((await request(env.server).get('/api/policy/compliance').set('authorization', none)).status).toBe(401);
    const mallory = mockCredentials.user.header(MALLORY);
    expect((await findings('orders').set('authorization', mallory)).status).toBe(403);
    expect((await evaluate('orders').set('authorization', mallory)).status).toBe(403);
    for (const path of ['compliance', 'trend', 'health', 'policies']) {
      expect((await request(env.server).get(`/api/policy/${path}`).set('authorization', mallory)).status).toBe(403);
    }
    const missing = await findings('no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });
});

describe('policy backend with OPA refusing connections', () => {
  it('reports the engine unreachable and the run failed, without pretending compliance', async () => {
    const port = await unusedPort();
    const entities = { current: initialEntities() };
    const env = await startPolicyBackend({
      opa: { baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300, retries: 1 },
      entities,
    });
    try {
      await env.run();
      const health = await request(env.server).get('/api/policy/health');
      expect(health.body.engine).toMatchObject({ configured: true, reachable: false, error: expect.stringContaining('ECONNREFUSED') });
      expect(health.body.lastRun).toMatchObject({ errors: 1, evaluated: 0 });
      const res = await request(env.server).get('/api/policy/entities/component/default/orders/findings');
      expect(res.body.compliance).toMatchObject({ status: 'unknown', reason: 'not-evaluated' });
      const evaluated = await request(env.server).post('/api/policy/entities/component/default/orders/evaluate');
      expect(evaluated.body.compliance).toMatchObject({ status: 'unknown', reason: 'engine-error' });
      expect(evaluated.body.stale.error).toContain('ECONNREFUSED');
    } finally {
      await env.backend.stop();
    }
  });
});

describe('policy backend with the simulated OPA stand-in declared as such', () => {
  it('labels every answer about the engine as simulated', async () => {
    const opa = new SimulatedOpaServer();
    await opa.start();
    opa.setDecision(ENTRYPOINT, simulatedCatalogRules);
    const env = await startPolicyBackend({
      opa: { baseUrl: opa.url, simulated: true },
      entities: { current: initialEntities() },
    });
    try {
      await env.run();
      const found = await request(env.server).get('/api/policy/entities/component/default/legacy/findings');
      expect(found.body.engine).toEqual({ configured: true, simulated: true });
      expect(found.body.findings.length).toBeGreaterThan(0);
      const list = await request(env.server).get('/api/policy/compliance');
      expect(list.body.engine).toEqual({ configured: true, simulated: true });
      const health = await request(env.server).get('/api/policy/health');
      expect(health.body.engine).toMatchObject({ configured: true, simulated: true, reachable: true });
    } finally {
      await env.backend.stop();
      await opa.stop();
    }
  });
});

describe('policy backend without a policy engine', () => {
  it('says plainly that no policy engine is configured', async () => {
    const env = await startPolicyBackend({ entities: { current: initialEntities() } });
    try {
      expect(env.tasks).toEqual([]);
      const res = await request(env.server).get('/api/policy/entities/component/default/orders/findings');
      expect(res.status).toBe(200);
      expect(res.body.engine).toEqual({ configured: false, message: expect.stringContaining('policy.opa.baseUrl') });
      expect(res.body.compliance).toMatchObject({ status: 'unknown', reason: 'not-configured' });
      expect((await request(env.server).post('/api/policy/runs')).status).toBe(503);
      const evaluated = await request(env.server).post('/api/policy/entities/component/default/orders/evaluate');
      expect(evaluated.status).toBe(503);
      expect(evaluated.body.error.message).toContain('No policy engine configured');
      const list = await request(env.server).get('/api/policy/compliance');
      expect(list.body).toMatchObject({ engine: { configured: false }, items: [], totalCount: 0 });
      expect((await request(env.server).get('/api/policy/health')).body.engine.configured).toBe(false);
      expect((await request(env.server).get('/api/policy/policies')).body).toMatchObject({ engine: { configured: false }, modules: [] });
    } finally {
      await env.backend.stop();
    }
  });
});
