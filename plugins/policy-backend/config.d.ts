import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Paved policy plugins (OPA). Without `policy.opa.baseUrl` every view says no policy engine is configured. */
  policy?: {
    // policy.opa (the OPA connection) is declared by @paved/plugin-policy-node.
    catalog?: {
      /**
       * Data API path of the catalog rules. Default `paved/catalog/violations`.
       * @visibility backend
       */
      entrypoint?: string;
      /**
       * Data API path of the catalog rules' batch entry point (input
       * `{items: {<key>: <input>}}`, result `{<key>: [violations]}`), used for
       * runs. Default `paved/catalog/batch`. An empty string, or policies
       * without it (an undefined answer), evaluate one entity per query.
       * @visibility backend
       */
      batchEntrypoint?: string;
      /**
       * OPA queries in flight at once during a run. Default 2.
       * @visibility backend
       */
      concurrency?: number;
    };
    workload?: {
      /**
       * Data API path of the workload rules. Default `paved/workload/violations`.
       * @visibility backend
       */
      entrypoint?: string;
      /**
       * Data API path of the workload rules' batch entry point. Default
       * `paved/workload/batch`; empty string: one query per entity and cluster.
       * @visibility backend
       */
      batchEntrypoint?: string;
      /**
       * Evaluate the live manifests (from the Kubernetes status caches) of
       * entities with Kubernetes annotations. Default true.
       * @visibility backend
       */
      enabled?: boolean;
    };
    gatekeeper?: {
      /**
       * Read Gatekeeper audit results (constraints.gatekeeper.sh/v1beta1) of the clusters
       * the Kubernetes status plugin watches. Default true.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * An audit (status.auditTimestamp) older than this many minutes is shown as stale. Default 10.
       * @visibility backend
       */
      auditStaleAfterMinutes?: number;
    };
    /**
     * Entities (or entity-cluster pairs for workload rules) per OPA query during
     * a run. Default 500; 1 turns batching off.
     * @visibility backend
     */
    batchSize?: number;
    catalogChanges?: {
      /**
       * Re-evaluate an entity a few seconds after the catalog changes it (announced by
       * `@paved/plugin-catalog-backend-module-policy-changes` on the events service),
       * besides the scheduled run. Unchanged entities cost no OPA call. Default true.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Milliseconds between the first announced change and the evaluation of all
       * changes announced meanwhile (the catalog stitches after processing). Default 5000.
       * @visibility backend
       */
      debounceMs?: number;
    };
    history?: {
      /**
       * Runs kept in the history (trend, last run), the newest. Default 2000.
       * @visibility backend
       */
      maxRuns?: number;
      /**
       * Runs started longer ago than this many days are deleted. Default 90.
       * @visibility backend
       */
      maxAgeDays?: number;
    };
    /**
     * Schedule of the evaluation run (runs once across replicas).
     * Default: every 10 minutes (runs are incremental), 20 minute timeout, first run 30 s after start.
     * @visibility backend
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
  };
}
