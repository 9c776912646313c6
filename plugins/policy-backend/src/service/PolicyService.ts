import { toError } from '@backstage/errors';
import {
  EngineBundleError,
  ComplianceListQuery,
  ComplianceListResponse,
  ComplianceTrendResponse,
  EngineHealthResponse,
  EntityFindingsResponse,
  NO_POLICY_ENGINE_MESSAGE,
  PoliciesResponse,
  PolicyEngineConfigured,
  unknownCompliance,
} from '@paved/plugin-policy-common';
import { OpaClient } from '@paved/plugin-policy-node';
import { PolicyStore, StoredEngineStatus } from '../store/PolicyStore';
import { PolicyEvaluator } from '../evaluation/PolicyEvaluator';
import { libraryModuleOf } from '../rego/libraryModule';
import { VisibleEntities } from './CatalogVisibility';

/** The configured engine, or undefined when `policy.opa.baseUrl` is not set. */
export interface PolicyEngine {
  opa: OpaClient;
  evaluator: PolicyEvaluator;
}

/** Options of {@link PolicyService}. */
export interface PolicyServiceOptions {
  store: PolicyStore;
  engine?: PolicyEngine;
  /** Timeout of the live calls the health and policies views make. */
  liveTimeoutMs?: number;
  /** A Gatekeeper audit older than this is marked stale. Default 10 minutes. */
  gatekeeperAuditStaleAfterMs?: number;
  /** The engine is the SIMULATED OPA stand-in (`policy.opa.simulated`). */
  simulated?: boolean;
}

const NOT_CONFIGURED: PolicyEngineConfigured = {
  configured: false,
  message: NO_POLICY_ENGINE_MESSAGE,
};

const ALL_VISIBLE: VisibleEntities = { all: true };

/** OPA reports at least every polling interval; an instance silent for longer is gone. */
const ENGINE_STATUS_FRESH_MS = 10 * 60_000;
const ENGINE_STATE_TTL_MS = 1000;

/** A status report as OPA's status plugin sends it (only what Paved reads). */
export interface OpaStatusReport {
  labels: { id: string; version?: string };
  bundles?: Record<
    string,
    {
      name?: string;
      active_revision?: string;
      code?: string;
      message?: string;
      errors?: Array<{
        code?: string;
        message?: string;
        location?: { file?: string; row?: number; col?: number };
      }>;
    }
  >;
}

/** Answers the plugin's API from the store; only health, policies and re-evaluation call OPA. */
export class PolicyService {
  private readonly store: PolicyStore;
  private readonly engine?: PolicyEngine;
  private readonly liveTimeoutMs: number;
  private readonly gatekeeperAuditStaleAfterMs: number;
  /** What every answer says about a configured engine. */
  private readonly configuredEngine: PolicyEngineConfigured;
  private engineStateCache?: {
    at: number;
    value: Promise<PolicyEngineConfigured>;
  };

  constructor(options: PolicyServiceOptions) {
    this.configuredEngine = {
      configured: true,
      ...(options.simulated ? { simulated: true } : {}),
    };
    this.store = options.store;
    this.engine = options.engine;
    this.liveTimeoutMs = options.liveTimeoutMs ?? 3000;
    this.gatekeeperAuditStaleAfterMs =
      options.gatekeeperAuditStaleAfterMs ?? 10 * 60_000;
  }

  get configured(): boolean {
    return !!this.engine;
  }

