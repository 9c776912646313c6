import { toError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_POLICY_SKIP,
  PolicySource,
  PolicyViolation,
} from '@paved/plugin-policy-common';
import { OpaClient, violationsFromResult } from '@paved/plugin-policy-node';
import { KubernetesObjectCacheService } from '@paved/plugin-kubernetes-status-node';
import {
  EntityEvaluation,
  EvaluationKeys,
  PolicyStore,
  RunTotals,
} from '../store/PolicyStore';
import stableStringify from 'fast-json-stable-stringify';
import { CatalogPolicyInput, relatedRefs } from '@paved/plugin-policy-node';
import { entityMeta, inputHash } from './entityInput';
import { ClusterManifests, workloadManifests } from './workloadManifests';
import { ItemDecision, OpaBatchDecider } from './OpaBatchDecider';
import { GatekeeperAuditSnapshot } from './gatekeeperAudit';

/** Options of {@link PolicyEvaluator}. */
export interface PolicyEvaluatorOptions {
  opa: OpaClient;
  store: PolicyStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Data API path of the catalog rules, e.g. `paved/catalog/violations`. */
  catalogEntrypoint: string;
  /** Data API path of the workload rules, e.g. `paved/workload/violations`. */
  workloadEntrypoint: string;
  /** Batch entry point of the catalog rules (`{items}` → `{key: violations}`); unset: one query per entity. */
  catalogBatchEntrypoint?: string;
  /** Batch entry point of the workload rules; unset: one query per entity and cluster. */
  workloadBatchEntrypoint?: string;
  /** Items per batch query. Default 500; 1 turns batching off. */
  batchSize?: number;
  /** The shared Kubernetes caches, for workload rules and Gatekeeper audit. */
  kubernetes?: KubernetesObjectCacheService;
  /** Evaluate workload rules over live manifests (needs `kubernetes`). Default true. */
  workload?: boolean;
  /** Read Gatekeeper audit results from the clusters (needs `kubernetes`). */
  gatekeeper?: boolean;
  /** OPA queries in flight at once. Default 2. */
  concurrency?: number;
}

/** Totals of one run, as stored in the run history. */
export interface PolicyRunResult extends RunTotals {
  runId: number;
  durationMs: number;
}

/** Totals of {@link PolicyEvaluator.evaluateChanged}. */
export interface ChangedEvaluationResult {
  /** Entities looked at: the changed ones found in the catalog plus their dependents. */
  entities: number;
  evaluated: number;
  /** Decision queries (the revision lookup is not counted). */
  opaCalls: number;
  errors: number;
}

/** What one entity needs from OPA in this pass. */
interface EntityPlan {
  entity: Entity;
  ref: string;
  catalog?: { hash: string; input: CatalogPolicyInput; skipAnnotated: boolean };
  workload?: { hash: string; clusters: ClusterManifests[] };
}

type PlanOutcome = 'skipped' | 'evaluated' | { failed: string };

/** OPA's answers for some plans: what to store, and each plan's outcome (in plan order). */
interface DecidedPlans {
  outcomes: PlanOutcome[];
  evaluations: EntityEvaluation[];
  failures: Array<{
    meta: ReturnType<typeof entityMeta>;
    error: string;
    at: string;
  }>;
}

/**
 * Evaluates entities at the catalog entry point (entity + owner + system)
 * and, for entities with Kubernetes annotations, at the workload entry
 * point (their live manifests per cluster), and stores the findings. A run
 * evaluates a source of an entity only when its input hash or the policy
 * revision changed since the last evaluation. Inputs go to OPA in batches
 * (one query for up to `batchSize` entities) and findings are stored per
 * batch in one transaction.
 */
export class PolicyEvaluator {
  private readonly options: PolicyEvaluatorOptions;
  private readonly catalogDecider: OpaBatchDecider;
  private readonly workloadDecider: OpaBatchDecider;
  private readonly batchSize: number;
  private readonly concurrency: number;

