import { Config } from '@backstage/config';
import { readOpaClientOptions } from '@paved/plugin-policy-node';

/** Settings of the module, defaults applied. @public */
export interface PolicyChangesConfig {
  /** Announce changes at all: `policy.catalogChanges.enabled` and an OPA configured. */
  enabled: boolean;
}

/** Reads `policy.catalogChanges.*`; off when no policy engine is configured. @public */
export function readPolicyChangesConfig(config: Config): PolicyChangesConfig {
  const enabled =
    config.getOptionalBoolean('policy.catalogChanges.enabled') ?? true;
  // Without an engine nobody evaluates: hashing and publishing would be wasted work.
  const engineConfigured = !!readOpaClientOptions(config);
  return {
    enabled: enabled && engineConfigured,
  };
}
