import { createHash } from 'node:crypto';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_POLICY_SKIP,
  PolicySource,
  PolicyViolation,
  parseViolationPayload,
} from '@paved/plugin-policy-common';
import { OpaClient } from '@paved/plugin-policy-node';
import { KubernetesObjectCacheService } from '@paved/plugin-kubernetes-status-node';
import { EntityEvaluation, EvaluationKeys, PolicyStore, RunTotals } from '../store/PolicyStore';
import stableStringify from 'fast-json-stable-stringify';
import { CatalogPolicyInput, policyNameOf, relatedRefs } from '@paved/plugin-policy-node';
import { entityMeta, inputHash } from './entityInput';
import { workloadManifests } from './workloadManifests';
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
  /** The shared Kubernetes caches, for workload rules and Gatekeeper audit. */
  kubernetes?: KubernetesObjectCacheService;
  /** Evaluate workload rules over live manifests (needs `kubernetes`). Default true. */
  workload?: boolean;
  /** Read Gatekeeper audit results from the clusters (needs `kubernetes`). */
  gatekeeper?: boolean;
  /** Decisions in flight at once. Default 8. */
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
  /** Decision calls (the revision lookup is not counted). */
  opaCalls: number;
  errors: number;
}

type StepOutcome = { kind: 'skipped' } | { kind: 'evaluated' } | { kind: 'failed'; error: string };

// After this many failures in a row the engine is treated as down for the run.
const CONSECUTIVE_FAILURES_TO_ABORT = 5;

/**
 * Evaluates entities at the catalog entry point (entity + owner + system)
 * and, for entities with Kubernetes annotations, at the workload entry
 * point (their live manifests per cluster), and stores the findings. A run
 * evaluates a source of an entity only when its input hash or the policy
 * revision changed since the last evaluation.
 */
export class PolicyEvaluator {
  private readonly options: PolicyEvaluatorOptions;

  constructor(options: PolicyEvaluatorOptions) {
    this.options = options;
  }

