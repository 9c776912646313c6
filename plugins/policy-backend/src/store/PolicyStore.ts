import { Knex } from 'knex';
import { StoredConstraintAudit } from '../evaluation/gatekeeperAudit';
import {
  complianceFromCounts,
  ComplianceListQuery,
  ComplianceState,
  ComplianceStatus,
  ComplianceTrendPoint,
  EngineBundleProblem,
  EvaluationRunSummary,
  POLICY_SOURCES,
  PolicySource,
  PolicyStaleness,
  PolicyViolation,
  UnknownComplianceReason,
  VIOLATION_LEVELS,
  ViolationLevel,
} from '@paved/plugin-policy-common';

/** The catalog facts of an entity kept next to its findings (for filters). */
export interface StoredEntityMeta {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
}

/** What one successful evaluation of one source of an entity produced. */
export interface EntityEvaluation {
  meta: StoredEntityMeta;
  source: PolicySource;
  contentHash: string;
  policyRevision: string;
  decisionId?: string;
  evaluatedAt: string;
  /** Findings of `source`; replace the stored ones of that source. */
  findings: PolicyViolation[];
  /** Set when the engine gave no usable verdict (undefined or invalid result). */
  unknown?: { reason: UnknownComplianceReason; message: string };
  /** Gatekeeper only: audit state of the constraints in the entity's clusters. */
  gatekeeperAudit?: StoredConstraintAudit[];
}

/** What decides whether an entity needs evaluating again. */
export interface EvaluationKeys {
  contentHash?: string;
  policyRevision?: string;
  workloadHash?: string;
  workloadRevision?: string;
  gatekeeperHash?: string;
  /** The last attempt failed (results are stale): evaluate again. */
  failed: boolean;
}

/** An entity's stored state. */
export interface StoredEntity {
  meta: StoredEntityMeta;
  compliance: ComplianceState;
  findings: PolicyViolation[];
  contentHash?: string;
  policyRevision?: string;
  decisionId?: string;
  evaluatedAt?: string;
  stale?: PolicyStaleness;
  gatekeeperAudit?: StoredConstraintAudit[];
}

/** A bundle's state in one OPA status report. */
export interface StoredBundleStatus {
  name: string;
  activeRevision?: string;
  /** Set when the last download or activation failed. */
  error?: { message: string; problems: EngineBundleProblem[] };
}

/** The latest status report of one OPA instance. */
export interface StoredEngineStatus {
  instance: string;
  reportedAt: string;
  opaVersion?: string;
  bundles: StoredBundleStatus[];
}

/** Status reports older than this are deleted; views ignore them well before. */
const ENGINE_STATUS_RETENTION_MS = 24 * 60 * 60 * 1000;
/** At most this many OPA instances are remembered (the most recent reports). */
const MAX_ENGINE_INSTANCES = 100;

/** How much run history is kept. */
export interface PolicyHistoryRetention {
  /** Runs kept at most (the newest). */
  maxRuns: number;
  /** Runs started longer ago are deleted. */
  maxAgeDays: number;
}

/** Defaults of `policy.history`: 90 days, or 2,000 runs (two weeks at the 10-minute schedule, with re-runs). */
export const DEFAULT_HISTORY_RETENTION: PolicyHistoryRetention = {
  maxRuns: 2000,
  maxAgeDays: 90,
};

/** What one run counted. */
export interface RunTotals {
  policyRevision?: string;
  entities: number;
  evaluated: number;
  skipped: number;
  /** Decision calls for entities (the revision lookup is not counted). */
  opaCalls: number;
  errors: number;
  errorMessages: string[];
}

/** Totals of a finished run. */
export interface RunCompletion extends RunTotals {
  finishedAt: string;
  durationMs: number;
}

const STATUS_ORDER: Record<ComplianceStatus, number> = {
  failing: 0,
  warnings: 1,
  unknown: 2,
  passing: 3,
};
// SQLite allows 999 bound variables per statement; a finding row binds 12.
const MAX_BINDINGS = 900;
const INSERT_CHUNK = Math.floor(MAX_BINDINGS / 12);
const REF_CHUNK = 500;

