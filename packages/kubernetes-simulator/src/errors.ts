import type { ResourceType } from './resources';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Unauthorized',
  404: 'the server could not find the requested resource',
  405: 'the server does not allow this method on the requested resource',
  410: 'the resource version requested is too old (simulated failure)',
  429: 'Too many requests, please try again later.',
  500: 'Internal error occurred: simulated failure injected by the Paved Kubernetes simulator',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

/**
 * A `Status` object, the body of every error the apiserver returns.
 * `reason` `''` leaves the reason out, as kube-apiserver does for errors
 * that are not API errors (StatusReasonUnknown).
 */
export function statusObject(
  code: number,
  message?: string,
  details?: Record<string, unknown>,
  reason?: string,
) {
  const why = reason ?? REASONS[code] ?? 'Unknown';
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: message ?? DEFAULT_MESSAGES[code] ?? `simulated error ${code}`,
    ...(why ? { reason: why } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

/** An error answered with a `Status` body. */
export class HttpError extends Error {
  readonly details?: Record<string, unknown>;
  constructor(
    readonly code: number,
    message?: string,
    details?: Record<string, unknown>,
    readonly extra?: Record<string, unknown>,
    readonly reason?: string,
  ) {
    super(message ?? DEFAULT_MESSAGES[code]);
    // kube-apiserver's router answers these with empty details.
    this.details = details ?? (code === 405 ? {} : undefined);
  }
}

/** `pods`, `deployments.apps`: a resource as kube's messages name it (GroupResource.String()). */
export function qualifiedResource(
  type: Pick<ResourceType, 'group' | 'plural'>,
) {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `Pod`, `Deployment.apps`: a kind as kube's messages name it (GroupKind.String()). */
export function qualifiedKind(type: Pick<ResourceType, 'group' | 'kind'>) {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

/** kube's message for a JSON patch that does not apply (a 422 without the patch library's reason). */
export const PATCH_REJECTED_MESSAGE =
  'the server rejected our request due to an error in our request';

function resourceDetails(type: ResourceType, name: string) {
  return {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  };
}

/** 404 NotFound: `pods "x" not found`. */
export function notFound(type: ResourceType, name: string): HttpError {
  return new HttpError(
    404,
    `${qualifiedResource(type)} "${name}" not found`,
    resourceDetails(type, name),
  );
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function alreadyExists(type: ResourceType, name: string): HttpError {
  return new HttpError(
    409,
    `${qualifiedResource(type)} "${name}" already exists`,
    resourceDetails(type, name),
    undefined,
    'AlreadyExists',
  );
}

/** The message of an update with a stale resourceVersion (storage.OptimisticLockErrorMsg). */
export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict: `Operation cannot be fulfilled on pods "x": <why>`. */
export function conflict(
  type: ResourceType,
  name: string,
  why: string,
  // Delete preconditions name the kind, not the resource (kube's BeforeDelete).
  by: 'resource' | 'kind' = 'resource',
): HttpError {
  const what = by === 'kind' ? qualifiedKind(type) : qualifiedResource(type);
  return new HttpError(
    409,
    `Operation cannot be fulfilled on ${what} "${name}": ${why}`,
    {
      name,
      ...(type.group ? { group: type.group } : {}),
      kind: by === 'kind' ? type.kind : type.plural,
    },
  );
}

/** One field error of a 422 Invalid answer. */
export interface FieldError {
  field: string;
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`, ... */
  reason: string;
  /** `Invalid value: "x": must be ...`, `Required value: ...`. */
  message: string;
}

/** 422 Invalid: `Pod "x" is invalid: metadata.name: Invalid value: ...`. */
export function invalid(
  type: Pick<ResourceType, 'group' | 'kind'>,
  name: string,
  errors: FieldError[],
): HttpError {
  const list = errors.map(e => `${e.field}: ${e.message}`);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new HttpError(
    422,
    `${qualifiedKind(type)} "${name}" is invalid: ${joined}`,
    {
      ...(name ? { name } : {}),
      ...(type.group ? { group: type.group } : {}),
      ...(type.kind ? { kind: type.kind } : {}),
      causes: errors.map(e => ({
        reason: e.reason,
        message: e.message,
        field: e.field,
      })),
    },
  );
}
