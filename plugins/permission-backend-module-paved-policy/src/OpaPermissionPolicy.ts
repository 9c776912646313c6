import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { OpaClient, OpaError } from '@paved/plugin-policy-node';

/**
 * The input OPA receives for one permission request. There is no resource
 * ref: Backstage hands a policy only the permission (resources are matched
 * later, through conditional decisions), so for a resource permission OPA's
 * answer holds for every resource of that type.
 * @public
 */
export interface OpaPermissionInput {
  permission: {
    name: string;
    type: 'basic' | 'resource';
    attributes: { action?: 'create' | 'read' | 'update' | 'delete' };
    /** Set for resource permissions, e.g. `catalog-entity`. */
    resourceType?: string;
  };
  /** Null for requests without a user (service-to-service calls). */
  user: { entityRef: string; ownershipEntityRefs: string[] } | null;
}

/** Options of {@link OpaPermissionPolicy}. @public */
export interface OpaPermissionPolicyOptions {
  /** Undefined when no OPA is configured: every request goes to the fallback. */
  opa?: OpaClient;
  /** Data API path answering `"allow"`/`"deny"` (or true/false). */
  entrypoint: string;
  /** Decides when OPA gives no usable answer. */
  fallback: PermissionPolicy;
  /** Named in log lines, e.g. `paved`. */
  fallbackName: string;
  /** Timeout of one decision. */
  timeoutMs: number;
  logger: LoggerService;
  /** Least time between two warnings about the same kind of failure. Default 60 000 ms. */
  warnIntervalMs?: number;
}

/** Why OPA's answer was not used. */
type FallbackReason =
  | OpaError['kind']
  | 'undefined-result'
  | 'invalid-result'
  | 'not-configured';

/** @public */
export function opaPermissionInput(
  request: PolicyQuery,
  user?: PolicyQueryUser,
): OpaPermissionInput {
  const { permission } = request;
  return {
    permission: {
      name: permission.name,
      type: permission.type,
      attributes: { ...permission.attributes },
      ...(isResourcePermission(permission)
        ? { resourceType: permission.resourceType }
        : {}),
    },
    user: user
      ? {
          entityRef: user.info.userEntityRef,
          ownershipEntityRefs: [...(user.info.ownershipEntityRefs ?? [])],
        }
      : null,
  };
}

function decisionOf(
  result: unknown,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY | undefined {
  if (result === 'allow' || result === true) return AuthorizeResult.ALLOW;
  if (result === 'deny' || result === false) return AuthorizeResult.DENY;
  return undefined;
}

/**
 * A permission policy that asks OPA. OPA's `"allow"`/`"deny"` become ALLOW
 * and DENY; anything else (refused connection, timeout, error, 401, an
 * undefined or unexpected result) hands the request to the fallback policy.
 * An undefined result is also how a Rego policy says "not mine to decide".
 * Conditional decisions from OPA are not supported.
 * @public
 */
export class OpaPermissionPolicy implements PermissionPolicy {
  private readonly options: OpaPermissionPolicyOptions;
  private readonly lastWarned = new Map<FallbackReason, number>();
  private suppressed = 0;
  private failuresSinceAnswer = 0;

  constructor(options: OpaPermissionPolicyOptions) {
    this.options = options;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { opa, entrypoint, timeoutMs } = this.options;
    if (!opa)
      return this.fallBack(
        request,
        user,
        'not-configured',
        'policy.opa.baseUrl is not set',
      );
    let decision;
    try {
      decision = await opa.evaluate(
        entrypoint,
        opaPermissionInput(request, user),
        { timeoutMs },
      );
    } catch (error) {
      if (!(error instanceof OpaError)) throw error;
      return this.fallBack(request, user, error.kind, error.message);
    }
    if (decision.outcome === 'undefined') {
      return this.fallBack(
        request,
        user,
        'undefined-result',
        `no result at ${entrypoint}`,
      );
    }
    const result = decisionOf(decision.result);
    if (!result) {
      return this.fallBack(
        request,
        user,
        'invalid-result',
        `${entrypoint} answered ${JSON.stringify(decision.result).slice(
          0,
          100,
        )}, expected "allow" or "deny"`,
      );
    }
    if (this.failuresSinceAnswer > 0) {
      this.options.logger.info(
        `OPA answers permission decisions again, after ${this.failuresSinceAnswer} decided by the ${this.options.fallbackName} fallback`,
      );
      this.failuresSinceAnswer = 0;
    }
    return { result };
  }

  private fallBack(
    request: PolicyQuery,
    user: PolicyQueryUser | undefined,
    reason: FallbackReason,
    message: string,
  ): Promise<PolicyDecision> {
    const { logger, fallback, fallbackName } = this.options;
    const line = `Permission ${request.permission.name} decided by the ${fallbackName} fallback: ${message}`;
    if (reason === 'undefined-result') {
      // The documented way for a policy to leave a permission to the fallback.
      logger.debug(line);
    } else {
      this.failuresSinceAnswer += 1;
      this.warnThrottled(reason, line);
    }
    return fallback.handle(request, user);
  }

  private warnThrottled(reason: FallbackReason, line: string) {
    const now = Date.now();
    const last = this.lastWarned.get(reason);
    if (
      last !== undefined &&
      now - last < (this.options.warnIntervalMs ?? 60_000)
    ) {
      this.suppressed += 1;
      return;
    }
    this.lastWarned.set(reason, now);
    const more = this.suppressed
      ? ` (${this.suppressed} similar warnings suppressed)`
      : '';
    this.suppressed = 0;
    this.options.logger.warn(`${line}${more}`);
  }
}

/** The fallback policies other than Paved's own. */
export const staticPolicy = (
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
): PermissionPolicy => ({
  async handle() {
    return { result };
  },
});
