import { Config } from '@backstage/config';
import {
  DEFAULT_CATALOG_ENTRYPOINT,
  DEFAULT_WORKLOAD_ENTRYPOINT,
} from '@paved/plugin-policy-common';
import {
  OpaClientOptions,
  readOpaClientOptions,
} from '@paved/plugin-policy-node';

/** What `policy:check` does when OPA gives no usable answer. @public */
export type EngineUnavailableMode = 'fail' | 'warn';

/** Settings of the `policy:check` action, defaults applied. @public */
export interface PolicyCheckConfig {
  /** Undefined when `policy.opa.baseUrl` is not set. */
  opa?: OpaClientOptions;
  catalogEntrypoint: string;
  workloadEntrypoint: string;
  onEngineUnavailable: EngineUnavailableMode;
}

/**
 * Reads `policy.opa` (shared with the policy backend, through
 * `readOpaClientOptions`), the entry points and
 * `policy.scaffolder.onEngineUnavailable` (default `fail`).
 * @public
 */
export function readPolicyCheckConfig(config: Config): PolicyCheckConfig {
  const mode =
    config.getOptionalString('policy.scaffolder.onEngineUnavailable') ?? 'fail';
  if (mode !== 'fail' && mode !== 'warn') {
    throw new Error(
      `policy.scaffolder.onEngineUnavailable must be "fail" or "warn", got "${mode}"`,
    );
  }
  return {
    opa: readOpaClientOptions(config),
    catalogEntrypoint:
      config.getOptionalString('policy.catalog.entrypoint') ??
      DEFAULT_CATALOG_ENTRYPOINT,
    workloadEntrypoint:
      config.getOptionalString('policy.workload.entrypoint') ??
      DEFAULT_WORKLOAD_ENTRYPOINT,
    onEngineUnavailable: mode,
  };
}
