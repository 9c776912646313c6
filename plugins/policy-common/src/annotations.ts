/**
 * Set to `true` on an entity to leave it out of policy evaluation. Its
 * compliance is then `unknown` with a reason, never `passing`.
 * @public
 */
export const ANNOTATION_POLICY_SKIP = 'paved.dev/policy-skip';

/** Default OPA entry point (Data API path) of the catalog rules. @public */
export const DEFAULT_CATALOG_ENTRYPOINT = 'paved/catalog/violations';

/** Default OPA entry point (Data API path) of the workload rules. @public */
export const DEFAULT_WORKLOAD_ENTRYPOINT = 'paved/workload/violations';

/** What every view says when no policy engine is configured. @public */
export const NO_POLICY_ENGINE_MESSAGE =
  'No policy engine configured. Set policy.opa.baseUrl (and policy.opa.token if OPA requires one) in app-config.yaml to the URL of an OPA server loaded with the policies/ folder, for example `opa run --server policies/`.';

/**
 * Default batch entry point of the catalog rules: input
 * `{items: {<key>: <catalog input>}}`, result `{<key>: [violation…]}`.
 * @public
 */
export const DEFAULT_CATALOG_BATCH_ENTRYPOINT = 'paved/catalog/batch';

/**
 * Default batch entry point of the workload rules: input
 * `{items: {<key>: {manifests, environment?}}}`, result `{<key>: [violation…]}`.
 * @public
 */
export const DEFAULT_WORKLOAD_BATCH_ENTRYPOINT = 'paved/workload/batch';
