import { Config } from '@backstage/config';
import { readOpaClientOptions } from '@paved/plugin-policy-node';
import { DEFAULT_MAX_TRACKED_ENTITIES } from './EntityChangeProcessor';

/** Settings of the module, defaults applied. @public */
export interface PolicyChangesConfig {
  /** Announce changes at all: `policy.catalogChanges.enabled` and an OPA configured. */
  enabled: boolean;
  maxTrackedEntities: number;
}

/** Reads `policy.catalogChanges.*`; off when no policy engine is configured. @public */
export function readPolicyChangesConfig(config: Config): PolicyChangesConfig {
  const enabled = config.getOptionalBoolean('policy.catalogChanges.enabled') ?? true;
  // Without an engine nobody evaluates: hashing and publishing would be wasted work.
  const engineConfigured = !!readOpaClientOptions(config);
  return {
    enabled: enabled && engineConfigured,
    maxTrackedEntities:
      config.getOptionalNumber('policy.catalogChanges.maxTrackedEntities') ?? DEFAULT_MAX_TRACKED_ENTITIES,
  };
}
