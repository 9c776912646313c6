import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { OpaClient, OpaClientOptions } from './OpaClient';
import { readOpaClientOptions } from './config';

/**
 * The OPA connection of the backend (`policy.opa`), shared by the policy
 * backend, `policy:check` and the OPA permission policy.
 * @public
 */
export interface OpaService {
  /** False when `policy.opa.baseUrl` is not set: no policy engine. */
  readonly configured: boolean;
  /** The configured connection; undefined when not configured. */
  readonly options?: OpaClientOptions;
  /**
   * A client for the configured OPA, with per-caller overrides (a permission
   * check waits on the request path: its own timeout, no retries);
   * undefined when not configured.
   */
  client(
    overrides?: Partial<
      Pick<OpaClientOptions, 'timeoutMs' | 'retries' | 'retryBaseDelayMs'>
    >,
  ): OpaClient | undefined;
}

/**
 * The backend's {@link OpaService}, read once from `policy.opa`. Backends
 * need not add a factory: the default reads the root config.
 * @public
 */
export const opaServiceRef = createServiceRef<OpaService>({
  id: 'paved.policy.opa',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => createOpaService(readOpaClientOptions(config)),
    }),
});

/** An {@link OpaService} for a connection (or none). @public */
export function createOpaService(
  options: OpaClientOptions | undefined,
): OpaService {
  return {
    configured: !!options,
    options,
    client: overrides =>
      options ? new OpaClient({ ...options, ...overrides }) : undefined,
  };
}