/** `<source>_<level>_count` of every source and level, zero. */
const SOURCE_LEVEL_COLUMNS_ZERO: Record<string, number> = Object.fromEntries(
  POLICY_SOURCES.flatMap(source =>
    VIOLATION_LEVELS.map(level => [`${source}_${level}_count`, 0]),
  ),
);

const LIST_COLUMNS = [
  'entity_ref',
  'kind',
  'namespace',
  'name',
  'title',
  'owner',
  'system',
  'status',
  'unknown_reason',
  'reason_message',
  'error_count',
  'warning_count',
  'info_count',
  'policy_revision',
  'evaluated_at',
  'stale_since',
  'last_error',
];

function chunks<T>(values: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size)
    result.push(values.slice(i, i + size));
  return result;
}

/**
 * Findings, evaluation state and run history in the plugin's database.
 * Every list and filter is answered by indexed SQL.
 */
export class PolicyStore {
  private readonly db: Knex;
  private readonly history: PolicyHistoryRetention;

  constructor(options: {
    db: Knex;
    history?: Partial<PolicyHistoryRetention>;
  }) {
    this.db = options.db;
    this.history = { ...DEFAULT_HISTORY_RETENTION, ...options.history };
  }

  /**
   * Hash and revision of every evaluated entity (or only of `entityRefs`), to skip unchanged ones.
   */
  async evaluationKeys(
    entityRefs?: string[],
  ): Promise<Map<string, EvaluationKeys>> {
    const columns = [
      'entity_ref',
      'content_hash',
      'policy_revision',
      'workload_hash',
      'workload_revision',
      'gatekeeper_hash',
      'stale_since',
    ];
    const rows = [];
    if (entityRefs) {
      for (let i = 0; i < entityRefs.length; i += 500) {
        rows.push(
          ...(await this.db('policy_entities')
            .select(columns)
            .whereIn('entity_ref', entityRefs.slice(i, i + 500))),
        );
      }
    } else {
      rows.push(...(await this.db('policy_entities').select(columns)));
    }
    return new Map(
      rows.map(r => [
        r.entity_ref,
        {
          contentHash: r.content_hash ?? undefined,
          policyRevision: r.policy_revision ?? undefined,
          workloadHash: r.workload_hash ?? undefined,
          workloadRevision: r.workload_revision ?? undefined,
          gatekeeperHash: r.gatekeeper_hash ?? undefined,
          failed: !!r.stale_since,
        },
      ]),
    );
  }

  /**
   * Stores evaluations (any mix of entities and sources) in one
   * transaction: each replaces the stored findings of its entity and
   * source, and each touched entity's counts and state are derived again
   * from all its findings. Statements are batched, so a run stores
   * thousands of entities in a few hundred statements.
   */
  async saveEvaluations(evaluations: EntityEvaluation[]): Promise<void> {
    if (!evaluations.length) return;
    await this.db.transaction(async tx => {
      const touched = [...new Set(evaluations.map(e => e.meta.entityRef))];
      for (const source of POLICY_SOURCES) {
        const ofSource = evaluations.filter(e => e.source === source);
        if (!ofSource.length) continue;
        const refs = ofSource.map(e => e.meta.entityRef);
        for (const chunk of chunks(refs, REF_CHUNK)) {
          await tx('policy_findings')
            .whereIn('entity_ref', chunk)
            .andWhere({ source })
            .delete();
        }
        // Upsert the entity rows before the findings so the foreign key
        // holds; state and counts are derived below. New rows start unknown.
        const rows = ofSource.map(e => ({
          ...metaColumns(e.meta),
          ...sourceColumns(e),
          // A catalog verdict means the engine answered for this entity again.
          ...(source === 'catalog'
            ? { stale_since: null, last_error: null }
            : {}),
          status: 'unknown',
          status_order: STATUS_ORDER.unknown,
        }));
        const merged = Object.keys(rows[0]).filter(
          c => c !== 'entity_ref' && c !== 'status' && c !== 'status_order',
        );
        for (const chunk of chunks(
          rows,
          Math.floor(MAX_BINDINGS / Object.keys(rows[0]).length),
        )) {
          await tx('policy_entities')
            .insert(chunk)
            .onConflict('entity_ref')
            .merge(merged);
        }
        const findings = ofSource.flatMap(e =>
          e.findings.map(f => findingColumns(e.meta.entityRef, f)),
        );
        if (findings.length)
          await tx.batchInsert('policy_findings', findings, INSERT_CHUNK);
      }
      await this.deriveState(tx, touched);
    });
  }

