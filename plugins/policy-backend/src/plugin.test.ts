import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  LocalOpaServer,
  SimulatedOpaServer,
  repositoryRoot,
} from '@paved/plugin-policy-node/testUtils';
import request from 'supertest';
import { POLICY_CATALOG_TASK_ID } from './plugin';
import {
  MALLORY,
  TEAM_A_READER,
  startPolicyBackend,
  unusedPort,
} from './__testUtils__/policyTestBackend';
import { decidedEntityNames } from './__testUtils__/decisionLog';
import { scaledMs } from '@paved/test-timing';

// A real OPA (the pinned binary ./platform test builds) serving policies/:
// every finding asserted here is the shipped Rego's.
jest.setTimeout(scaledMs(90_000));

const TOKEN = 'opa-token';
const CATALOG_PATHS = ['paved/catalog/violations', 'paved/catalog/batch'];

const component = (
  name: string,
  spec: Record<string, unknown>,
  metadata: Partial<Entity['metadata']> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    description: `The ${name} service`,
    ...metadata,
    annotations: {
      'backstage.io/kubernetes-id': name,
      ...metadata.annotations,
    },
  },
  spec: { type: 'service', lifecycle: 'production', ...spec },
});

function initialEntities(): Entity[] {
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-a', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'shop', namespace: 'default', description: 'The shop' },
      spec: { owner: 'team-a' },
    },
    // No techdocs-ref: one info finding, still passing.
    component('orders', { owner: 'team-a', system: 'shop' }),
    component(
      'legacy',
      { owner: 'ghost-team' },
      { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
    ),
    component('lab', {
      owner: 'team-a',
      system: 'shop',
      lifecycle: 'experimental',
    }),
  ];
}

