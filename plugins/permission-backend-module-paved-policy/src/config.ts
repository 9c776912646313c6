import { Config } from '@backstage/config';

/** What answers when OPA gives no usable answer. @public */
export type OpaPermissionFallback = 'paved' | 'deny' | 'allow';

/** Default Data API path of the permission decision. @public */
export const DEFAULT_PERMISSION_ENTRYPOINT = 'paved/permission/decision';

/** Settings of the OPA permission policy, defaults applied. @public */
export interface OpaPermissionConfig {
  /** `permission.opa.enabled`: without it the Paved policy decides alone. */
  enabled: boolean;
  entrypoint: string;
  fallback: OpaPermissionFallback;
  timeoutMs: number;
}

const FALLBACKS: OpaPermissionFallback[] = ['paved', 'deny', 'allow'];

/** Default of `permission.opa.timeoutMs`: checks run on the request path. */
export const DEFAULT_PERMISSION_TIMEOUT_MS = 2000;

/**
 * Reads `permission.opa` (enabled, entrypoint, fallback, timeoutMs). The
 * OPA connection is `policy.opa`, from the shared `opaServiceRef`.
 * Throws on an unknown fallback, so a typo cannot quietly change who may do what.
 * @public
 */
export function readOpaPermissionConfig(config: Config): OpaPermissionConfig {
  const fallback =
    config.getOptionalString('permission.opa.fallback') ?? 'paved';
  if (!FALLBACKS.includes(fallback as OpaPermissionFallback)) {
    throw new Error(
      `permission.opa.fallback must be one of ${FALLBACKS.join(
        ', ',
      )}, got "${fallback}"`,
    );
  }
  return {
    enabled: config.getOptionalBoolean('permission.opa.enabled') ?? false,
    entrypoint:
      config.getOptionalString('permission.opa.entrypoint') ??
      DEFAULT_PERMISSION_ENTRYPOINT,
    fallback: fallback as OpaPermissionFallback,
    timeoutMs:
      config.getOptionalNumber('permission.opa.timeoutMs') ??
      DEFAULT_PERMISSION_TIMEOUT_MS,
  };
}