  /** One evaluation; see {@link PolicyStore.saveEvaluations}. */
  async saveEvaluation(evaluation: EntityEvaluation): Promise<void> {
    await this.saveEvaluations([evaluation]);
  }

  /** Counts per level and the compliance state of each entity, from its findings of every source. */
  private async deriveState(
    tx: Knex.Transaction,
    entityRefs: string[],
  ): Promise<void> {
    const groups = new Map<
      string,
      { refs: string[]; columns: Record<string, unknown> }
    >();
    for (const chunk of chunks(entityRefs, REF_CHUNK)) {
      const countRows = (await tx('policy_findings')
        .whereIn('entity_ref', chunk)
        .groupBy('entity_ref', 'source', 'level')
        .select('entity_ref', 'source', 'level')
        .count({ n: '*' })) as Array<{
        entity_ref: string;
        source: PolicySource;
        level: ViolationLevel;
        n: number | string;
      }>;
      const counts = new Map<string, Record<ViolationLevel, number>>();
      const bySource = new Map<string, Record<string, number>>();
      for (const r of countRows) {
        const c = counts.get(r.entity_ref) ?? { error: 0, warning: 0, info: 0 };
        c[r.level] += Number(r.n);
        counts.set(r.entity_ref, c);
        const perSource = bySource.get(r.entity_ref) ?? {};
        perSource[`${r.source}_${r.level}_count`] = Number(r.n);
        bySource.set(r.entity_ref, perSource);
      }
      const rows = await tx('policy_entities')
        .whereIn('entity_ref', chunk)
        .select(
          'entity_ref',
          'catalog_unknown_reason',
          'catalog_reason_message',
          'workload_unknown_reason',
          'workload_reason_message',
        );
      for (const row of rows) {
        const c = counts.get(row.entity_ref) ?? {
          error: 0,
          warning: 0,
          info: 0,
        };
        const unknownReason =
          row.catalog_unknown_reason ?? row.workload_unknown_reason ?? null;
        const reasonMessage = row.catalog_unknown_reason
          ? row.catalog_reason_message
          : row.workload_reason_message;
        const status: ComplianceStatus = unknownReason
          ? 'unknown'
          : complianceFromCounts(c).status;
        const columns = {
          status,
          status_order: STATUS_ORDER[status],
          unknown_reason: unknownReason,
          reason_message: unknownReason ? reasonMessage ?? null : null,
          error_count: c.error,
          warning_count: c.warning,
          info_count: c.info,
          ...SOURCE_LEVEL_COLUMNS_ZERO,
          ...bySource.get(row.entity_ref),
        };
        // Entities in the same state share one UPDATE.
        const key = JSON.stringify(columns);
        const group = groups.get(key) ?? { refs: [] as string[], columns };
        group.refs.push(row.entity_ref);
        groups.set(key, group);
      }
    }
    for (const { refs, columns } of groups.values()) {
      for (const chunk of chunks(refs, REF_CHUNK))
        await tx('policy_entities')
          .whereIn('entity_ref', chunk)
          .update(columns);
    }
  }

  /**
   * The engine failed for these entities: keep their findings and mark them
   * stale, or record an unknown state for those never evaluated. Hashes are
   * left alone, so the next run tries again.
   */
  async saveFailures(
    failures: Array<{ meta: StoredEntityMeta; error: string; at: string }>,
  ): Promise<void> {
    if (!failures.length) return;
    await this.db.transaction(async tx => {
      const existing = new Map<string, { stale_since: string | null }>();
      for (const chunk of chunks(
        failures.map(f => f.meta.entityRef),
        REF_CHUNK,
      )) {
        for (const row of await tx('policy_entities')
          .whereIn('entity_ref', chunk)
          .select('entity_ref', 'stale_since')) {
          existing.set(row.entity_ref, row);
        }
      }
      for (const { meta, error, at } of failures) {
        const row = existing.get(meta.entityRef);
        if (row) {
          await tx('policy_entities')
            .where({ entity_ref: meta.entityRef })
            .update({
              ...metaColumns(meta),
              stale_since: row.stale_since ?? at,
              last_error: error,
            });
          continue;
        }
        await tx('policy_entities').insert({
          ...metaColumns(meta),
          status: 'unknown',
          status_order: STATUS_ORDER.unknown,
          unknown_reason: 'engine-error',
          reason_message: error,
          stale_since: at,
          last_error: error,
        });
        existing.set(meta.entityRef, { stale_since: at });
      }
    });
  }