describe('policy backend against a real OPA loaded with policies/', () => {
  const opa = new LocalOpaServer({ token: TOKEN, revision: 'rev-1' });
  // Faults a real OPA cannot show on demand are injected in front of it;
  // every decision still comes from the real OPA.
  const faults = new SimulatedOpaServer({ token: TOKEN });
  const entities = { current: initialEntities() };
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  beforeAll(async () => {
    await opa.start();
    faults.setUpstream(opa.url);
    await faults.start();
    // A timeout far above a loaded CI machine's latency, and a slow answer far above it.
    env = await startPolicyBackend({
      opa: { baseUrl: faults.url, token: TOKEN, timeoutMs: 5000, retries: 1 },
      entities,
    });
  });

  afterAll(async () => {
    await env?.backend.stop();
    await faults.stop();
    await opa.stop();
  });

  const findings = (name: string) =>
    request(env.server).get(
      `/api/policy/entities/component/default/${name}/findings`,
    );
  const evaluate = (name: string) =>
    request(env.server).post(
      `/api/policy/entities/component/default/${name}/evaluate`,
    );
  const decided = async () =>
    decidedEntityNames(
      (await opa.decisions()).filter(d => CATALOG_PATHS.includes(d.path)),
    );
  const catalogQueries = async () =>
    (await opa.decisions()).filter(d => CATALOG_PATHS.includes(d.path)).length;

  it('schedules the evaluation once across replicas', () => {
    expect(env.tasks.map(t => [t.id, t.scope])).toEqual([
      [POLICY_CATALOG_TASK_ID, 'global'],
    ]);
  });

  it('lets admins start a run now through the scheduler', async () => {
    const res = await request(env.server).post('/api/policy/runs');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ taskId: POLICY_CATALOG_TASK_ID });
    expect(env.scheduler.triggerTask).toHaveBeenCalledWith(
      POLICY_CATALOG_TASK_ID,
    );
    const denied = await request(env.server)
      .post('/api/policy/runs')
      .set('authorization', mockCredentials.user.header(MALLORY));
    expect(denied.status).toBe(403);
  });

  it('says an entity is not evaluated yet, rather than passing', async () => {
    const res = await findings('orders');
    expect(res.status).toBe(200);
    expect(res.body.compliance).toMatchObject({
      status: 'unknown',
      reason: 'not-evaluated',
    });
    expect(res.body.engine).toEqual({ configured: true });
  });

  it("evaluates every entity with its owner and system and stores the shipped rules' findings", async () => {
    opa.resetDecisions();
    await env.run();
    expect(await decided()).toEqual([
      'lab',
      'legacy',
      'orders',
      'shop',
      'team-a',
    ]);

    const orders = await findings('orders');
    expect(orders.body).toMatchObject({
      entityRef: 'component:default/orders',
      engine: { configured: true },
      // The owner and system resolved: only the info-level TechDocs rule fires.
      compliance: {
        status: 'passing',
        counts: { error: 0, warning: 0, info: 1 },
      },
      policyRevision: 'paved@rev-1',
      decisionId: expect.any(String),
    });
    expect(orders.body.findings.map((f: any) => f.id)).toEqual([
      'techdocs-for-production',
    ]);

    const legacy = await findings('legacy');
    expect(legacy.body.compliance).toEqual({
      status: 'failing',
      counts: { error: 1, warning: 1, info: 0 },
    });
    expect(legacy.body.findings).toEqual([
      {
        source: 'catalog',
        policy: 'paved.catalog/violations',
        id: 'owner-resolvable',
        level: 'error',
        message:
          'spec.owner ghost-team does not match any entity in the catalog',
        remediation:
          'Fix the reference in spec.owner, or register the Group (for example in org.yaml).',
        docsUrl:
          'https://backstage.io/docs/features/software-catalog/references',
        evaluatedAt: expect.any(String),
        policyRevision: 'paved@rev-1',
        decisionId: expect.any(String),
      },
      expect.objectContaining({
        id: 'system-set',
        level: 'warning',
        message: 'spec.system is not set',
      }),
    ]);
    const health = await request(env.server).get('/api/policy/health');
    expect(health.body).toMatchObject({
      engine: {
        configured: true,
        reachable: true,
        activeRevision: 'paved@rev-1',
      },
      lastRun: {
        entities: 5,
        evaluated: 5,
        skipped: 0,
        errors: 0,
        counts: { error: 1, warning: 1, info: 1 },
      },
    });
    // The run's query count is OPA's own count of catalog decisions.
    expect(health.body.lastRun.opaCalls).toBe(await catalogQueries());
  });

  it('makes zero decision calls on a re-run without changes', async () => {
    opa.resetDecisions();
    await env.run();
    expect(await decided()).toEqual([]);
    // Only the revision lookup reached OPA.
    expect((await opa.decisions()).map(d => d.path)).toEqual([
      'system/paved_revision_probe',
    ]);
    const health = await request(env.server).get('/api/policy/health');
    expect(health.body.lastRun).toMatchObject({
      evaluated: 0,
      skipped: 5,
      opaCalls: 0,
    });
  });

  it('re-evaluates only a changed entity, and entities whose owner changed', async () => {
    entities.current = entities.current.map(e =>
      e.metadata.name === 'lab'
        ? { ...e, metadata: { ...e.metadata, description: 'now described' } }
        : e,
    );
    opa.resetDecisions();
    await env.run();
    expect(await decided()).toEqual(['lab']);

    // A change to the team is part of its components' input (owner), and of the system's.
    entities.current = entities.current.map(e =>
      e.metadata.name === 'team-a'
        ? { ...e, metadata: { ...e.metadata, title: 'Team A' } }
        : e,
    );
    opa.resetDecisions();
    await env.run();
    expect(await decided()).toEqual(['lab', 'orders', 'shop', 'team-a']);
  });

  it('re-evaluates everything when the policy revision changes', async () => {
    await opa.setRevision('rev-2');
    opa.resetDecisions();
    await env.run();
    expect(await decided()).toEqual([
      'lab',
      'legacy',
      'orders',
      'shop',
      'team-a',
    ]);
    expect((await findings('legacy')).body.policyRevision).toBe('paved@rev-2');
  });

  it('lists the fleet with filters and pagination, and charts the trend', async () => {
    const page = await request(env.server).get(
      '/api/policy/compliance?limit=2&offset=0',
    );
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      engine: { configured: true },
      totalCount: 5,
      offset: 0,
      limit: 2,
    });
    expect(
      page.body.items.map((i: any) => [i.name, i.compliance.status]),
    ).toEqual([
      ['legacy', 'failing'],
      ['lab', 'passing'],
    ]);
    const filtered = await request(env.server).get(
      '/api/policy/compliance?owner=team-a&kind=Component&level=info',
    );
    expect(filtered.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/orders',
    ]);
    expect(
      (await request(env.server).get('/api/policy/compliance?level=fatal'))
        .status,
    ).toBe(400);

    const trend = await request(env.server).get('/api/policy/trend');
    expect(trend.body.points.length).toBe(5);
    expect(trend.body.points[0]).toMatchObject({
      entities: 5,
      failing: 1,
      counts: { error: 1, warning: 1, info: 1 },
    });
    const team = await request(env.server)
      .get('/api/policy/trend')
      .query({ owner: 'group:default/team-a' });
    expect(team.body.owner).toBe('group:default/team-a');
    expect(team.body.points).toHaveLength(5);
    expect(
      team.body.points.every((p: any) => p.entities === 3 && p.failing === 0),
    ).toBe(true);
  });

  it('shows a user with conditional catalog access only the entities the catalog shows them', async () => {
    const asReader = mockCredentials.user.header(TEAM_A_READER);
    const all = await request(env.server).get(
      '/api/policy/compliance?limit=50',
    );
    expect(all.body.items.map((i: any) => i.name)).toContain('legacy');
    const limited = await request(env.server)
      .get('/api/policy/compliance?limit=2')
      .set('authorization', asReader);
    expect(limited.status).toBe(200);
    // legacy (owned by ghost-team) is not readable for this user.
    expect(limited.body.totalCount).toBe(4);
    expect(limited.body.items.map((i: any) => i.name)).toEqual([
      'lab',
      'orders',
    ]);
    const nextPage = await request(env.server)
      .get('/api/policy/compliance?limit=2&offset=2')
      .set('authorization', asReader);
    // Worst first, then by ref: group:default/team-a before system:default/shop.
    expect(nextPage.body.items.map((i: any) => i.name)).toEqual([
      'team-a',
      'shop',
    ]);
    const failing = await request(env.server)
      .get('/api/policy/compliance?level=error')
      .set('authorization', asReader);
    expect(failing.body).toMatchObject({ totalCount: 0, items: [] });
    // Nor through an entity route, nor the library's flagged entities, nor the fleet-wide history.
    expect(
      (await findings('legacy').set('authorization', asReader)).status,
    ).toBe(404);
    const library = await request(env.server)
      .get('/api/policy/policies')
      .set('authorization', asReader);
    const catalog = library.body.modules.find(
      (m: any) => m.packageName === 'paved.catalog',
    );
    expect(
      catalog.rules.find((r: any) => r.title === 'Owner exists in the catalog')
        .flaggedEntities,
    ).toEqual([]);
    const trend = await request(env.server)
      .get('/api/policy/trend')
      .set('authorization', asReader);
    expect(trend.body).toMatchObject({
      points: [],
      restricted: expect.stringContaining('may not read every entity'),
    });
  });

  it('serves the policy library from the modules OPA loaded, with the entities each rule flags', async () => {
    const res = await request(env.server).get('/api/policy/policies');
    expect(res.status).toBe(200);
    const catalog = res.body.modules.find(
      (m: any) => m.packageName === 'paved.catalog',
    );
    expect(catalog).toMatchObject({
      title: 'Paved catalog rules',
      raw: expect.stringContaining('package paved.catalog'),
    });
    const owner = catalog.rules.find(
      (r: any) => r.title === 'Owner exists in the catalog',
    );
    expect(owner).toMatchObject({
      policy: 'paved.catalog/violations',
      flaggedEntities: ['component:default/legacy'],
    });
    // The documented rules only, not helpers such as field lookups.
    expect(catalog.rules.every((r: any) => r.title)).toBe(true);
    expect(catalog.rules.map((r: any) => r.name)).not.toContain('string_at');
    expect(res.body.modules.map((m: any) => m.packageName)).toEqual(
      expect.arrayContaining([
        'paved.catalog',
        'paved.workload',
        'paved.permission',
      ]),
    );
  });

  it('re-evaluates one entity on demand', async () => {
    opa.resetDecisions();
    const res = await evaluate('orders');
    expect(res.status).toBe(200);
    expect(res.body.compliance.status).toBe('passing');
    expect(await decided()).toEqual(['orders']);
  });

  it('keeps stored findings, marked stale, when OPA answers with an error body', async () => {
    faults.setError('paved/catalog/violations', {
      status: 500,
      code: 'internal_error',
      message:
        'eval_conflict_error: functions must not produce multiple outputs',
    });
    faults.setError('paved/catalog/batch', {
      status: 500,
      code: 'internal_error',
      message:
        'eval_conflict_error: functions must not produce multiple outputs',
    });
    try {
      const res = await evaluate('legacy');
      expect(res.status).toBe(200);
      expect(res.body.compliance.status).toBe('failing');
      expect(res.body.findings.map((f: any) => f.id)).toEqual([
        'owner-resolvable',
        'system-set',
      ]);
      expect(res.body.stale).toEqual({
        since: expect.any(String),
        error: expect.stringContaining('internal_error'),
      });
    } finally {
      faults.clearErrors();
    }
    expect((await evaluate('legacy')).body.stale).toBeUndefined();
  });

  it('marks results stale when OPA is too slow', async () => {
    faults.setDelay(12_000);
    try {
      const res = await evaluate('legacy');
      expect(res.body.stale?.error).toMatch(/timed out after 5000 ms/);
      expect(res.body.findings).toHaveLength(2);
    } finally {
      faults.setDelay(0);
    }
  });

  it('marks a run failed and every result stale when OPA rejects the token', async () => {
    // A real rotation: OPA's authz policy now wants another token.
    await opa.setToken('rotated-token');
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
      await opa.setToken(TOKEN);
    }
    await env.run();
    expect((await findings('legacy')).body.stale).toBeUndefined();
  });

  it('answers 401 without a Backstage token, 403 when denied, 404 for unknown entities', async () => {
    const none = mockCredentials.none.header();
    expect((await findings('orders').set('authorization', none)).status).toBe(
      401,
    );
    expect(
      (
        await request(env.server)
          .get('/api/policy/compliance')
          .set('authorization', none)
      ).status,
    ).toBe(401);
    const mallory = mockCredentials.user.header(MALLORY);
    expect(
      (await findings('orders').set('authorization', mallory)).status,
    ).toBe(403);
    expect(
      (await evaluate('orders').set('authorization', mallory)).status,
    ).toBe(403);
    for (const path of ['compliance', 'trend', 'health', 'policies']) {
      expect(
        (
          await request(env.server)
            .get(`/api/policy/${path}`)
            .set('authorization', mallory)
        ).status,
      ).toBe(403);
    }
    const missing = await findings('no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });
});

describe('policy backend against a real OPA without the catalog rules', () => {
  it('stores the undefined answer as unknown, never as passing', async () => {
    // A bundle with only the workload package: the catalog entry point is undefined.
    const opa = new LocalOpaServer({
      bundleDirs: [join(repositoryRoot(), 'policies/workload')],
    });
    await opa.start();
    const env = await startPolicyBackend({
      opa: { baseUrl: opa.url },
      entities: { current: initialEntities() },
    });
    try {
      await env.run();
      const res = await request(env.server).get(
        '/api/policy/entities/component/default/orders/findings',
      );
      expect(res.body.compliance).toMatchObject({
        status: 'unknown',
        reason: 'undefined-result',
        reasonMessage: expect.stringContaining('This is not a pass'),
      });
      expect(res.body.findings).toEqual([]);
    } finally {
      await env.backend.stop();
      await opa.stop();
    }
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
      expect(health.body.engine).toMatchObject({
        configured: true,
        reachable: false,
        error: expect.stringContaining('ECONNREFUSED'),
      });
      expect(health.body.lastRun).toMatchObject({ errors: 1, evaluated: 0 });
      const res = await request(env.server).get(
        '/api/policy/entities/component/default/orders/findings',
      );
      expect(res.body.compliance).toMatchObject({
        status: 'unknown',
        reason: 'not-evaluated',
      });
      const evaluated = await request(env.server).post(
        '/api/policy/entities/component/default/orders/evaluate',
      );
      expect(evaluated.body.compliance).toMatchObject({
        status: 'unknown',
        reason: 'engine-error',
      });
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
    const env = await startPolicyBackend({
      opa: { baseUrl: opa.url, simulated: true },
      entities: { current: initialEntities() },
    });
    try {
      await env.run();
      const found = await request(env.server).get(
        '/api/policy/entities/component/default/legacy/findings',
      );
      expect(found.body.engine).toEqual({ configured: true, simulated: true });
      const list = await request(env.server).get('/api/policy/compliance');
      expect(list.body.engine).toEqual({ configured: true, simulated: true });
      const health = await request(env.server).get('/api/policy/health');
      expect(health.body.engine).toMatchObject({
        configured: true,
        simulated: true,
        reachable: true,
      });
    } finally {
      await env.backend.stop();
      await opa.stop();
    }
  });
});

describe('policy backend without a policy engine', () => {
  it('says plainly that no policy engine is configured', async () => {
    const env = await startPolicyBackend({
      entities: { current: initialEntities() },
    });
    try {
      expect(env.tasks).toEqual([]);
      const res = await request(env.server).get(
        '/api/policy/entities/component/default/orders/findings',
      );
      expect(res.status).toBe(200);
      expect(res.body.engine).toEqual({
        configured: false,
        message: expect.stringContaining('policy.opa.baseUrl'),
      });
      expect(res.body.compliance).toMatchObject({
        status: 'unknown',
        reason: 'not-configured',
      });
      expect((await request(env.server).post('/api/policy/runs')).status).toBe(
        503,
      );
      const evaluated = await request(env.server).post(
        '/api/policy/entities/component/default/orders/evaluate',
      );
      expect(evaluated.status).toBe(503);
      expect(evaluated.body.error.message).toContain(
        'No policy engine configured',
      );
      const list = await request(env.server).get('/api/policy/compliance');
      expect(list.body).toMatchObject({
        engine: { configured: false },
        items: [],
        totalCount: 0,
      });
      expect(
        (await request(env.server).get('/api/policy/health')).body.engine
          .configured,
      ).toBe(false);
      expect(
        (await request(env.server).get('/api/policy/policies')).body,
      ).toMatchObject({ engine: { configured: false }, modules: [] });
    } finally {
      await env.backend.stop();
    }
  });
});
