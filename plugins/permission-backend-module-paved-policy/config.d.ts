export interface Config {
  permission?: {
    /** Paved's permission policy. */
    paved?: {
      /**
       * Groups whose members may administer everything (delete locations,
       * manage templates, cancel any task). Default: `group:default/platform-team`.
       * @visibility backend
       */
      adminGroups?: string[];
    };
    /**
     * Permission decisions from OPA. The OPA connection is `policy.opa`
     * (baseUrl, token), shared with the other policy packages.
     */
    opa?: {
      /**
       * Ask OPA for every permission decision. Default false: the Paved
       * policy decides alone and OPA is never asked.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Data API path answering "allow" or "deny" (or true/false). Default
       * `paved/permission/decision`.
       * @visibility backend
       */
      entrypoint?: string;
      /**
       * Who decides when OPA gives no usable answer (refused connection,
       * timeout, error, 401, undefined or unexpected result): `paved` (the
       * Paved policy), `deny` or `allow`. Default `paved`.
       * @visibility backend
       */
      fallback?: 'paved' | 'deny' | 'allow';
      /**
       * Timeout of one decision in milliseconds, no retries. Default 2000.
       * @visibility backend
       */
      timeoutMs?: number;
    };
  };
}