  /** One scheduled run over the whole catalog. */
  async runAll(trigger: 'schedule' | 'manual' = 'schedule'): Promise<PolicyRunResult> {
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
      const message = messageOf(error);
      logger.warn(`Policy run ${runId} failed: ${message}`);
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
        `${result.opaCalls} OPA decisions, ${result.errors} errors in ${result.durationMs} ms`,
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
    const byRef = new Map(related.items.filter((e): e is Entity => !!e).map(e => [stringifyEntityRef(e), e]));
    let revision: string;
    try {
      revision = await opa.activeRevision();
    } catch (error) {
      await store.saveFailure(entityMeta(entity), messageOf(error), new Date().toISOString());
      return;
    }
    const counters = { opaCalls: 0 };
    await this.evaluateCatalog(entity, byRef, revision, undefined, counters);
    await this.evaluateWorkload(entity, revision, undefined, counters);
    const audit = await this.readGatekeeperAudit();
    if (audit) await this.evaluateGatekeeper(entity, audit, undefined);
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
  async evaluateChanged(entityRefs: string[]): Promise<ChangedEvaluationResult> {
    const { catalog, auth, opa, store } = this.options;
    const result: ChangedEvaluationResult = { entities: 0, evaluated: 0, opaCalls: 0, errors: 0 };
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
    const { items } = await catalog.getEntitiesByRefs({ entityRefs: refs }, { credentials });
    const byRef = new Map(items.filter((e): e is Entity => !!e).map(e => [stringifyEntityRef(e), e]));
    const entities = [...byRef.values()];
    const missingRelated = new Set<string>();
    for (const entity of entities) {
      for (const ref of Object.values(relatedRefs(entity))) if (ref && !byRef.has(ref)) missingRelated.add(ref);
    }
    if (missingRelated.size) {
      const related = await catalog.getEntitiesByRefs({ entityRefs: [...missingRelated] }, { credentials });
      for (const e of related.items) if (e) byRef.set(stringifyEntityRef(e), e);
    }
    result.entities = entities.length;
    const known = await store.evaluationKeys(entities.map(e => stringifyEntityRef(e)));
    const changed = entities.filter(entity => {
      const keys = known.get(stringifyEntityRef(entity));
      if (!keys || keys.failed) return true;
      const { owner, system } = relatedRefs(entity);
      const input: CatalogPolicyInput = {
        entity,
        owner: (owner && byRef.get(owner)) || null,
        system: (system && byRef.get(system)) || null,
      };
      return keys.contentHash !== inputHash(input);
    });
    if (!changed.length) return result;
    const revision = await opa.activeRevision();
    for (const entity of changed) {
      const keys = known.get(stringifyEntityRef(entity));
      const steps = [await this.evaluateCatalog(entity, byRef, revision, keys, result)];
      steps.push(await this.evaluateWorkload(entity, revision, keys, result));
      if (steps.some(s => s.kind === 'failed')) result.errors += 1;
      else if (steps.some(s => s.kind === 'evaluated')) result.evaluated += 1;
    }
    return result;
  }

  private async readGatekeeperAudit(): Promise<GatekeeperAuditSnapshot | undefined> {
    const { kubernetes, gatekeeper } = this.options;
    return kubernetes && gatekeeper ? GatekeeperAuditSnapshot.read(kubernetes) : undefined;
  }

  /** Stores the entity's Gatekeeper findings when they changed since the last run (no OPA call). */
  private async evaluateGatekeeper(
    entity: Entity,
    audit: GatekeeperAuditSnapshot,
    known: EvaluationKeys | undefined,
  ): Promise<StepOutcome> {
    const { kubernetes, store } = this.options;
    if (!kubernetes || entity.metadata.annotations?.[ANNOTATION_POLICY_SKIP] === 'true') return { kind: 'skipped' };
    const now = new Date().toISOString();
    const result = audit.forEntity(kubernetes, entity, { now });
    if (!result) return { kind: 'skipped' };
    const hash = createHash('sha256').update(stableStringify(result)).digest('hex');
    if (known?.gatekeeperHash === hash) return { kind: 'skipped' };
    await store.saveEvaluation({
      ...this.base(entity, 'gatekeeper', hash, 'gatekeeper-audit'),
      findings: result.findings,
      gatekeeperAudit: result.audits,
    });
    return { kind: 'evaluated' };
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
    const queue = [...byRef.values()];
    let consecutiveFailures = 0;
    let abort: Error | undefined;
    const worker = async () => {
      for (let entity = queue.shift(); entity && !abort; entity = queue.shift()) {
        const ref = stringifyEntityRef(entity);
        const keys = known.get(ref);
        const steps = [await this.evaluateCatalog(entity, byRef, revision, keys, result)];
        steps.push(await this.evaluateWorkload(entity, revision, keys, result));
        if (audit) steps.push(await this.evaluateGatekeeper(entity, audit, keys));
        const failed = steps.find((s): s is { kind: 'failed'; error: string } => s.kind === 'failed');
        if (failed) {
          result.errors += 1;
          if (result.errorMessages.length < 20) result.errorMessages.push(`${ref}: ${failed.error}`);
          consecutiveFailures += 1;
          if (!abort && consecutiveFailures >= CONSECUTIVE_FAILURES_TO_ABORT) {
            abort = new Error(`policy engine failing, run stopped after ${consecutiveFailures} errors in a row: ${failed.error}`);
          }
          continue;
        }
        consecutiveFailures = 0;
        if (steps.some(s => s.kind === 'evaluated')) result.evaluated += 1;
        else result.skipped += 1;
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
    if (abort) throw abort;
    await store.deleteEntitiesExcept(new Set(byRef.keys()));
  }

  private async evaluateCatalog(
    entity: Entity,
    byRef: Map<string, Entity>,
    revision: string,
    known: EvaluationKeys | undefined,
    counters: { opaCalls: number },
  ): Promise<StepOutcome> {
    const { owner, system } = relatedRefs(entity);
    const input: CatalogPolicyInput = {
      entity,
      owner: (owner && byRef.get(owner)) || null,
      system: (system && byRef.get(system)) || null,
    };
    const hash = inputHash(input);
    if (known && !known.failed && known.contentHash === hash && known.policyRevision === revision) {
      return { kind: 'skipped' };
    }
    const base = this.base(entity, 'catalog', hash, revision);
    if (entity.metadata.annotations?.[ANNOTATION_POLICY_SKIP] === 'true') {
      await this.options.store.saveEvaluation({
        ...base,
        findings: [],
        unknown: { reason: 'skipped', message: `Not evaluated: the entity sets ${ANNOTATION_POLICY_SKIP}.` },
      });
      return { kind: 'evaluated' };
    }
    return this.decide(base, this.options.catalogEntrypoint, [{ input }], counters);
  }

  private async evaluateWorkload(
    entity: Entity,
    revision: string,
    known: EvaluationKeys | undefined,
    counters: { opaCalls: number },
  ): Promise<StepOutcome> {
    const { kubernetes, workload = true } = this.options;
    if (!kubernetes || !workload || entity.metadata.annotations?.[ANNOTATION_POLICY_SKIP] === 'true') {
      return { kind: 'skipped' };
    }
    const byCluster = workloadManifests(kubernetes, entity);
    if (!byCluster) return { kind: 'skipped' };
    const hash = createHash('sha256').update(stableStringify(byCluster)).digest('hex');
    if (known && !known.failed && known.workloadHash === hash && known.workloadRevision === revision) {
      return { kind: 'skipped' };
    }
    const base = this.base(entity, 'workload', hash, revision);
    // One decision per cluster, so a finding names the cluster of its object.
    return this.decide(
      base,
      this.options.workloadEntrypoint,
      byCluster.map(c => ({
        input: { manifests: c.manifests },
        resource: { cluster: c.cluster, ...(c.simulated ? { simulated: true } : {}) },
      })),
      counters,
    );
  }

  private base(entity: Entity, source: PolicySource, contentHash: string, policyRevision: string) {
    return { meta: entityMeta(entity), source, contentHash, policyRevision, evaluatedAt: new Date().toISOString() };
  }

  /** Asks OPA for each input and stores the union of the findings, or the failure. */
  private async decide(
    base: Omit<EntityEvaluation, 'findings'>,
    entrypoint: string,
    calls: Array<{ input: unknown; resource?: PolicyViolation['resource'] }>,
    counters: { opaCalls: number },
  ): Promise<StepOutcome> {
    const { opa, store } = this.options;
    const findings: PolicyViolation[] = [];
    let decisionId: string | undefined;
    for (const call of calls) {
      let decision;
      try {
        counters.opaCalls += 1;
        decision = await opa.evaluate<unknown>(entrypoint, call.input);
      } catch (error) {
        const message = messageOf(error);
        await store.saveFailure(base.meta, message, base.evaluatedAt);
        return { kind: 'failed', error: message };
      }
      decisionId = decision.decisionId ?? decisionId;
      if (decision.outcome === 'undefined') {
        await store.saveEvaluation({
          ...base,
          decisionId,
          findings: [],
          unknown: {
            reason: 'undefined-result',
            message: `OPA has no result at ${entrypoint}: the package or rule is not loaded. This is not a pass.`,
          },
        });
        return { kind: 'evaluated' };
      }
      const parsed = toFindings(decision.result, {
        source: base.source,
        entrypoint,
        evaluatedAt: base.evaluatedAt,
        revision: base.policyRevision,
        decisionId: decision.decisionId,
        resource: call.resource,
      });
      if ('invalid' in parsed) {
        await store.saveEvaluation({
          ...base,
          decisionId,
          findings: [],
          unknown: { reason: 'invalid-result', message: parsed.invalid },
        });
        return { kind: 'evaluated' };
      }
      findings.push(...parsed.findings);
    }
    await store.saveEvaluation({ ...base, decisionId, findings });
    return { kind: 'evaluated' };
  }
}

function toFindings(
  result: unknown,
  stamp: {
    source: PolicySource;
    entrypoint: string;
    evaluatedAt: string;
    revision: string;
    decisionId?: string;
    resource?: PolicyViolation['resource'];
  },
): { findings: PolicyViolation[] } | { invalid: string } {
  if (!Array.isArray(result)) {
    return {
      invalid: `${stamp.entrypoint} returned ${JSON.stringify(result)?.slice(0, 200)}, expected a set of violation objects`,
    };
  }
  try {
    return {
      findings: result.map(item => {
        const payload = parseViolationPayload(item);
        const resource = stamp.resource || payload.resource ? { ...payload.resource, ...stamp.resource } : undefined;
        return {
          source: stamp.source,
          policy: policyNameOf(stamp.entrypoint),
          ...payload,
          ...(resource ? { resource } : {}),
          evaluatedAt: stamp.evaluatedAt,
          policyRevision: stamp.revision,
          decisionId: stamp.decisionId,
        };
      }),
    };
  } catch (error) {
    return { invalid: `${stamp.entrypoint} returned a malformed violation: ${messageOf(error)}` };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
