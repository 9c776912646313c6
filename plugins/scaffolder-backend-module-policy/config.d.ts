export interface Config {
  policy?: {
    /** The scaffolder action `policy:check`. OPA itself is `policy.opa` (baseUrl, token, timeoutMs, retries). */
    scaffolder?: {
      /**
       * What `policy:check` does when OPA gives no usable answer (not configured,
       * unreachable, timeout, error, undefined or malformed result): `fail` the
       * step, or `warn` in the task log and let the template go on unchecked.
       * Default `fail`.
       * @visibility backend
       */
      onEngineUnavailable?: 'fail' | 'warn';
    };
  };
}
