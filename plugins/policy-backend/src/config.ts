import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DEFAULT_CATALOG_BATCH_ENTRYPOINT,
  DEFAULT_CATALOG_ENTRYPOINT,
  DEFAULT_WORKLOAD_BATCH_ENTRYPOINT,
  DEFAULT_WORKLOAD_ENTRYPOINT,
} from '@paved/plugin-policy-common';
import {
  DEFAULT_HISTORY_RETENTION,
  PolicyHistoryRetention,
} from './store/PolicyStore';

/** The plugin's settings, defaults applied. */
export interface PolicyBackendConfig {
  /** The configured OPA is Paved's SIMULATED stand-in: views label its decisions. */
  opaSimulated: boolean;
  catalogEntrypoint: string;
  workloadEntrypoint: string;
  /** Empty string: no batch entry point, one query per entity. */
  catalogBatchEntrypoint?: string;
  workloadBatchEntrypoint?: string;
  /** Items per OPA query. */
  batchSize: number;
  /** Evaluate the live manifests of entities with Kubernetes annotations. */
  workloadEnabled: boolean;
  /** Read Gatekeeper audit results of the entity's clusters. */
  gatekeeperEnabled: boolean;
  /** An audit older than this is shown as stale. */
  gatekeeperAuditStaleAfterMinutes: number;
  /** OPA queries in flight at once. */
  concurrency: number;
  /** Re-evaluate entities the catalog announces as changed (`paved.policy.entity-changed`). */
  catalogChangesEnabled: boolean;
  /** Wait after the first announced change before evaluating the batch. */
  catalogChangesDebounceMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Run history kept. */
  history: PolicyHistoryRetention;
}

/** Default of `policy.batchSize`: items per OPA query. */
export const DEFAULT_BATCH_SIZE = 500;

/** Default of `policy.catalog.concurrency`: OPA queries in flight during a run. */
export const DEFAULT_CONCURRENCY = 2;

function positive(config: Config, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && !(value > 0))
    throw new Error(
      `Invalid config at ${key}: ${value}, expected a positive number`,
    );
  return value;
}

/** An empty string (e.g. an unset environment variable) turns batching off for that entry point. */
function batchEntrypoint(
  config: Config,
  key: string,
  fallback: string,
): string | undefined {
  // Read raw: the config reader refuses empty strings as strings.
  const value = config.getOptional(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string')
    throw new Error(`Invalid type in config for key '${key}', wanted string`);
  return value.trim() ? value : undefined;
}

/** Default of `policy.catalogChanges.debounceMs`: the catalog stitches after processing. */
export const DEFAULT_CATALOG_CHANGES_DEBOUNCE_MS = 5000;

/** Defaults of `policy.schedule`. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  // Incremental: an unchanged catalog costs a catalog read and no decisions.
  frequency: { minutes: 10 },
  timeout: { minutes: 20 },
  initialDelay: { seconds: 30 },
};

export function readPolicyBackendConfig(config: Config): PolicyBackendConfig {
  const schedule = config.getOptionalConfig('policy.schedule');
  return {
    opaSimulated: config.getOptionalBoolean('policy.opa.simulated') ?? false,
    catalogEntrypoint:
      config.getOptionalString('policy.catalog.entrypoint') ??
      DEFAULT_CATALOG_ENTRYPOINT,
    workloadEntrypoint:
      config.getOptionalString('policy.workload.entrypoint') ??
      DEFAULT_WORKLOAD_ENTRYPOINT,
    catalogBatchEntrypoint: batchEntrypoint(
      config,
      'policy.catalog.batchEntrypoint',
      DEFAULT_CATALOG_BATCH_ENTRYPOINT,
    ),
    workloadBatchEntrypoint: batchEntrypoint(
      config,
      'policy.workload.batchEntrypoint',
      DEFAULT_WORKLOAD_BATCH_ENTRYPOINT,
    ),
    batchSize:
      config.getOptionalNumber('policy.batchSize') ?? DEFAULT_BATCH_SIZE,
    workloadEnabled:
      config.getOptionalBoolean('policy.workload.enabled') ?? true,
    gatekeeperEnabled:
      config.getOptionalBoolean('policy.gatekeeper.enabled') ?? true,
    gatekeeperAuditStaleAfterMinutes:
      config.getOptionalNumber('policy.gatekeeper.auditStaleAfterMinutes') ??
      10,
    concurrency:
      config.getOptionalNumber('policy.catalog.concurrency') ??
      DEFAULT_CONCURRENCY,
    catalogChangesEnabled:
      config.getOptionalBoolean('policy.catalogChanges.enabled') ?? true,
    catalogChangesDebounceMs:
      config.getOptionalNumber('policy.catalogChanges.debounceMs') ??
      DEFAULT_CATALOG_CHANGES_DEBOUNCE_MS,
    schedule: schedule
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
      : DEFAULT_SCHEDULE,
    history: {
      maxRuns:
        positive(config, 'policy.history.maxRuns') ??
        DEFAULT_HISTORY_RETENTION.maxRuns,
      maxAgeDays:
        positive(config, 'policy.history.maxAgeDays') ??
        DEFAULT_HISTORY_RETENTION.maxAgeDays,
    },
  };
}
