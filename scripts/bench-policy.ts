/*
 * yarn bench:policy: the policy backend over 10,000 catalog entities against
 * the SIMULATED OPA server (5 ms per decision; its decisions are JavaScript,
 * not Rego). Reports the full run, the no-change re-run, Compliance page API
 * latency, and OPA calls per 100 entity views compared with evaluating on
 * every view (twice per view, as the community OPA entity checker does).
 * Env: BENCH_ENTITIES, BENCH_OPA_DELAY_MS, BENCH_VIEWS, BENCH_CONCURRENCY
 * (policy.catalog.concurrency). Database: SQLite.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { OpaClient } from '../plugins/policy-node/src';
import { SimulatedOpaServer } from '../plugins/policy-node/src/testUtils';
import policyPlugin from '../plugins/policy-backend/src';
import { kubernetesObjectCacheServiceFactory } from '../plugins/kubernetes-status-backend/src';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const OPA_DELAY_MS = Number(process.env.BENCH_OPA_DELAY_MS ?? 5);
const VIEWS = Number(process.env.BENCH_VIEWS ?? 200);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const ENTRYPOINT = 'paved/catalog/violations';
const TOKEN = 'bench-token';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

function fleet(): Entity[] {
  const groups = 50;
  const systems = 200;
  const entities: Entity[] = [];
  for (let g = 0; g < groups; g++) {
    entities.push({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: `team-${g}`, namespace: 'default' }, spec: { type: 'team', children: [] } });
  }
  for (let s = 0; s < systems; s++) {
    entities.push({ apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: `system-${s}`, namespace: 'default' }, spec: { owner: `team-${s % groups}` } });
  }
  for (let i = entities.length; i < ENTITIES; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `service-${i}`, namespace: 'default', ...(i % 3 ? { description: 'described' } : {}) },
      spec: {
        type: 'service',
        lifecycle: i % 11 === 0 ? 'beta' : 'production',
        // Every 17th owner does not resolve, every 7th component has no system.
        owner: i % 17 === 0 ? 'ghost-team' : `team-${i % groups}`,
        ...(i % 7 ? { system: `system-${i % systems}` } : {}),
      },
    });
  }
  return entities;
}

/** SIMULATED catalog rules: a JavaScript stand-in for Rego. */
function simulatedRules(input: any) {
  const v: object[] = [];
  const e = input.entity;
  if (e.kind !== 'Component') return v;
  if (!input.owner) v.push({ id: 'owner-resolvable', level: 'error', message: 'owner not in the catalog' });
  if (!e.spec.system) v.push({ id: 'system-set', level: 'warning', message: 'no system' });
  if (!['production', 'experimental', 'deprecated'].includes(e.spec.lifecycle)) v.push({ id: 'lifecycle-valid', level: 'error', message: 'bad lifecycle' });
  if (!e.metadata.description) v.push({ id: 'description-present', level: 'warning', message: 'no description' });
  return v;
}