  constructor(options: PolicyEvaluatorOptions) {
    this.options = options;
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    const common = {
      opa: options.opa,
      logger: options.logger,
      batchSize: this.batchSize,
      concurrency: this.concurrency,
    };
    this.catalogDecider = new OpaBatchDecider({
      ...common,
      entrypoint: options.catalogEntrypoint,
      batchEntrypoint: options.catalogBatchEntrypoint,
    });
    this.workloadDecider = new OpaBatchDecider({
      ...common,
      entrypoint: options.workloadEntrypoint,
      batchEntrypoint: options.workloadBatchEntrypoint,
    });
  }

  /** One scheduled run over the whole catalog. */
  async runAll(
    trigger: 'schedule' | 'manual' = 'schedule',
  ): Promise<PolicyRunResult> {
    const { store, logger } = this.options;
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const runId = await store.startRun(trigger, startedAt);
    const result: PolicyRunResult = {
      runId,
      entities: 0,
      evaluated: 0,
      skipped: 0,
      opaCalls: 0,
      errors: 0,
      errorMessages: [],
      durationMs: 0,
    };
    try {
      await this.evaluateFleet(result);
    } catch (error) {
      // The engine (or the catalog) is unavailable: keep every stored result,
      // marked stale with the reason.
      const message = toError(error).message;
      logger.warn(
        `Policy run ${runId} failed, stored results are kept and marked stale`,
        toError(error),
      );
      result.errors += 1;
      result.errorMessages.unshift(message);
      await store.markAllStale(message, startedAt);
    }
    result.durationMs = Date.now() - started;
    await store.finishRun(runId, {
      finishedAt: new Date().toISOString(),
      durationMs: result.durationMs,
      policyRevision: result.policyRevision,
      entities: result.entities,
      evaluated: result.evaluated,
      skipped: result.skipped,
      opaCalls: result.opaCalls,
      errors: result.errors,
      errorMessages: result.errorMessages,
    });
    logger.info(
      `Policy run ${runId}: ${result.entities} entities, ${result.evaluated} evaluated, ${result.skipped} unchanged, ` +
        `${result.opaCalls} OPA queries, ${result.errors} errors in ${result.durationMs} ms`,
    );
    return result;
  }

  /** Re-evaluates one entity now, whatever its hashes. Engine failures are stored, not thrown. */
  async evaluateEntity(entityRef: string): Promise<void> {
    const { catalog, auth, opa, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) return;
    const { owner, system } = relatedRefs(entity);
    const related = await catalog.getEntitiesByRefs(
      { entityRefs: [owner, system].filter((r): r is string => !!r) },
      { credentials },
    );
    const byRef = new Map(
      related.items
        .filter((e): e is Entity => !!e)
        .map(e => [stringifyEntityRef(e), e]),
    );
    let revision: string;
    try {
      revision = await opa.activeRevision();
    } catch (error) {
      await store.saveFailures([
        {
          meta: entityMeta(entity),
          error: toError(error).message,
          at: new Date().toISOString(),
        },
      ]);
      return;
    }
    await this.evaluatePlans(
      [this.plan(entity, byRef, revision, undefined)],
      revision,
      { opaCalls: 0 },
    );
    const audit = await this.readGatekeeperAudit();
    const gatekeeper =
      audit && this.gatekeeperEvaluation(entity, audit, undefined);
    if (gatekeeper) await this.options.store.saveEvaluations([gatekeeper]);
  }

