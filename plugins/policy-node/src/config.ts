import { Config } from '@backstage/config';
import { OpaClientOptions } from './OpaClient';

/**
 * Reads `policy.opa` (baseUrl, token, timeoutMs, retries) from the root
 * config. Returns undefined when no OPA is configured, so callers can say so
 * instead of pretending compliance.
 * @public
 */
export function readOpaClientOptions(
  config: Config,
): OpaClientOptions | undefined {
  const opa = config.getOptionalConfig('policy.opa');
  // Read raw: `baseUrl: ${OPA_URL:-}` with the variable unset is an empty
  // string, which means "no engine", not a configuration error.
  const baseUrl = opa?.getOptional('baseUrl');
  if (!opa || typeof baseUrl !== 'string' || !baseUrl.trim()) return undefined;
  return {
    baseUrl,
    token: nonEmpty(opa.getOptional('token')),
    timeoutMs: opa.getOptionalNumber('timeoutMs'),
    retries: opa.getOptionalNumber('retries'),
  };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}
