import { timingSafeEqual } from 'node:crypto';

/** The user the simulator says it authenticated, in RBAC denials. */
export const DEFAULT_USER = 'system:serviceaccount:paved:reader';

/** A per-resource RBAC denial. */
export interface ForbidRule {
  /** Resource, optionally with subresource: `secrets`, `events`, `pods/log`. */
  resource: string;
  /** API group; any group when omitted. */
  group?: string;
  /**
   * Only in this namespace, and in cluster-wide requests (which would
   * include it); everywhere when omitted.
   */
  namespace?: string;
  /**
   * Only these verbs (`get`, `list`, `watch`, `create`, `update`, `patch`,
   * `delete`, `deletecollection`); all when omitted.
   */
  verbs?: string[];
}

/** What an incoming request asks for, in RBAC terms. */
export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** A decision to deny, with the apiserver's wording. */
export interface Denial {
  message: string;
}

/**
 * Bearer-token authentication and RBAC-style denials. Everything is allowed
 * to the token holder except what {@link Authorizer.forbid} rules deny.
 */
export class Authorizer {
  readonly #token: string | undefined;
  readonly #user: string;
  #rules: ForbidRule[] = [];

  constructor(options: { token?: string; user?: string } = {}) {
    this.#token = options.token;
    this.#user = options.user ?? DEFAULT_USER;
  }

  /** The user name RBAC messages mention. */
  get user(): string {
    return this.#user;
  }

  /** The user's groups, as kube-apiserver's authenticators add them. */
  get groups(): string[] {
    const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(this.#user);
    return sa
      ? [
          'system:serviceaccounts',
          `system:serviceaccounts:${sa[1]}`,
          'system:authenticated',
        ]
      : ['system:authenticated'];
  }

  /**
   * Whether the Authorization header carries the expected bearer token.
   * Without a configured token every request is accepted.
   */
  authenticate(authorization: string | undefined): boolean {
    if (this.#token === undefined) {
      return true;
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match) {
      return false;
    }
    const given = Buffer.from(match[1].trim());
    const expected = Buffer.from(this.#token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Adds a denial rule. */
  forbid(rule: ForbidRule): void {
    this.#rules.push(rule);
  }

  /** Removes every denial rule. */
  allowAll(): void {
    this.#rules = [];
  }

  /** Returns the denial for a request, or undefined when it is allowed. */
  authorize(request: AccessRequest): Denial | undefined {
    const resource = request.subresource
      ? `${request.resource}/${request.subresource}`
      : request.resource;
    const denied = this.#rules.some(
      rule =>
        rule.resource === resource &&
        (rule.group === undefined || rule.group === request.group) &&
        // Denied in one namespace means denied cluster-wide too: a
        // cluster-wide list would include that namespace.
        (rule.namespace === undefined ||
          request.namespace === undefined ||
          rule.namespace === request.namespace) &&
        (rule.verbs === undefined || rule.verbs.includes(request.verb)),
    );
    if (!denied) {
      return undefined;
    }
    // Same sentence as kube-apiserver's RBAC authorizer.
    const subject = request.name
      ? `${request.resource} "${request.name}"`
      : request.resource;
    const scope = request.namespace
      ? `in the namespace "${request.namespace}"`
      : 'at the cluster scope';
    return {
      message: `${subject} is forbidden: User "${this.#user}" cannot ${
        request.verb
      } resource "${resource}" in API group "${request.group}" ${scope}`,
    };
  }
}
