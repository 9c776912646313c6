import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_POLICY_SKIP,
  PolicyViolation,
  parseViolationPayload,
} from '@paved/plugin-policy-common';
import { OpaClient, OpaError } from '@paved/plugin-policy-node';
import { PolicyStore } from '../store/PolicyStore';
import { CatalogPolicyInput, entityMeta, inputHash, policyNameOf, relatedRefs } from './entityInput';

/** Options of {@link CatalogPolicyEvaluator}. */
export interface CatalogPolicyEvaluatorOptions {
  opa: OpaClient;
  store: PolicyStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Data API path of the catalog rules, e.g. `paved/catalog/violations`. */
  entrypoint: string;
  /** Decisions in flight at once. Default 4. */
  concurrency?: number;
}

/** Totals of one run, as stored in the run history. */
export interface CatalogRunResult {
  runId: number;
  policyRevision?: string;
  entities: number;
  evaluated: number;
  skipped: number;
  /** Decision calls for entities (the revision lookup is not counted). */
  opaCalls: number;
  errors: number;
  errorMessages: string[];
  durationMs: number;
}

type EvaluationOutcome = 'evaluated' | 'failed';

// After this many failures in a row the engine is treated as down for the run.
const CONSECUTIVE_FAILURES_TO_ABORT = 5;

/**
 * Evaluates catalog entities at the catalog entry point and stores the
 * findings. A run evaluates only entities whose input (entity + owner +
 * system) hash or the policy revision changed since their last evaluation.
 */
export class CatalogPolicyEvaluator {
  private readonly options: CatalogPolicyEvaluatorOptions;
  private readonly policy: string;

  constructor(options: CatalogPolicyEvaluatorOptions) {
    this.options = options;
    this.policy = policyNameOf(options.entrypoint);
  }

  /** One scheduled (or admin-triggered) run over the whole catalog. */
  async runAll(trigger: 'schedule' | 'manual' = 'schedule'): Promise<CatalogRunResult> {
    const { store, logger } = this.options;
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const runId = await store.startRun(trigger, startedAt);
    const result: CatalogRunResult = {
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
      const message = error instanceof Error ? error.message : String(error);
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

  /** Re-evaluates one entity now, whatever its hash. Throws nothing for engine failures: they are stored. */
  async evaluateEntity(entityRef: string): Promise<void> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) return;
    const { owner, system } = relatedRefs(entity);
    const related = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: [owner, system].filter((r): r is string => !!r) },
      { credentials },
    );
    const byRef = new Map(related.items.filter((e): e is Entity => !!e).map(e => [stringifyEntityRef(e), e]));
    const at = new Date().toISOString();
    let revision: string;
    try {
      revision = await this.options.opa.activeRevision();
    } catch (error) {
      await this.options.store.saveFailure(entityMeta(entity), messageOf(error), at);
      return;
    }
    await this.evaluate(entity, byRef, revision, undefined);
  }

  private async evaluateFleet(result: CatalogRunResult) {
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
    const queue = [...byRef.values()];
    let consecutiveFailures = 0;
    let abort: Error | undefined;
    const worker = async () => {
      for (let entity = queue.shift(); entity && !abort; entity = queue.shift()) {
        const ref = stringifyEntityRef(entity);
        const outcome = await this.evaluate(entity, byRef, revision, known.get(ref), result);
        if (outcome === undefined) {
          result.skipped += 1;
          continue;
        }
        if (outcome.outcome === 'evaluated') {
          result.evaluated += 1;
          consecutiveFailures = 0;
          continue;
        }
        result.errors += 1;
        if (result.errorMessages.length < 20) result.errorMessages.push(`${ref}: ${outcome.error}`);
        consecutiveFailures += 1;
        if (consecutiveFailures >= CONSECUTIVE_FAILURES_TO_ABORT) {
          abort = new Error(`policy engine failing, run stopped after ${consecutiveFailures} errors in a row: ${outcome.error}`);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 4 }, worker));
    if (abort) throw abort;
    await store.deleteEntitiesExcept(new Set(byRef.keys()));
  }

  /** Evaluates one entity unless unchanged; undefined when skipped. */
  private async evaluate(
    entity: Entity,
    byRef: Map<string, Entity>,
    revision: string,
    known: { contentHash?: string; policyRevision?: string; failed: boolean } | undefined,
    counters?: { opaCalls: number },
  ): Promise<{ outcome: EvaluationOutcome; error?: string } | undefined> {
    const { opa, store, entrypoint } = this.options;
    const { owner, system } = relatedRefs(entity);
    const input: CatalogPolicyInput = {
      entity,
      owner: (owner && byRef.get(owner)) || null,
      system: (system && byRef.get(system)) || null,
    };
    const hash = inputHash(input);
    if (known && !known.failed && known.contentHash === hash && known.policyRevision === revision) return undefined;
    const meta = entityMeta(entity);
    const evaluatedAt = new Date().toISOString();
    const base = { meta, source: 'catalog' as const, contentHash: hash, policyRevision: revision, evaluatedAt };
    if (entity.metadata.annotations?.[ANNOTATION_POLICY_SKIP] === 'true') {
      await store.saveEvaluation({
        ...base,
        findings: [],
        unknown: { reason: 'skipped', message: `Not evaluated: the entity sets ${ANNOTATION_POLICY_SKIP}.` },
      });
      return { outcome: 'evaluated' };
    }
    let decision;
    try {
      if (counters) counters.opaCalls += 1;
      decision = await opa.evaluate<unknown>(entrypoint, input);
    } catch (error) {
      const message = messageOf(error);
      await store.saveFailure(meta, message, evaluatedAt);
      return { outcome: 'failed', error: message };
    }
    if (decision.outcome === 'undefined') {
      await store.saveEvaluation({
        ...base,
        decisionId: decision.decisionId,
        findings: [],
        unknown: {
          reason: 'undefined-result',
          message: `OPA has no result at ${entrypoint} for this entity: the package or rule is not loaded, or does not apply. This is not a pass.`,
        },
      });
      return { outcome: 'evaluated' };
    }
    const parsed = this.toFindings(decision.result, { evaluatedAt, revision, decisionId: decision.decisionId });
    if ('invalid' in parsed) {
      await store.saveEvaluation({
        ...base,
        decisionId: decision.decisionId,
        findings: [],
        unknown: { reason: 'invalid-result', message: parsed.invalid },
      });
      return { outcome: 'evaluated' };
    }
    await store.saveEvaluation({ ...base, decisionId: decision.decisionId, findings: parsed.findings });
    return { outcome: 'evaluated' };
  }

  private toFindings(
    result: unknown,
    stamp: { evaluatedAt: string; revision: string; decisionId?: string },
  ): { findings: PolicyViolation[] } | { invalid: string } {
    const { entrypoint } = this.options;
    if (!Array.isArray(result)) {
      return { invalid: `${entrypoint} returned ${JSON.stringify(result)?.slice(0, 200)}, expected a set of violation objects` };
    }
    try {
      return {
        findings: result.map(item => ({
          source: 'catalog',
          policy: this.policy,
          ...parseViolationPayload(item),
          evaluatedAt: stamp.evaluatedAt,
          policyRevision: stamp.revision,
          decisionId: stamp.decisionId,
        })),
      };
    } catch (error) {
      return { invalid: `${entrypoint} returned a malformed violation: ${messageOf(error)}` };
    }
  }
}

function messageOf(error: unknown): string {
  if (error instanceof OpaError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