  /** One failure; see {@link PolicyStore.saveFailures}. */
  async saveFailure(
    meta: StoredEntityMeta,
    error: string,
    at: string,
  ): Promise<void> {
    await this.saveFailures([{ meta, error, at }]);
  }

  /** The engine is down for the whole run: every stored result becomes stale. */
  async markAllStale(error: string, at: string): Promise<void> {
    await this.db('policy_entities')
      .whereNull('stale_since')
      .update({ stale_since: at });
    await this.db('policy_entities').update({ last_error: error });
  }

  /** Refs of stored entities whose owner or system is one of `entityRefs` (their input includes it). */
  async entityRefsRelatedTo(entityRefs: string[]): Promise<string[]> {
    const related = new Set<string>();
    for (let i = 0; i < entityRefs.length; i += 400) {
      const chunk = entityRefs.slice(i, i + 400);
      const rows = await this.db('policy_entities')
        .select('entity_ref')
        .whereIn('owner', chunk)
        .orWhereIn('system', chunk);
      for (const row of rows) related.add(row.entity_ref);
    }
    return [...related];
  }

  /** Forgets entities that left the catalog. */
  async deleteEntitiesExcept(present: Set<string>): Promise<number> {
    const stored: string[] = (
      await this.db('policy_entities').select('entity_ref')
    ).map(r => r.entity_ref);
    const gone = stored.filter(ref => !present.has(ref));
    for (let i = 0; i < gone.length; i += 500) {
      const chunk = gone.slice(i, i + 500);
      await this.db('policy_findings').whereIn('entity_ref', chunk).delete();
      await this.db('policy_entities').whereIn('entity_ref', chunk).delete();
    }
    return gone.length;
  }

  async getEntity(entityRef: string): Promise<StoredEntity | undefined> {
    const row = await this.db('policy_entities')
      .where({ entity_ref: entityRef })
      .first();
    if (!row) return undefined;
    const findings = await this.db('policy_findings')
      .where({ entity_ref: entityRef })
      .orderBy('id');
    return {
      meta: metaOf(row),
      compliance: complianceOf(row),
      findings: findings.map(findingOf),
      contentHash: row.content_hash ?? undefined,
      policyRevision: row.policy_revision ?? undefined,
      decisionId: row.decision_id ?? undefined,
      evaluatedAt: row.evaluated_at ?? undefined,
      stale: stalenessOf(row),
      gatekeeperAudit: row.gatekeeper_audit
        ? JSON.parse(row.gatekeeper_audit)
        : undefined,
    };
  }

  /**
   * One page of the fleet, worst first. With `visible`, only those entity
   * refs count (the caller may not read the others in the catalog): the
   * whole filtered order is read as refs, intersected, and the page's rows
   * fetched by ref.
   */
  async listCompliance(
    query: ComplianceListQuery,
    visible?: Set<string>,
  ): Promise<{
    items: Array<Omit<StoredEntity, 'findings'>>;
    totalCount: number;
  }> {
    const filtered = () => {
      const q = this.db('policy_entities');
      if (query.owner?.length) q.whereIn('owner', query.owner);
      if (query.system?.length) q.whereIn('system', query.system);
      if (query.kind?.length)
        q.whereIn(
          'kind',
          query.kind.map(k => k.toLocaleLowerCase('en-US')),
        );
      if (query.source?.length) {
        const sources = query.source;
        const levels = query.level?.length ? query.level : VIOLATION_LEVELS;
        q.where(w => {
          for (const source of sources)
            for (const level of levels)
              w.orWhere(`${source}_${level}_count`, '>', 0);
        });
      } else if (query.level?.length) {
        const levels = query.level;
        q.where(w => {
          for (const level of levels) w.orWhere(`${level}_count`, '>', 0);
        });
      }
      return q;
    };
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    if (visible) {
      const ordered = (
        await filtered()
          .select('entity_ref')
          .orderBy([{ column: 'status_order' }, { column: 'entity_ref' }])
      )
        .map(r => r.entity_ref as string)
        .filter(ref => visible.has(ref));
      const pageRefs = ordered.slice(offset, offset + limit);
      const byRef = new Map<string, any>();
      for (const chunk of chunks(pageRefs, REF_CHUNK)) {
        for (const row of await this.db('policy_entities')
          .select(LIST_COLUMNS)
          .whereIn('entity_ref', chunk)) {
          byRef.set(row.entity_ref, row);
        }
      }
      return {
        totalCount: ordered.length,
        items: pageRefs.map(ref => listItemOf(byRef.get(ref))),
      };
    }
    const [rows, [{ count }]] = await Promise.all([
      // Only what a list row shows (not the Gatekeeper audit JSON or hashes).
      filtered()
        .select(LIST_COLUMNS)
        .orderBy([{ column: 'status_order' }, { column: 'entity_ref' }])
        .offset(offset)
        .limit(limit),
      filtered().count({ count: '*' }),
    ]);
    return {
      totalCount: Number(count),
      items: rows.map(listItemOf),
    };
  }