async function main() {
  const opa = new SimulatedOpaServer({ token: TOKEN });
  await opa.start();
  opa.setDelay(OPA_DELAY_MS);
  opa.setRevision('bench-1');
  opa.setDecision(ENTRYPOINT, simulatedRules);
  const entities = fleet();
  const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
  const backend = await startTestBackend({
    features: [
      policyPlugin,
      kubernetesObjectCacheServiceFactory,
      // The run is started by the benchmark, not by the clock.
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => ({ scheduleTask: async (task: SchedulerServiceTaskInvocationDefinition) => void tasks.push(task) }) as unknown as SchedulerService,
      }),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          policy: {
            opa: { baseUrl: opa.url, token: TOKEN },
            ...(CONCURRENCY ? { catalog: { concurrency: CONCURRENCY } } : {}),
          },
        },
      }),
    ],
  });
  const run = () => tasks[0].fn(new AbortController().signal);
  const catalogCalls = () => opa.calls.data[ENTRYPOINT] ?? 0;

  let t0 = performance.now();
  await run();
  const fullRunS = (performance.now() - t0) / 1000;
  const fullRunCalls = catalogCalls();

  opa.resetCalls();
  t0 = performance.now();
  await run();
  const rerunS = (performance.now() - t0) / 1000;
  const rerunCalls = catalogCalls();

  // Compliance page: first pages, deep pages, and filters.
  const queries = [
    '/api/policy/compliance?limit=50',
    `/api/policy/compliance?limit=50&offset=${ENTITIES - 100}`,
    `/api/policy/compliance?limit=50&owner=${encodeURIComponent('group:default/team-7')}`,
    '/api/policy/compliance?limit=50&level=error',
    '/api/policy/compliance?limit=50&source=catalog&level=warning&offset=500',
    `/api/policy/compliance?limit=50&kind=component&system=${encodeURIComponent('system:default/system-3')}`,
  ];
  for (const q of queries) {
    const res = await request(backend.server).get(q); // warm-up
    if (res.status !== 200) throw new Error(`${q} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < VIEWS; i++) {
    const start = performance.now();
    const res = await request(backend.server).get(queries[i % queries.length]);
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`compliance answered ${res.status}: ${JSON.stringify(res.body)}`);
    total = Math.max(total, res.body.totalCount);
  }
  const complianceP50 = percentile(times, 50);
  const complianceP95 = percentile(times, 95);

  // 100 entity views: ours reads the database; per-view evaluation asks OPA twice per view.
  const components = entities.filter(e => e.kind === 'Component').map(e => e.metadata.name);
  const viewed = (i: number) => components[i % components.length];
  opa.resetCalls();
  const oursViewTimes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    await request(backend.server).get(`/api/policy/entities/component/default/${viewed(i)}/findings`);
    oursViewTimes.push(performance.now() - start);
  }
  const oursViewCalls = opa.dataCalls;
  const client = new OpaClient({ baseUrl: opa.url, token: TOKEN });
  const byName = new Map(entities.map(e => [e.metadata.name, e]));
  opa.resetCalls();
  const perViewTimes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    const entity = byName.get(viewed(i))!;
    for (let k = 0; k < 2; k++) await client.evaluate(ENTRYPOINT, { entity, owner: null, system: null });
    perViewTimes.push(performance.now() - start);
  }
  const perViewCalls = opa.dataCalls;

  await backend.stop();
  await opa.stop();

  const rows = [
    ['entities', String(ENTITIES)],
    ['OPA decision delay (simulated)', `${OPA_DELAY_MS} ms`],
    ['full run: wall time', `${fullRunS.toFixed(2)} s`],
    ['full run: OPA decision calls', String(fullRunCalls)],
    ['no-change re-run: wall time', `${rerunS.toFixed(2)} s`],
    ['no-change re-run: OPA decision calls', String(rerunCalls)],
    [`compliance API (${VIEWS} requests, ${total} rows max): p50`, `${complianceP50.toFixed(1)} ms`],
    ['compliance API: p95', `${complianceP95.toFixed(1)} ms`],
    ['100 entity views, ours: OPA calls', String(oursViewCalls)],
    ['100 entity views, ours: p95', `${percentile(oursViewTimes, 95).toFixed(1)} ms`],
    ['100 entity views, evaluate per view (x2): OPA calls', String(perViewCalls)],
    ['100 entity views, evaluate per view (x2): p95', `${percentile(perViewTimes, 95).toFixed(1)} ms`],
  ];
  const width = Math.max(...rows.map(r => r[0].length));
  console.log(`| ${'measure'.padEnd(width)} | value |`);
  console.log(`| ${'-'.repeat(width)} | --- |`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
  console.log(`RESULT full_run_s=${fullRunS.toFixed(2)} rerun_opa_calls=${rerunCalls} compliance_p95_ms=${complianceP95.toFixed(1)}`);
}

main().then(
  // Pools and keep-alive sockets of the stopped test backend would keep the process alive.
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
