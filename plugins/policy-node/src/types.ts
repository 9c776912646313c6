/** Build and bundle information OPA attaches to a decision with `?provenance=true`. @public */
export interface OpaProvenance {
  version?: string;
  build_commit?: string;
  bundles?: Record<string, { revision?: string }>;
}

/**
 * The outcome of one Data API call. `undefined` means OPA answered without
 * a `result` key: the entry point does not exist or produced nothing for
 * this input. It is NOT an empty set of violations.
 * @public
 */
export type OpaDecision<T = unknown> =
  | {
      outcome: 'defined';
      result: T;
      decisionId?: string;
      provenance?: OpaProvenance;
    }
  | { outcome: 'undefined'; decisionId?: string; provenance?: OpaProvenance };

/** A Rego module as `GET /v1/policies` lists it. @public */
export interface OpaPolicyModule {
  id: string;
  raw: string;
}

/** Result of `GET /health`. @public */
export interface OpaHealth {
  healthy: boolean;
  /** HTTP status, when OPA answered. */
  status?: number;
  error?: string;
}

/** Per-call options. @public */
export interface OpaCallOptions {
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  /** Aborts the call (and its retries) from outside. */
  signal?: AbortSignal;
}