  /** Keeps the latest report of the instance; forgets reports older than a day, and instances beyond the newest 100. */
  async saveEngineStatus(status: StoredEngineStatus): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('policy_engine_status')
        .insert({
          instance_id: status.instance,
          reported_at: status.reportedAt,
          opa_version: status.opaVersion ?? null,
          bundles: JSON.stringify(status.bundles),
        })
        .onConflict('instance_id')
        .merge();
      const cutoff = new Date(
        Date.parse(status.reportedAt) - ENGINE_STATUS_RETENTION_MS,
      ).toISOString();
      await tx('policy_engine_status')
        .where('reported_at', '<', cutoff)
        .delete();
      const keep = await tx('policy_engine_status')
        .select('instance_id')
        .orderBy('reported_at', 'desc')
        .limit(MAX_ENGINE_INSTANCES);
      await tx('policy_engine_status')
        .whereNotIn(
          'instance_id',
          keep.map(r => r.instance_id),
        )
        .delete();
    });
  }

  /** The latest report of every instance that reported since `since` (ISO), newest first. */
  async engineStatuses(since: string): Promise<StoredEngineStatus[]> {
    const rows = await this.db('policy_engine_status')
      .where('reported_at', '>=', since)
      .orderBy('reported_at', 'desc');
    return rows.map(r => ({
      instance: r.instance_id,
      reportedAt: r.reported_at,
      opaVersion: r.opa_version ?? undefined,
      bundles: JSON.parse(r.bundles),
    }));
  }

  async startRun(
    trigger: 'schedule' | 'manual',
    startedAt: string,
  ): Promise<number> {
    const [row] = await this.db('policy_runs')
      .insert({ trigger, started_at: startedAt })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /**
   * Records the run's totals and its totals per owner (for the trend per
   * team), then forgets runs beyond the retention: older than
   * `maxAgeDays` or beyond the newest `maxRuns`.
   */
  async finishRun(runId: number, completion: RunCompletion): Promise<void> {
    await this.db.transaction(async tx => {
      await tx.raw(
        `INSERT INTO policy_run_owners (run_id, owner, entities, failing, error_count, warning_count, info_count)
         SELECT ?, COALESCE(owner, ''), COUNT(*), SUM(CASE WHEN status = 'failing' THEN 1 ELSE 0 END),
                SUM(error_count), SUM(warning_count), SUM(info_count)
         FROM policy_entities GROUP BY COALESCE(owner, '')`,
        [runId],
      );
      const [totals] = await tx('policy_entities')
        .sum({
          error_count: 'error_count',
          warning_count: 'warning_count',
          info_count: 'info_count',
        })
        .count({ entities: '*' });
      const [{ failing }] = await tx('policy_entities')
        .where({ status: 'failing' })
        .count({ failing: '*' });
      await tx('policy_runs')
        .where({ id: runId })
        .update({
          finished_at: completion.finishedAt,
          duration_ms: completion.durationMs,
          policy_revision: completion.policyRevision ?? null,
          entities: completion.entities,
          evaluated: completion.evaluated,
          skipped: completion.skipped,
          opa_calls: completion.opaCalls,
          errors: completion.errors,
          failing: Number(failing),
          error_count: Number(totals?.error_count ?? 0),
          warning_count: Number(totals?.warning_count ?? 0),
          info_count: Number(totals?.info_count ?? 0),
          error_messages: JSON.stringify(completion.errorMessages.slice(0, 20)),
        });
      await this.pruneRuns(tx, completion.finishedAt);
    });
    await this.refreshPlannerStatistics();
  }

  /**
   * SQLite's query planner has no statistics until ANALYZE runs; without
   * them it may walk the wrong index for a filtered fleet page (kind and
   * system: the kind index, 10,000 rows, instead of the system index, 50).
   * PostgreSQL's autovacuum keeps its own statistics.
   */
  private async refreshPlannerStatistics(): Promise<void> {
    if (
      this.db.client.config.client === 'better-sqlite3' ||
      this.db.client.config.client === 'sqlite3'
    ) {
      await this.db.raw('PRAGMA optimize=0x10002');
    }
  }

  /** Deletes runs (and their per-owner totals) beyond the retention, in the finishing run's transaction. */
  private async pruneRuns(tx: Knex.Transaction, now: string): Promise<number> {
    const { maxRuns, maxAgeDays } = this.history;
    const cutoff = new Date(
      Date.parse(now) - maxAgeDays * 24 * 60 * 60 * 1000,
    ).toISOString();
    const newest = await tx('policy_runs')
      .select('id')
      .orderBy('id', 'desc')
      .offset(maxRuns - 1)
      .limit(1)
      .first();
    const expired = await tx('policy_runs')
      .select('id')
      .where(q => {
        q.where('started_at', '<', cutoff);
        if (newest) q.orWhere('id', '<', newest.id);
      });
    const ids = expired.map(r => r.id);
    for (const chunk of chunks(ids, REF_CHUNK)) {
      await tx('policy_run_owners').whereIn('run_id', chunk).delete();
      await tx('policy_runs').whereIn('id', chunk).delete();
    }
    return ids.length;
  }

  async lastRun(): Promise<EvaluationRunSummary | undefined> {
    const row = await this.db('policy_runs')
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .first();
    return row ? runOf(row) : undefined;
  }

  /** Violations over time (finished runs, oldest first), optionally of one owner's entities. */
  async trend(options: {
    owner?: string;
    limit: number;
  }): Promise<ComplianceTrendPoint[]> {
    const runs = await this.db('policy_runs')
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .select(
        'id',
        'finished_at',
        'entities',
        'failing',
        'error_count',
        'warning_count',
        'info_count',
      );
    if (!runs.length) return [];
    if (!options.owner) {
      return runs.reverse().map(r => ({
        runId: Number(r.id),
        at: r.finished_at,
        entities: Number(r.entities),
        failing: Number(r.failing),
        counts: {
          error: Number(r.error_count),
          warning: Number(r.warning_count),
          info: Number(r.info_count),
        },
      }));
    }
    const perRun = await this.db('policy_run_owners')
      .where({ owner: options.owner })
      .whereIn(
        'run_id',
        runs.map(r => r.id),
      )
      .select(
        'run_id',
        'entities',
        'failing',
        'error_count',
        'warning_count',
        'info_count',
      );
    const byRun = new Map(perRun.map((r: any) => [Number(r.run_id), r]));
    return runs.reverse().map(run => {
      const r: any = byRun.get(Number(run.id));
      return {
        runId: Number(run.id),
        at: run.finished_at,
        entities: Number(r?.entities ?? 0),
        failing: Number(r?.failing ?? 0),
        counts: {
          error: Number(r?.error_count ?? 0),
          warning: Number(r?.warning_count ?? 0),
          info: Number(r?.info_count ?? 0),
        },
      };
    });
  }

  /** Entities currently flagged by each `policy` + `rule_id`. */
  async flaggedEntities(
    policies: string[],
  ): Promise<Array<{ policy: string; ruleId: string; entityRef: string }>> {
    if (!policies.length) return [];
    const rows = await this.db('policy_findings')
      .distinct('policy', 'rule_id', 'entity_ref')
      .whereIn('policy', policies)
      .orderBy('entity_ref');
    return rows.map(r => ({
      policy: r.policy,
      ruleId: r.rule_id,
      entityRef: r.entity_ref,
    }));
  }
}

