/** Why an OPA call failed. @public */
export type OpaErrorKind =
  /** OPA answered with a non-2xx status (its body's `code` is in `code`). */
  | 'http'
  /** 401/403: the token is missing or wrong. */
  | 'unauthorized'
  /** No answer within the timeout. */
  | 'timeout'
  /** Refused, reset, DNS failure: OPA was not reached. */
  | 'connection'
  /** OPA answered 2xx with a body that is not what its API documents. */
  | 'invalid-response';

/**
 * Every failure of {@link OpaClient}. A failed call never means "compliant":
 * callers decide what an error means (unknown state, stale results, fallback).
 * @public
 */
export class OpaError extends Error {
  readonly kind: OpaErrorKind;
  /** HTTP status when OPA answered. */
  readonly status?: number;
  /** OPA's error code from its body, e.g. `internal_error`, `invalid_parameter`. */
  readonly code?: string;

  constructor(options: {
    kind: OpaErrorKind;
    message: string;
    status?: number;
    code?: string;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'OpaError';
    this.kind = options.kind;
    this.status = options.status;
    this.code = options.code;
  }

  /** Worth retrying: OPA not reached or a server-side failure. */
  get transient(): boolean {
    return (
      this.kind === 'connection' ||
      (this.kind === 'http' && (this.status ?? 0) >= 500)
    );
  }
}
