import { Config } from '@backstage/config';
import { OpaClientOptions, readOpaClientOptions } from '@paved/plugin-policy-node';

/** What answers when OPA gives no usable answer. @public */
export type OpaPermissionFallback = 'paved' | 'deny' | 'allow';

/** Default Data API path of the permission decision. @public */
export const DEFAULT_PERMISSION_ENTRYPOINT = 'paved/permission/decision';

/** Settings of the OPA permission policy, defaults applied. @public */
export interface OpaPermissionConfig {
  /** `permission.opa.enabled`: without it the Paved policy decides alone. */
  enabled: boolean;
  /** Connection from `policy.opa`; undefined when `policy.opa.baseUrl` is unset. */
  opa?: OpaClientOptions;
  entrypoint: string;
  fallback: OpaPermissionFallback;
  timeoutMs: number;
}

const FALLBACKS: OpaPermissionFallback[] = ['paved', 'deny', 'allow'];

/** Default of `permission.opa.timeoutMs`: checks run on the request path. */
export const DEFAULT_PERMISSION_TIMEOUT_MS = 2000;

/**
 * Reads `permission.opa` (enabled, entrypoint, fallback, timeoutMs) and the
 * OPA connection from `policy.opa`, shared with the other policy packages.
 * Throws on an unknown fallback, so a typo cannot quietly change who may do what.
 * @public
 */
export function readOpaPermissionConfig(config: Config): OpaPermissionConfig {
  const fallback = config.getOptionalString('permission.opa.fallback') ?? 'paved';
  if (!FALLBACKS.includes(fallback as OpaPermissionFallback)) {
    throw new Error(`permission.opa.fallback must be one of ${FALLBACKS.join(', ')}, got "${fallback}"`);
  }
  const opa = readOpaClientOptions(config);
  return {
    enabled: config.getOptionalBoolean('permission.opa.enabled') ?? false,
    // No retries: a permission check waits for the answer; the fallback answers at once instead.
    opa: opa && { ...opa, retries: 0 },
    entrypoint: config.getOptionalString('permission.opa.entrypoint') ?? DEFAULT_PERMISSION_ENTRYPOINT,
    fallback: fallback as OpaPermissionFallback,
    timeoutMs: config.getOptionalNumber('permission.opa.timeoutMs') ?? DEFAULT_PERMISSION_TIMEOUT_MS,
  };
}