  /** Records an OPA status report (bundle activation and download errors). */
  async recordEngineStatus(
    report: OpaStatusReport,
    receivedAt = new Date(),
  ): Promise<void> {
    const status: StoredEngineStatus = {
      instance: report.labels.id,
      opaVersion: report.labels.version,
      reportedAt: receivedAt.toISOString(),
      bundles: Object.entries(report.bundles ?? {}).map(([key, bundle]) => ({
        name: bundle.name || key,
        activeRevision: bundle.active_revision || undefined,
        ...(bundle.code || bundle.errors?.length
          ? {
              error: {
                message: bundle.message || bundle.code || 'bundle error',
                problems: (bundle.errors ?? []).map(e => ({
                  code: e.code ?? 'error',
                  message: e.message ?? '',
                  ...(e.location?.file ? { file: e.location.file } : {}),
                  ...(e.location?.row ? { row: e.location.row } : {}),
                  ...(e.location?.col ? { col: e.location.col } : {}),
                })),
              },
            }
          : {}),
      })),
    };
    await this.store.saveEngineStatus(status);
    this.engineStateCache = undefined;
  }

  /**
   * What every answer says about the engine: configured, simulated, and the
   * bundle errors OPA reported. Read at most once a second: every API answer
   * carries it, and OPA reports far less often.
   */
  async engineState(): Promise<PolicyEngineConfigured> {
    if (!this.engine) return NOT_CONFIGURED;
    const now = Date.now();
    if (
      !this.engineStateCache ||
      now - this.engineStateCache.at > ENGINE_STATE_TTL_MS
    ) {
      this.engineStateCache = { at: now, value: this.readEngineState() };
    }
    return this.engineStateCache.value;
  }

  private async readEngineState(): Promise<PolicyEngineConfigured> {
    const since = new Date(Date.now() - ENGINE_STATUS_FRESH_MS).toISOString();
    const bundleErrors: EngineBundleError[] = (
      await this.store.engineStatuses(since)
    ).flatMap(status =>
      status.bundles.flatMap(bundle =>
        bundle.error
          ? [
              {
                bundle: bundle.name,
                message: bundle.error.message,
                problems: bundle.error.problems,
                ...(bundle.activeRevision
                  ? { activeRevision: bundle.activeRevision }
                  : {}),
                reportedAt: status.reportedAt,
                instance: status.instance,
              },
            ]
          : [],
      ),
    );
    return bundleErrors.length
      ? { ...this.configuredEngine, bundleErrors }
      : this.configuredEngine;
  }

  async entityFindings(entityRef: string): Promise<EntityFindingsResponse> {
    if (!this.engine) {
      return {
        entityRef,
        engine: NOT_CONFIGURED,
        compliance: unknownCompliance(
          'not-configured',
          NO_POLICY_ENGINE_MESSAGE,
        ),
        findings: [],
      };
    }
    const [stored, engine] = await Promise.all([
      this.store.getEntity(entityRef),
      this.engineState(),
    ]);
    if (!stored) {
      return {
        entityRef,
        engine,
        compliance: unknownCompliance(
          'not-evaluated',
          'Not evaluated yet: the next policy run will evaluate it.',
        ),
        findings: [],
      };
    }
    return {
      entityRef,
      engine,
      compliance: stored.compliance,
      findings: stored.findings,
      evaluatedAt: stored.evaluatedAt,
      policyRevision: stored.policyRevision,
      decisionId: stored.decisionId,
      stale: stored.stale,
      gatekeeper: stored.gatekeeperAudit?.map(audit => ({
        ...audit,
        stale:
          !audit.auditTimestamp ||
          Date.now() - Date.parse(audit.auditTimestamp) >
            this.gatekeeperAuditStaleAfterMs,
      })),
    };
  }

  /** Re-evaluates now; engine failures come back as stale results, not as errors. */
  async reevaluate(entityRef: string): Promise<EntityFindingsResponse> {
    if (this.engine) await this.engine.evaluator.evaluateEntity(entityRef);
    return this.entityFindings(entityRef);
  }