  /**
   * Evaluates the named entities, and stored entities whose owner or system
   * is one of them, whose catalog input hash changed or whose last attempt
   * failed (the run's incremental rule; workload hashes are checked for
   * those too). Unchanged entities cost no OPA call at all, not even the
   * revision lookup. Refs no longer in the catalog are left to the next run.
   * Gatekeeper audits are not read (live cluster calls): the run does that.
   * No run is recorded. Throws when the engine cannot be asked for its revision.
   */
  async evaluateChanged(
    entityRefs: string[],
  ): Promise<ChangedEvaluationResult> {
    const { catalog, auth, opa, store } = this.options;
    const result: ChangedEvaluationResult = {
      entities: 0,
      evaluated: 0,
      opaCalls: 0,
      errors: 0,
    };
    const named = entityRefs.flatMap(ref => {
      try {
        return [stringifyEntityRef(parseEntityRef(ref))];
      } catch {
        return []; // not an entity ref: nothing to evaluate
      }
    });
    if (!named.length) return result;
    const dependents = await store.entityRefsRelatedTo(named);
    const refs = [...new Set([...named, ...dependents])];
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    const byRef = new Map(
      items
        .filter((e): e is Entity => !!e)
        .map(e => [stringifyEntityRef(e), e]),
    );
    const entities = [...byRef.values()];
    const missingRelated = new Set<string>();
    for (const entity of entities) {
      for (const ref of Object.values(relatedRefs(entity)))
        if (ref && !byRef.has(ref)) missingRelated.add(ref);
    }
    if (missingRelated.size) {
      const related = await catalog.getEntitiesByRefs(
        { entityRefs: [...missingRelated] },
        { credentials },
      );
      for (const e of related.items) if (e) byRef.set(stringifyEntityRef(e), e);
    }
    result.entities = entities.length;
    const known = await store.evaluationKeys(
      entities.map(e => stringifyEntityRef(e)),
    );
    const changed = entities.filter(entity => {
      const keys = known.get(stringifyEntityRef(entity));
      return (
        !keys ||
        keys.failed ||
        keys.contentHash !== inputHash(catalogInput(entity, byRef))
      );
    });
    if (!changed.length) return result;
    const revision = await opa.activeRevision();
    const plans = changed.map(entity =>
      this.plan(entity, byRef, revision, known.get(stringifyEntityRef(entity))),
    );
    for (const outcome of await this.evaluatePlans(plans, revision, result)) {
      if (typeof outcome === 'object') result.errors += 1;
      else if (outcome === 'evaluated') result.evaluated += 1;
    }
    return result;
  }

  /** Gatekeeper's audit of every cluster; undefined when it is off or no cluster is configured. */
  private async readGatekeeperAudit(): Promise<
    GatekeeperAuditSnapshot | undefined
  > {
    const { kubernetes, gatekeeper } = this.options;
    if (!kubernetes || !gatekeeper || kubernetes.clusters().length === 0)
      return undefined;
    return GatekeeperAuditSnapshot.read(kubernetes);
  }

  /** The entity's Gatekeeper findings to store, when they changed since the last run (no OPA call). */
  private gatekeeperEvaluation(
    entity: Entity,
    audit: GatekeeperAuditSnapshot,
    known: EvaluationKeys | undefined,
  ): EntityEvaluation | undefined {
    const { kubernetes } = this.options;
    if (
      !kubernetes ||
      entity.metadata.annotations?.[ANNOTATION_POLICY_SKIP] === 'true'
    )
      return undefined;
    const now = new Date().toISOString();
    const result = audit.forEntity(kubernetes, entity, { now });
    if (!result) return undefined;
    const hash = createHash('sha256')
      .update(stableStringify(result))
      .digest('hex');
    if (known?.gatekeeperHash === hash) return undefined;
    return {
      ...this.base(entity, 'gatekeeper', hash, 'gatekeeper-audit'),
      findings: result.findings,
      gatekeeperAudit: result.audits,
    };
  }