function metaColumns(meta: StoredEntityMeta) {
  return {
    entity_ref: meta.entityRef,
    kind: meta.kind.toLocaleLowerCase('en-US'),
    namespace: meta.namespace,
    name: meta.name,
    title: meta.title ?? null,
    owner: meta.owner ?? null,
    system: meta.system ?? null,
  };
}

function sourceColumns(evaluation: EntityEvaluation) {
  const unknownReason = evaluation.unknown?.reason ?? null;
  const reasonMessage = evaluation.unknown?.message ?? null;
  if (evaluation.source === 'gatekeeper') {
    return {
      gatekeeper_hash: evaluation.contentHash,
      gatekeeper_audit: JSON.stringify(evaluation.gatekeeperAudit ?? []),
    };
  }
  if (evaluation.source === 'workload') {
    return {
      workload_hash: evaluation.contentHash,
      workload_revision: evaluation.policyRevision,
      workload_decision_id: evaluation.decisionId ?? null,
      workload_evaluated_at: evaluation.evaluatedAt,
      workload_unknown_reason: unknownReason,
      workload_reason_message: reasonMessage,
    };
  }
  return {
    content_hash: evaluation.contentHash,
    policy_revision: evaluation.policyRevision,
    decision_id: evaluation.decisionId ?? null,
    evaluated_at: evaluation.evaluatedAt,
    catalog_unknown_reason: unknownReason,
    catalog_reason_message: reasonMessage,
  };
}

