export interface Config {
  /** Paved policy plugins (OPA). */
  policy?: {
    /**
     * The OPA server the policy backend, `policy:check` and the OPA permission
     * policy ask. Without `baseUrl` every policy view says that no policy
     * engine is configured.
     */
    opa?: {
      /**
       * URL of the OPA server, e.g. http://localhost:8181. No default: unset (or empty) means no policy engine.
       * @visibility backend
       */
      baseUrl?: string;
      /**
       * Bearer token for OPA started with `--authentication=token`. No default.
       * @visibility secret
       */
      token?: string;
      /**
       * Timeout of one OPA request in milliseconds. Default 5000.
       * @visibility backend
       */
      timeoutMs?: number;
      /**
       * Retries after a connection error or a 5xx, with exponential back-off. Default 2.
       * @visibility backend
       */
      retries?: number;
      /**
       * Set when `baseUrl` points at Paved's SIMULATED OPA stand-in (demos
       * of faults): every view then labels the decisions as simulated.
       * Default false.
       * @visibility backend
       */
      simulated?: boolean;
    };
  };
}