  /** The fleet, as far as the caller may read it in the catalog. */
  async compliance(
    query: ComplianceListQuery,
    visible: VisibleEntities = ALL_VISIBLE,
  ): Promise<ComplianceListResponse> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    if (!this.engine)
      return {
        engine: NOT_CONFIGURED,
        items: [],
        totalCount: 0,
        offset,
        limit,
      };
    const [{ items, totalCount }, engine] = await Promise.all([
      this.store.listCompliance(
        { ...query, offset, limit },
        visible.all ? undefined : visible.refs,
      ),
      this.engineState(),
    ]);
    return {
      engine,
      totalCount,
      offset,
      limit,
      items: items.map(item => ({
        ...item.meta,
        compliance: item.compliance,
        evaluatedAt: item.evaluatedAt,
        policyRevision: item.policyRevision,
        stale: item.stale,
      })),
    };
  }

  /**
   * Violations per run. The history holds totals over every entity (of an
   * owner), so it is shown only to callers who may read every entity.
   */
  async trend(
    options: { owner?: string; limit?: number },
    visible: VisibleEntities = ALL_VISIBLE,
  ): Promise<ComplianceTrendResponse> {
    if (!visible.all) {
      return {
        owner: options.owner,
        points: [],
        restricted:
          'The history counts every entity, and you may not read every entity in the catalog, so it is not shown to you.',
      };
    }
    return {
      owner: options.owner,
      points: await this.store.trend({
        owner: options.owner,
        limit: options.limit ?? 90,
      }),
    };
  }

  async health(): Promise<EngineHealthResponse> {
    const lastRun = await this.store.lastRun();
    if (!this.engine) return { engine: NOT_CONFIGURED, lastRun };
    const { opa } = this.engine;
    const health = await opa.health({ timeoutMs: this.liveTimeoutMs });
    let activeRevision: string | undefined;
    let error = health.error;
    if (health.healthy) {
      try {
        activeRevision = await opa.activeRevision({
          timeoutMs: this.liveTimeoutMs,
        });
      } catch (e) {
        error = toError(e).message;
      }
    }
    return {
      engine: {
        ...(await this.engineState()),
        baseUrl: opa.baseUrl,
        reachable: health.healthy,
        activeRevision,
        error,
      },
      lastRun,
    };
  }

  /** The library; each rule's flagged entities only as far as the caller may read them. */
  async policies(
    visible: VisibleEntities = ALL_VISIBLE,
  ): Promise<PoliciesResponse> {
    if (!this.engine) return { engine: NOT_CONFIGURED, modules: [] };
    const engine = await this.engineState();
    let modules;
    try {
      modules = await this.engine.opa.listPolicies({
        timeoutMs: this.liveTimeoutMs,
      });
    } catch (e) {
      return {
        engine: { ...engine, reachable: false, error: toError(e).message },
        modules: [],
      };
    }
    const parsed = modules
      .map(m => ({ module: m, parsed: libraryModuleOf(m.raw) }))
      .sort((a, b) => a.module.id.localeCompare(b.module.id));
    const policyNames = parsed.flatMap(p =>
      p.parsed.rules.map(r => `${p.parsed.packageName}/${r.name}`),
    );
    const flagged = await this.store.flaggedEntities([...new Set(policyNames)]);
    return {
      engine: { ...engine, reachable: true },
      modules: parsed.map(({ module, parsed: p }) => ({
        id: module.id,
        packageName: p.packageName,
        title: p.title,
        description: p.description,
        raw: module.raw,
        // The rules a module documents (METADATA with a title); helpers such
        // as field lookups are not listed. A module without any titled rule
        // lists all of its rules.
        rules: (p.rules.some(r => r.title)
          ? p.rules.filter(r => r.title)
          : p.rules
        ).map(rule => {
          const policy = `${p.packageName}/${rule.name}`;
          const refs = flagged
            .filter(
              f =>
                f.policy === policy &&
                (rule.ids.length === 0 || rule.ids.includes(f.ruleId)),
            )
            .map(f => f.entityRef)
            .filter(ref => visible.all || visible.refs.has(ref));
          return {
            policy,
            name: rule.name,
            title: rule.title,
            description: rule.description,
            line: rule.line,
            flaggedEntities: [...new Set(refs)],
          };
        }),
      })),
    };
  }
}
