/*
 * yarn bench:policy: the policy backend over 10,000 catalog entities against
 * a REAL OPA serving policies/ (the pinned binary ./platform builds), and, as
 * a second row, against the SIMULATED OPA server answering every query after
 * 5 ms (no Rego: it shows what the backend itself costs). Both rows run in
 * this one process, side by side. Reports the full run, the no-change
 * re-run, entities per OPA query, Compliance page API latency, and OPA
 * queries per 100 entity views against evaluating on every view (twice per
 * view, as the community OPA entity checker does).
 * Env: BENCH_ENTITIES, BENCH_OPA_DELAY_MS (simulated row), BENCH_VIEWS,
 * BENCH_BATCH_SIZE (policy.batchSize), BENCH_CONCURRENCY (policy.catalog.concurrency).
 * Database: SQLite.
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
import {
  LocalOpaServer,
  SimulatedOpaServer,
} from '../plugins/policy-node/src/testUtils';
import policyPlugin from '../plugins/policy-backend/src';
import { kubernetesObjectCacheServiceFactory } from '../plugins/kubernetes-status-backend/src';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const OPA_DELAY_MS = Number(process.env.BENCH_OPA_DELAY_MS ?? 5);
const VIEWS = Number(process.env.BENCH_VIEWS ?? 200);
const BATCH_SIZE = process.env.BENCH_BATCH_SIZE
  ? Number(process.env.BENCH_BATCH_SIZE)
  : undefined;
const CONCURRENCY = process.env.BENCH_CONCURRENCY
  ? Number(process.env.BENCH_CONCURRENCY)
  : undefined;
const ENTRYPOINT = 'paved/catalog/violations';
const TOKEN = 'bench-token';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};

function fleet(): Entity[] {
  const groups = 50;
  const systems = 200;
  const entities: Entity[] = [];
  for (let g = 0; g < groups; g++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${g}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
  }
  for (let s = 0; s < systems; s++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: `system-${s}`,
        namespace: 'default',
        description: 'A system',
      },
      spec: { owner: `team-${s % groups}` },
    });
  }
  for (let i = entities.length; i < ENTITIES; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `service-${i}`,
        namespace: 'default',
        ...(i % 3 ? { description: 'described' } : {}),
        annotations: {
          ...(i % 5 ? { 'backstage.io/kubernetes-id': `service-${i}` } : {}),
          'backstage.io/techdocs-ref': 'dir:.',
        },
      },
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

interface Row {
  engine: string;
  fullRunS: number;
  queries: number;
  decisions: number;
  rerunS: number;
  rerunQueries: number;
  findings: number;
  complianceP50: number;
  complianceP95: number;
  viewQueries: number;
  viewP95: number;
  perViewQueries: number;
  perViewP95: number;
}

async function measure(
  engine: string,
  opaUrl: string,
  entities: Entity[],
): Promise<Row> {
  const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
  const backend = await startTestBackend({
    features: [
      policyPlugin,
      kubernetesObjectCacheServiceFactory,
      // The run is started by the benchmark, not by the clock.
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () =>
          ({
            scheduleTask: async (
              task: SchedulerServiceTaskInvocationDefinition,
            ) => void tasks.push(task),
          } as unknown as SchedulerService),
      }),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          policy: {
            opa: { baseUrl: opaUrl, token: TOKEN, timeoutMs: 60_000 },
            ...(BATCH_SIZE ? { batchSize: BATCH_SIZE } : {}),
            ...(CONCURRENCY ? { catalog: { concurrency: CONCURRENCY } } : {}),
          },
        },
      }),
    ],
  });
  const run = () => tasks[0].fn(new AbortController().signal);
  const lastRun = async () =>
    (await request(backend.server).get('/api/policy/health')).body.lastRun;

  let t0 = performance.now();
  await run();
  const fullRunS = (performance.now() - t0) / 1000;
  const full = await lastRun();
  if (full.errors)
    throw new Error(
      `${engine}: the run had errors: ${full.errorMessages.join('; ')}`,
    );

  t0 = performance.now();
  await run();
  const rerunS = (performance.now() - t0) / 1000;
  const rerun = await lastRun();

  // Compliance page: first pages, deep pages, and filters.
  const queries = [
    '/api/policy/compliance?limit=50',
    `/api/policy/compliance?limit=50&offset=${ENTITIES - 100}`,
    `/api/policy/compliance?limit=50&owner=${encodeURIComponent(
      'group:default/team-7',
    )}`,
    '/api/policy/compliance?limit=50&level=error',
    '/api/policy/compliance?limit=50&source=catalog&level=warning&offset=500',
    `/api/policy/compliance?limit=50&kind=component&system=${encodeURIComponent(
      'system:default/system-3',
    )}`,
  ];
  for (const q of queries) {
    const res = await request(backend.server).get(q); // warm-up
    if (res.status !== 200)
      throw new Error(
        `${q} answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
  }
  const times: number[] = [];
  const perQuery = queries.map(() => [] as number[]);
  for (let i = 0; i < VIEWS; i++) {
    const start = performance.now();
    const res = await request(backend.server).get(queries[i % queries.length]);
    times.push(performance.now() - start);
    perQuery[i % queries.length].push(performance.now() - start);
    if (res.status !== 200)
      throw new Error(
        `compliance answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
  }

  if (process.env.BENCH_DEBUG)
    queries.forEach((q, i) =>
      console.error(`${percentile(perQuery[i], 95).toFixed(1)} ms p95 ${q}`),
    );
  // 100 entity views: ours reads the database; per-view evaluation asks OPA twice per view.
  const components = entities
    .filter(e => e.kind === 'Component')
    .map(e => e.metadata.name);
  const viewed = (i: number) => components[i % components.length];
  const before = await lastRun();
  const viewTimes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    await request(backend.server).get(
      `/api/policy/entities/component/default/${viewed(i)}/findings`,
    );
    viewTimes.push(performance.now() - start);
  }
  const after = await lastRun();
  const client = new OpaClient({ baseUrl: opaUrl, token: TOKEN });
  const byName = new Map(entities.map(e => [e.metadata.name, e]));
  const perViewTimes: number[] = [];
  let perViewQueries = 0;
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    const entity = byName.get(viewed(i))!;
    for (let k = 0; k < 2; k++) {
      await client.evaluate(ENTRYPOINT, { entity, owner: null, system: null });
      perViewQueries += 1;
    }
    perViewTimes.push(performance.now() - start);
  }
  await backend.stop();
  return {
    engine,
    fullRunS,
    queries: full.opaCalls,
    decisions: full.evaluated,
    rerunS,
    rerunQueries: rerun.opaCalls,
    findings: full.counts.error + full.counts.warning + full.counts.info,
    complianceP50: percentile(times, 50),
    complianceP95: percentile(times, 95),
    // Viewing runs no evaluation: the last run's counters are unchanged.
    viewQueries: after.id === before.id ? 0 : Number.NaN,
    viewP95: percentile(viewTimes, 95),
    perViewQueries,
    perViewP95: percentile(perViewTimes, 95),
  };
}

async function main() {
  const entities = fleet();
  const real = new LocalOpaServer({
    token: TOKEN,
    revision: 'bench-1',
    decisionLogs: false,
  });
  await real.start();
  const simulated = new SimulatedOpaServer({ token: TOKEN });
  await simulated.start();
  simulated.setDelay(OPA_DELAY_MS);
  simulated.setRevision('bench-1');
  // No Rego: every item of a batch passes. Only the transport and the store are measured.
  simulated.setDecision('paved/catalog/batch', (input: any) =>
    Object.fromEntries(Object.keys(input.items).map(key => [key, []])),
  );
  simulated.setDecision(ENTRYPOINT, () => []);

  const rows = [
    await measure(
      `real OPA ${
        process.env.PAVED_OPA_BIN ? '' : '(opa on PATH) '
      }serving policies/`,
      real.url,
      entities,
    ),
    await measure(
      `SIMULATED OPA, ${OPA_DELAY_MS} ms per query`,
      simulated.url,
      entities,
    ),
  ];
  await real.stop();
  await simulated.stop();

  const headers = [
    'engine',
    'full run s',
    'OPA queries',
    'decisions',
    'decisions/query',
    're-run s',
    're-run queries',
    'findings',
    'compliance p50 ms',
    'compliance p95 ms',
    'entity view p95 ms (ours, 0 queries)',
    'per-view evaluation: queries / p95 ms',
  ];
  const cells = rows.map(r => [
    r.engine,
    r.fullRunS.toFixed(2),
    String(r.queries),
    String(r.decisions),
    (r.decisions / Math.max(1, r.queries)).toFixed(0),
    r.rerunS.toFixed(2),
    String(r.rerunQueries),
    String(r.findings),
    r.complianceP50.toFixed(1),
    r.complianceP95.toFixed(1),
    r.viewP95.toFixed(1),
    `${r.perViewQueries} / ${r.perViewP95.toFixed(1)}`,
  ]);
  console.log(
    `${ENTITIES} entities, batch size ${
      BATCH_SIZE ?? 'default (500)'
    }, ${VIEWS} compliance requests per row\n`,
  );
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`| ${headers.map(() => '---').join(' | ')} |`);
  for (const c of cells) console.log(`| ${c.join(' | ')} |`);
  const [ours] = rows;
  console.log(
    `RESULT full_run_s=${ours.fullRunS.toFixed(2)} rerun_opa_calls=${
      ours.rerunQueries
    } compliance_p95_ms=${ours.complianceP95.toFixed(1)} decisions_per_query=${(
      ours.decisions / Math.max(1, ours.queries)
    ).toFixed(0)}`,
  );
}

main().then(
  // Pools and keep-alive sockets of the stopped test backends would keep the process alive.
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
