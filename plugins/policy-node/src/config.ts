import { Config } from '@backstage/config';
import { OpaClientOptions } from './OpaClient';

/**
 * Reads `policy.opa` (baseUrl, token, timeoutMs, retries) from the root
 * config. Returns undefined when no OPA is configured, so callers can say so
 * instead of pretending compliance.
 * @public
 */
export function readOpaClientOptions(config: Config): OpaClientOptions | undefined {
  const opa = config.getOptionalConfig('policy.opa');
  const baseUrl = opa?.getOptionalString('baseUrl');
  if (!opa || !baseUrl) return undefined;
  return {
    baseUrl,
    token: opa.getOptionalString('token'),
    timeoutMs: opa.getOptionalNumber('timeoutMs'),
    retries: opa.getOptionalNumber('retries'),
  };
}