function listItemOf(row: any): Omit<StoredEntity, 'findings'> {
  return {
    meta: metaOf(row),
    compliance: complianceOf(row),
    policyRevision: row.policy_revision ?? undefined,
    evaluatedAt: row.evaluated_at ?? undefined,
    stale: stalenessOf(row),
  };
}

function metaOf(row: any): StoredEntityMeta {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    title: row.title ?? undefined,
    owner: row.owner ?? undefined,
    system: row.system ?? undefined,
  };
}

function complianceOf(row: any): ComplianceState {
  const counts = {
    error: Number(row.error_count),
    warning: Number(row.warning_count),
    info: Number(row.info_count),
  };
  if (row.status === 'unknown') {
    return {
      status: 'unknown',
      counts,
      reason: row.unknown_reason ?? undefined,
      reasonMessage: row.reason_message ?? undefined,
    };
  }
  return { status: row.status, counts };
}

function stalenessOf(row: any): PolicyStaleness | undefined {
  return row.stale_since
    ? { since: row.stale_since, error: row.last_error ?? 'unknown error' }
    : undefined;
}

function findingColumns(entityRef: string, f: PolicyViolation) {
  return {
    entity_ref: entityRef,
    source: f.source,
    policy: f.policy,
    rule_id: f.id,
    level: f.level,
    message: f.message,
    remediation: f.remediation ?? null,
    docs_url: f.docsUrl ?? null,
    resource: f.resource ? JSON.stringify(f.resource) : null,
    evaluated_at: f.evaluatedAt,
    policy_revision: f.policyRevision,
    decision_id: f.decisionId ?? null,
  };
}

function findingOf(row: any): PolicyViolation {
  return {
    source: row.source,
    policy: row.policy,
    id: row.rule_id,
    level: row.level as ViolationLevel,
    message: row.message,
    ...(row.remediation ? { remediation: row.remediation } : {}),
    ...(row.docs_url ? { docsUrl: row.docs_url } : {}),
    ...(row.resource ? { resource: JSON.parse(row.resource) } : {}),
    evaluatedAt: row.evaluated_at,
    policyRevision: row.policy_revision,
    ...(row.decision_id ? { decisionId: row.decision_id } : {}),
  };
}

function runOf(row: any): EvaluationRunSummary {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    durationMs: row.duration_ms ?? undefined,
    policyRevision: row.policy_revision ?? undefined,
    entities: Number(row.entities),
    evaluated: Number(row.evaluated),
    skipped: Number(row.skipped),
    opaCalls: Number(row.opa_calls),
    errors: Number(row.errors),
    counts: {
      error: Number(row.error_count),
      warning: Number(row.warning_count),
      info: Number(row.info_count),
    },
    errorMessages: row.error_messages ? JSON.parse(row.error_messages) : [],
  };
}
