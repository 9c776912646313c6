import { mockServices } from '@backstage/backend-test-utils';
import { PolicyViolation } from '@paved/plugin-policy-common';
import { policyTestDatabases } from '../__testUtils__/testDatabases';
import { migratedClient } from './migrate';
import { EntityEvaluation, PolicyStore } from './PolicyStore';

const { databases, ids } = policyTestDatabases();

function finding(
  id: string,
  level: PolicyViolation['level'],
  source: PolicyViolation['source'] = 'catalog',
): PolicyViolation {
  return {
    source,
    policy: `paved.${source}/violations`,
    id,
    level,
    message: `${id} violated`,
    remediation: 'fix it',
    resource:
      source === 'workload'
        ? { kind: 'Deployment', name: 'orders' }
        : undefined,
    evaluatedAt: '2026-11-25T10:00:00.000Z',
    policyRevision: 'rev-1',
    decisionId: `d-${id}`,
  };
}

function evaluation(
  name: string,
  findings: PolicyViolation[],
  extra: Partial<EntityEvaluation> = {},
): EntityEvaluation {
  return {
    meta: {
      entityRef: `component:default/${name}`,
      kind: 'Component',
      namespace: 'default',
      name,
      owner: name.startsWith('a')
        ? 'group:default/team-a'
        : 'group:default/team-b',
      system: 'system:default/shop',
    },
    source: 'catalog',
    contentHash: `hash-${name}`,
    policyRevision: 'rev-1',
    decisionId: `decision-${name}`,
    evaluatedAt: '2026-11-25T10:00:00.000Z',
    findings,
    ...extra,
  };
}