  private async evaluateFleet(result: PolicyRunResult) {
    const { opa, store, catalog, auth } = this.options;
    // Fails the whole run when OPA is down or rejects our token.
    const revision = await opa.activeRevision();
    result.policyRevision = revision;
    const credentials = await auth.getOwnServiceCredentials();
    const byRef = new Map<string, Entity>();
    for await (const page of catalog.streamEntities({}, { credentials })) {
      for (const entity of page) byRef.set(stringifyEntityRef(entity), entity);
    }
    result.entities = byRef.size;
    const known = await store.evaluationKeys();
    const audit = await this.readGatekeeperAudit();
    for (const error of audit?.errors ?? []) {
      result.errors += 1;
      result.errorMessages.push(error);
    }
    const plans = [...byRef.values()].map(entity =>
      this.plan(entity, byRef, revision, known.get(stringifyEntityRef(entity))),
    );
    // A slice keeps every query in flight busy. Its findings are stored
    // while OPA decides the next slice.
    const slice = this.batchSize * this.concurrency;
    let storing: Promise<void> = Promise.resolve();
    try {
      for (let i = 0; i < plans.length; i += slice) {
        const chunk = plans.slice(i, i + slice);
        const decided = await this.decidePlans(chunk, revision, result);
        const { outcomes } = decided;
        const failures = outcomes.filter(
          (o): o is { failed: string } => typeof o === 'object',
        );
        if (
          failures.length &&
          failures.length === outcomes.filter(o => o !== 'skipped').length
        ) {
          // Nothing in this slice got an answer: OPA is not answering.
          throw new Error(
            `policy engine failing, run stopped: ${failures[0].failed}`,
          );
        }
        for (let k = 0; k < chunk.length; k++) {
          let outcome = outcomes[k];
          const gatekeeper =
            audit && typeof outcome !== 'object'
              ? this.gatekeeperEvaluation(
                  chunk[k].entity,
                  audit,
                  known.get(chunk[k].ref),
                )
              : undefined;
          if (gatekeeper) {
            decided.evaluations.push(gatekeeper);
            outcome = 'evaluated';
          }
          if (typeof outcome === 'object') {
            result.errors += 1;
            if (result.errorMessages.length < 20)
              result.errorMessages.push(`${chunk[k].ref}: ${outcome.failed}`);
          } else if (outcome === 'evaluated') result.evaluated += 1;
          else result.skipped += 1;
        }
        const previous = storing;
        storing = previous.then(() => this.storeDecided(decided));
      }
    } finally {
      // Whatever was decided is stored, also when the run stops early.
      await storing;
    }
    await store.deleteEntitiesExcept(new Set(byRef.keys()));
  }

  /** What the entity needs evaluating: sources whose input hash or revision changed (all when `known` is unset). */
  private plan(
    entity: Entity,
    byRef: Map<string, Entity>,
    revision: string,
    known: EvaluationKeys | undefined,
  ): EntityPlan {
    const ref = stringifyEntityRef(entity);
    const plan: EntityPlan = { entity, ref };
    const fresh = (
      hash: string,
      storedHash?: string,
      storedRevision?: string,
    ) =>
      known &&
      !known.failed &&
      storedHash === hash &&
      storedRevision === revision;
    const skipAnnotated =
      entity.metadata.annotations?.[ANNOTATION_POLICY_SKIP] === 'true';
    const input = catalogInput(entity, byRef);
    const hash = inputHash(input);
    if (!fresh(hash, known?.contentHash, known?.policyRevision))
      plan.catalog = { hash, input, skipAnnotated };
    const { kubernetes, workload = true } = this.options;
    if (kubernetes && workload && !skipAnnotated) {
      const clusters = workloadManifests(kubernetes, entity);
      if (clusters) {
        const workloadHash = createHash('sha256')
          .update(stableStringify(clusters))
          .digest('hex');
        if (
          !fresh(workloadHash, known?.workloadHash, known?.workloadRevision)
        ) {
          plan.workload = { hash: workloadHash, clusters };
        }
      }
    }
    return plan;
  }

  /**
   * Asks OPA for every planned source (batched), then stores the findings
   * of all plans in one transaction and the failures after them (a catalog
   * verdict clears staleness, a failed workload decision sets it again).
   */
  private async evaluatePlans(
    plans: EntityPlan[],
    revision: string,
    counters: { opaCalls: number },
  ): Promise<PlanOutcome[]> {
    const decided = await this.decidePlans(plans, revision, counters);
    await this.storeDecided(decided);
    return decided.outcomes;
  }

  private async storeDecided(decided: DecidedPlans): Promise<void> {
    await this.options.store.saveEvaluations(decided.evaluations);
    await this.options.store.saveFailures(decided.failures);
  }

  /** Asks OPA for every planned source (batched); what to store, and each plan's outcome. */
  private async decidePlans(
    plans: EntityPlan[],
    revision: string,
    counters: { opaCalls: number },
  ): Promise<DecidedPlans> {
    const { catalogEntrypoint, workloadEntrypoint } = this.options;
    const catalogItems = plans.flatMap(p =>
      p.catalog && !p.catalog.skipAnnotated
        ? [{ key: p.ref, input: p.catalog.input }]
        : [],
    );
    const workloadItems = plans.flatMap(p =>
      (p.workload?.clusters ?? []).map(c => ({
        key: `${p.ref}#${c.cluster}`,
        input: { manifests: c.manifests },
      })),
    );
    const [catalogDecisions, workloadDecisions] = await Promise.all([
      this.catalogDecider.decide(catalogItems, revision, counters),
      this.workloadDecider.decide(workloadItems, revision, counters),
    ]);
    const evaluations: EntityEvaluation[] = [];
    const failures: DecidedPlans['failures'] = [];
    const outcomes = plans.map((plan): PlanOutcome => {
      let outcome: PlanOutcome = 'skipped';
      if (plan.catalog) {
        const base = this.base(
          plan.entity,
          'catalog',
          plan.catalog.hash,
          revision,
        );
        if (plan.catalog.skipAnnotated) {
          evaluations.push({
            ...base,
            findings: [],
            unknown: {
              reason: 'skipped',
              message: `Not evaluated: the entity sets ${ANNOTATION_POLICY_SKIP}.`,
            },
          });
          outcome = 'evaluated';
        } else {
          const stored = this.toEvaluation(base, catalogEntrypoint, [
            { decision: catalogDecisions.get(plan.ref)! },
          ]);
          if ('failed' in stored) {
            failures.push({
              meta: base.meta,
              error: stored.failed,
              at: base.evaluatedAt,
            });
            return { failed: stored.failed };
          }
          evaluations.push(stored);
          outcome = 'evaluated';
        }
      }
      if (plan.workload) {
        const base = this.base(
          plan.entity,
          'workload',
          plan.workload.hash,
          revision,
        );
        const stored = this.toEvaluation(
          base,
          workloadEntrypoint,
          plan.workload.clusters.map(c => ({
            decision: workloadDecisions.get(`${plan.ref}#${c.cluster}`)!,
            resource: {
              cluster: c.cluster,
              ...(c.simulated ? { simulated: true } : {}),
            },
          })),
        );
        if ('failed' in stored) {
          failures.push({
            meta: base.meta,
            error: stored.failed,
            at: base.evaluatedAt,
          });
          return { failed: stored.failed };
        }
        evaluations.push(stored);
        outcome = 'evaluated';
      }
      return outcome;
    });
    return { outcomes, evaluations, failures };
  }

  /** One source's stored evaluation from its decisions (one per cluster for workloads), or why there is none. */
  private toEvaluation(
    base: Omit<EntityEvaluation, 'findings'>,
    entrypoint: string,
    parts: Array<{
      decision: ItemDecision;
      resource?: PolicyViolation['resource'];
    }>,
  ): EntityEvaluation | { failed: string } {
    const findings: PolicyViolation[] = [];
    let decisionId: string | undefined;
    for (const { decision, resource } of parts) {
      if (decision.kind === 'failed') return { failed: decision.error };
      decisionId = decision.decisionId ?? decisionId;
      if (decision.kind === 'undefined') {
        return {
          ...base,
          decisionId,
          findings: [],
          unknown: {
            reason: 'undefined-result',
            message: `OPA has no result at ${entrypoint}: the package or rule is not loaded. This is not a pass.`,
          },
        };
      }
      const parsed =
        decision.kind === 'invalid'
          ? { invalid: decision.message }
          : violationsFromResult(decision.result, {
              source: base.source,
              entrypoint,
              evaluatedAt: base.evaluatedAt,
              policyRevision: base.policyRevision,
              decisionId: decision.decisionId,
              resource,
            });
      if ('invalid' in parsed) {
        return {
          ...base,
          decisionId,
          findings: [],
          unknown: { reason: 'invalid-result', message: parsed.invalid },
        };
      }
      findings.push(...parsed.findings);
    }
    return { ...base, decisionId, findings };
  }

  private base(
    entity: Entity,
    source: PolicySource,
    contentHash: string,
    policyRevision: string,
  ) {
    return {
      meta: entityMeta(entity),
      source,
      contentHash,
      policyRevision,
      evaluatedAt: new Date().toISOString(),
    };
  }
}

/** The catalog entry point's input: the entity with its owner and system as stored in the catalog. */
function catalogInput(
  entity: Entity,
  byRef: Map<string, Entity>,
): CatalogPolicyInput {
  const { owner, system } = relatedRefs(entity);
  return {
    entity,
    owner: (owner && byRef.get(owner)) || null,
    system: (system && byRef.get(system)) || null,
  };
}