describe.each(ids)('PolicyStore on %s', databaseId => {
  async function createStore() {
    const knex = await databases.init(databaseId);
    const db = await migratedClient(mockServices.database({ knex }));
    return new PolicyStore({ db });
  }

  it('stores many entities and sources in one call, each replacing only its own source', async () => {
    const store = await createStore();
    // More rows than fit one statement's bound variables on SQLite.
    const names = Array.from(
      { length: 600 },
      (_, i) => `bulk-${String(i).padStart(3, '0')}`,
    );
    await store.saveEvaluations([
      ...names.map((name, i) =>
        evaluation(
          name,
          i % 2 ? [finding('desc', 'warning'), finding('docs', 'info')] : [],
        ),
      ),
      ...names.slice(0, 100).map(name => ({
        ...evaluation(name, [finding('limits', 'error', 'workload')]),
        source: 'workload' as const,
      })),
    ]);
    const list = await store.listCompliance({ limit: 500, offset: 0 });
    expect(list.totalCount).toBe(600);
    expect(
      (await store.getEntity('component:default/bulk-000'))?.compliance,
    ).toEqual({ status: 'failing', counts: { error: 1, warning: 0, info: 0 } });
    expect(
      (await store.getEntity('component:default/bulk-001'))?.compliance,
    ).toEqual({ status: 'failing', counts: { error: 1, warning: 1, info: 1 } });
    expect(
      (await store.getEntity('component:default/bulk-101'))?.compliance,
    ).toEqual({
      status: 'warnings',
      counts: { error: 0, warning: 1, info: 1 },
    });
    expect(
      (await store.getEntity('component:default/bulk-102'))?.compliance,
    ).toEqual({ status: 'passing', counts: { error: 0, warning: 0, info: 0 } });

    // A new catalog verdict for all of them replaces the catalog findings, keeps the workload ones.
    await store.saveEvaluations(
      names.map(name =>
        evaluation(name, [finding('owner-set', 'info')], {
          contentHash: `v2-${name}`,
        }),
      ),
    );
    const first = await store.getEntity('component:default/bulk-001');
    expect(first?.findings.map(f => `${f.source}:${f.id}`).sort()).toEqual([
      'catalog:owner-set',
      'workload:limits',
    ]);
    expect(first?.contentHash).toBe('v2-bulk-001');
    expect(
      (await store.getEntity('component:default/bulk-599'))?.compliance,
    ).toEqual({ status: 'passing', counts: { error: 0, warning: 0, info: 1 } });
    const keys = await store.evaluationKeys();
    expect(keys.size).toBe(600);
    expect(keys.get('component:default/bulk-050')).toMatchObject({
      contentHash: 'v2-bulk-050',
      workloadHash: 'hash-bulk-050',
      failed: false,
    });
  });

  it('records failures for many entities at once, stale where stored and engine-error where new', async () => {
    const store = await createStore();
    await store.saveEvaluation(
      evaluation('known', [finding('desc', 'warning')]),
    );
    const meta = (name: string) => evaluation(name, []).meta;
    await store.saveFailures([
      {
        meta: meta('known'),
        error: 'OPA timed out',
        at: '2026-11-25T11:00:00.000Z',
      },
      {
        meta: meta('new'),
        error: 'OPA timed out',
        at: '2026-11-25T11:00:00.000Z',
      },
    ]);
    expect(await store.getEntity('component:default/known')).toMatchObject({
      compliance: { status: 'warnings' },
      stale: { since: '2026-11-25T11:00:00.000Z', error: 'OPA timed out' },
    });
    expect(
      (await store.getEntity('component:default/new'))?.compliance,
    ).toMatchObject({ status: 'unknown', reason: 'engine-error' });
  });

  it('keeps the latest OPA status report per instance, bounded in age and number', async () => {
    const store = await createStore();
    const at = (minutes: number) =>
      new Date(
        Date.parse('2026-11-25T12:00:00.000Z') + minutes * 60_000,
      ).toISOString();
    await store.saveEngineStatus({
      instance: 'opa-1',
      reportedAt: at(0),
      bundles: [{ name: 'paved', error: { message: 'broken', problems: [] } }],
    });
    await store.saveEngineStatus({
      instance: 'opa-1',
      reportedAt: at(1),
      bundles: [{ name: 'paved', activeRevision: 'r2' }],
    });
    await store.saveEngineStatus({
      instance: 'opa-2',
      reportedAt: at(2),
      bundles: [],
    });
    expect(
      (await store.engineStatuses(at(-10))).map(s => [s.instance, s.bundles]),
    ).toEqual([
      ['opa-2', []],
      ['opa-1', [{ name: 'paved', activeRevision: 'r2' }]],
    ]);
    // A day later the old reports are gone.
    await store.saveEngineStatus({
      instance: 'opa-3',
      reportedAt: at(24 * 60 + 5),
      bundles: [],
    });
    expect((await store.engineStatuses(at(-10))).map(s => s.instance)).toEqual([
      'opa-3',
    ]);
    for (let i = 0; i < 105; i++)
      await store.saveEngineStatus({
        instance: `many-${i}`,
        reportedAt: at(24 * 60 + 10 + i),
        bundles: [],
      });
    expect((await store.engineStatuses(at(-10))).length).toBe(100);
  });

  it('keeps run history bounded: one row per owner and run, old and surplus runs deleted', async () => {
    const knex = await databases.init(databaseId);
    const db = await migratedClient(mockServices.database({ knex }));
    const store = new PolicyStore({
      db,
      history: { maxRuns: 3, maxAgeDays: 30 },
    });
    await store.saveEvaluations(
      Array.from({ length: 40 }, (_, i) =>
        evaluation(
          `${i % 2 ? 'a' : 'b'}-${i}`,
          i % 4 ? [] : [finding('x', 'error')],
        ),
      ),
    );
    const finish = async (startedAt: string) => {
      const id = await store.startRun('schedule', startedAt);
      await store.finishRun(id, {
        finishedAt: startedAt,
        durationMs: 1,
        entities: 40,
        evaluated: 0,
        skipped: 40,
        opaCalls: 0,
        errors: 0,
        errorMessages: [],
      });
      return id;
    };
    const old = await finish('2026-09-01T00:00:00.000Z');
    // Two owners: two rows per run, however many entities.
    expect(
      Number(
        (
          await db('policy_run_owners')
            .where({ run_id: old })
            .count({ n: '*' })
            .first()
        )?.n,
      ),
    ).toBe(2);
    const runs = [];
    for (let day = 20; day <= 24; day++)
      runs.push(await finish(`2026-11-${day}T00:00:00.000Z`));
    // The September run is past 30 days, and only the newest 3 remain.
    const kept = (await db('policy_runs').select('id').orderBy('id')).map(r =>
      Number(r.id),
    );
    expect(kept).toEqual(runs.slice(-3).map(Number));
    expect(
      Number((await db('policy_run_owners').count({ n: '*' }).first())?.n),
    ).toBe(6);
    const trend = await store.trend({
      owner: 'group:default/team-a',
      limit: 10,
    });
    expect(trend).toHaveLength(3);
    expect(trend[0]).toMatchObject({
      entities: 20,
      failing: 0,
      counts: { error: 0, warning: 0, info: 0 },
    });
    expect(
      (await store.trend({ owner: 'group:default/team-b', limit: 10 }))[0],
    ).toMatchObject({ entities: 20, failing: 10 });
  });

  it('stores findings and derives the compliance state over all sources', async () => {
    const store = await createStore();
    await store.saveEvaluation(
      evaluation('a-orders', [
        finding('owner-set', 'warning'),
        finding('desc', 'info'),
      ]),
    );
    expect(
      (await store.getEntity('component:default/a-orders'))?.compliance,
    ).toEqual({
      status: 'warnings',
      counts: { error: 0, warning: 1, info: 1 },
    });
    await store.saveEvaluation({
      ...evaluation('a-orders', [finding('no-latest', 'error', 'workload')]),
      source: 'workload',
    });
    const stored = await store.getEntity('component:default/a-orders');
    expect(stored?.compliance).toEqual({
      status: 'failing',
      counts: { error: 1, warning: 1, info: 1 },
    });
    expect(stored?.findings.map(f => [f.source, f.id])).toEqual([
      ['catalog', 'owner-set'],
      ['catalog', 'desc'],
      ['workload', 'no-latest'],
    ]);
    expect(stored?.findings[2]).toEqual(
      finding('no-latest', 'error', 'workload'),
    );
    // A new catalog evaluation replaces only catalog findings.
    await store.saveEvaluation(evaluation('a-orders', []));
    expect(
      (await store.getEntity('component:default/a-orders'))?.findings.map(
        f => f.id,
      ),
    ).toEqual(['no-latest']);
  });

  it('keeps an entity unknown while any source is unknown, and tracks hashes per source', async () => {
    const store = await createStore();
    await store.saveEvaluation(
      evaluation('a-orders', [finding('owner-set', 'warning')]),
    );
    await store.saveEvaluation({
      ...evaluation('a-orders', [], {
        contentHash: 'workload-hash',
        policyRevision: 'rev-2',
      }),
      source: 'workload',
      unknown: {
        reason: 'undefined-result',
        message: 'workload rules not loaded',
      },
    });
    // A new catalog verdict does not hide the workload's unknown state.
    await store.saveEvaluation(evaluation('a-orders', []));
    expect(
      (await store.getEntity('component:default/a-orders'))?.compliance,
    ).toEqual({
      status: 'unknown',
      reason: 'undefined-result',
      reasonMessage: 'workload rules not loaded',
      counts: { error: 0, warning: 0, info: 0 },
    });
    expect(
      (await store.evaluationKeys()).get('component:default/a-orders'),
    ).toEqual({
      contentHash: 'hash-a-orders',
      policyRevision: 'rev-1',
      workloadHash: 'workload-hash',
      workloadRevision: 'rev-2',
      failed: false,
    });
    await store.saveEvaluation({
      ...evaluation('a-orders', [finding('no-latest', 'error', 'workload')]),
      source: 'workload',
    });
    expect(
      (await store.getEntity('component:default/a-orders'))?.compliance.status,
    ).toBe('failing');
  });

  it('keeps findings but marks them stale when the engine fails, and clears that on success', async () => {
    const store = await createStore();
    await store.saveEvaluation(
      evaluation('a-orders', [finding('owner-set', 'error')]),
    );
    await store.saveFailure(
      evaluation('a-orders', []).meta,
      'OPA timed out',
      '2026-11-25T11:00:00.000Z',
    );
    await store.saveFailure(
      evaluation('a-orders', []).meta,
      'OPA timed out again',
      '2026-11-25T12:00:00.000Z',
    );
    const stale = await store.getEntity('component:default/a-orders');
    expect(stale?.findings).toHaveLength(1);
    expect(stale?.compliance.status).toBe('failing');
    expect(stale?.stale).toEqual({
      since: '2026-11-25T11:00:00.000Z',
      error: 'OPA timed out again',
    });
    expect(
      (await store.evaluationKeys()).get('component:default/a-orders')?.failed,
    ).toBe(true);

    await store.saveFailure(
      evaluation('b-new', []).meta,
      'connection refused',
      '2026-11-25T11:00:00.000Z',
    );
    expect(
      (await store.getEntity('component:default/b-new'))?.compliance,
    ).toMatchObject({
      status: 'unknown',
      reason: 'engine-error',
      reasonMessage: 'connection refused',
    });

    await store.saveEvaluation(evaluation('a-orders', []));
    const fresh = await store.getEntity('component:default/a-orders');
    expect(fresh?.stale).toBeUndefined();
    expect(fresh?.compliance.status).toBe('passing');
  });

  it('lists the fleet worst first, filtered and paginated in SQL', async () => {
    const store = await createStore();
    await store.saveEvaluation(evaluation('a-1', [finding('x', 'error')]));
    await store.saveEvaluation(evaluation('a-2', []));
    await store.saveEvaluation(
      evaluation('a-3', [finding('y', 'warning', 'workload')]),
    );
    await store.saveEvaluation(evaluation('b-1', [finding('z', 'info')]));
    await store.saveEvaluation(
      evaluation('b-2', [], {
        unknown: { reason: 'undefined-result', message: 'no result' },
      }),
    );

    const all = await store.listCompliance({ offset: 0, limit: 10 });
    expect(all.totalCount).toBe(5);
    expect(all.items.map(i => [i.meta.name, i.compliance.status])).toEqual([
      ['a-1', 'failing'],
      ['a-3', 'warnings'],
      ['b-2', 'unknown'],
      ['a-2', 'passing'],
      ['b-1', 'passing'],
    ]);
    const page = await store.listCompliance({ offset: 1, limit: 2 });
    expect(page.totalCount).toBe(5);
    expect(page.items.map(i => i.meta.name)).toEqual(['a-3', 'b-2']);

    const names = async (q: Parameters<PolicyStore['listCompliance']>[0]) =>
      (await store.listCompliance({ limit: 50, ...q })).items.map(
        i => i.meta.name,
      );
    expect(await names({ owner: ['group:default/team-b'] })).toEqual([
      'b-2',
      'b-1',
    ]);
    expect(await names({ level: ['error', 'info'] })).toEqual(['a-1', 'b-1']);
    expect(await names({ source: ['workload'] })).toEqual(['a-3']);
    expect(await names({ source: ['catalog'], level: ['warning'] })).toEqual(
      [],
    );
    expect(
      await names({
        kind: ['COMPONENT'],
        system: ['system:default/shop'],
        owner: ['group:default/team-a'],
      }),
    ).toEqual(['a-1', 'a-3', 'a-2']);
    expect(await names({ kind: ['api'] })).toEqual([]);
  });

  it('records runs with per-owner history and forgets entities that left the catalog', async () => {
    const store = await createStore();
    await store.saveEvaluation(evaluation('a-1', [finding('x', 'error')]));
    await store.saveEvaluation(evaluation('b-1', [finding('y', 'warning')]));
    const completion = (evaluated: number) => ({
      finishedAt: new Date().toISOString(),
      durationMs: 12,
      policyRevision: 'rev-1',
      entities: 2,
      evaluated,
      skipped: 2 - evaluated,
      opaCalls: evaluated,
      errors: 0,
      errorMessages: [],
    });
    const run1 = await store.startRun('schedule', new Date().toISOString());
    await store.finishRun(run1, completion(2));
    await store.saveEvaluation(evaluation('a-1', []));
    const run2 = await store.startRun('schedule', new Date().toISOString());
    await store.finishRun(run2, completion(1));

    expect(await store.lastRun()).toMatchObject({
      id: run2,
      evaluated: 1,
      skipped: 1,
      opaCalls: 1,
      counts: { error: 0, warning: 1, info: 0 },
    });
    expect(
      (await store.trend({ limit: 10 })).map(p => [
        p.runId,
        p.failing,
        p.counts.error,
        p.counts.warning,
      ]),
    ).toEqual([
      [run1, 1, 1, 1],
      [run2, 0, 0, 1],
    ]);
    const teamA = await store.trend({
      owner: 'group:default/team-a',
      limit: 10,
    });
    expect(
      teamA.map(p => [p.entities, p.failing, p.counts.error, p.counts.warning]),
    ).toEqual([
      [1, 1, 1, 0],
      [1, 0, 0, 0],
    ]);
    expect(await store.trend({ limit: 1 })).toHaveLength(1);

    expect(await store.flaggedEntities(['paved.catalog/violations'])).toEqual([
      {
        policy: 'paved.catalog/violations',
        ruleId: 'y',
        entityRef: 'component:default/b-1',
      },
    ]);

    expect(
      await store.deleteEntitiesExcept(new Set(['component:default/a-1'])),
    ).toBe(1);
    expect(await store.getEntity('component:default/b-1')).toBeUndefined();
    expect(await store.flaggedEntities(['paved.catalog/violations'])).toEqual(
      [],
    );
  });

  it('reads the keys of named entities and finds the entities that name an owner or system', async () => {
    const store = await createStore();
    await store.saveEvaluation(evaluation('a-orders', []));
    await store.saveEvaluation(evaluation('b-billing', []));
    await store.saveEvaluation({
      ...evaluation('c-lone', []),
      meta: {
        ...evaluation('c-lone', []).meta,
        owner: 'group:default/team-c',
        system: undefined,
      },
    });
    const keys = await store.evaluationKeys([
      'component:default/a-orders',
      'component:default/missing',
    ]);
    expect([...keys.keys()]).toEqual(['component:default/a-orders']);
    expect(keys.get('component:default/a-orders')).toMatchObject({
      contentHash: 'hash-a-orders',
      failed: false,
    });
    expect((await store.evaluationKeys()).size).toBe(3);
    expect(await store.entityRefsRelatedTo(['group:default/team-a'])).toEqual([
      'component:default/a-orders',
    ]);
    expect(
      (
        await store.entityRefsRelatedTo([
          'system:default/shop',
          'group:default/team-c',
        ])
      ).sort(),
    ).toEqual([
      'component:default/a-orders',
      'component:default/b-billing',
      'component:default/c-lone',
    ]);
    expect(await store.entityRefsRelatedTo(['group:default/nobody'])).toEqual(
      [],
    );
  });

  it('marks every stored result stale when a run cannot reach the engine', async () => {
    const store = await createStore();
    await store.saveEvaluation(evaluation('a-1', []));
    await store.saveEvaluation(evaluation('a-2', []));
    await store.markAllStale('OPA unreachable', '2026-11-25T12:00:00.000Z');
    const listed = await store.listCompliance({ limit: 10 });
    expect(listed.items.map(i => i.stale)).toEqual([
      { since: '2026-11-25T12:00:00.000Z', error: 'OPA unreachable' },
      { since: '2026-11-25T12:00:00.000Z', error: 'OPA unreachable' },
    ]);
  });
});
