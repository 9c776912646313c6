import { ClusterErrorType } from '@paved/plugin-kubernetes-status-common';

// Node's TLS verification codes, in the words kubectl and client-go use.
const UNKNOWN_AUTHORITY =
  "certificate signed by unknown authority: the API server's certificate does not verify with the cluster's CA (caData)";
const TLS_ERRORS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNKNOWN_AUTHORITY,
  SELF_SIGNED_CERT_IN_CHAIN: UNKNOWN_AUTHORITY,
  DEPTH_ZERO_SELF_SIGNED_CERT: UNKNOWN_AUTHORITY,
  UNABLE_TO_GET_ISSUER_CERT: UNKNOWN_AUTHORITY,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNKNOWN_AUTHORITY,
  CERT_SIGNATURE_FAILURE: UNKNOWN_AUTHORITY,
  CERT_HAS_EXPIRED:
    "certificate has expired: the API server's certificate is no longer valid",
  CERT_NOT_YET_VALID:
    "certificate is not yet valid: the API server's certificate starts later",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "certificate is not valid for the cluster's host name (url)",
  EPROTO:
    "TLS handshake failed: is the url https:// and the port the API server's?",
};

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens at the url',
  ENOTFOUND: "host not found: the url's host name does not resolve",
  EAI_AGAIN:
    "host not found (DNS temporarily failing): the url's host name does not resolve",
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection was cut mid-answer',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * An HTML page where the API should be (a proxy's sign-in page): an error
 * body that starts with a tag, or JSON parsing that stopped at `<`.
 */
function htmlAnswer(err: Record<string, unknown> | undefined): boolean {
  if (typeof err?.body === 'string' && /^\s*</.test(err.body)) return true;
  return /Unexpected token '<'|<!doctype html|<html/i.test(
    String(err?.message ?? ''),
  );
}

/** Maps a client-node / fetch error to the error types the API reports. */
export function classifyError(error: unknown): {
  type: ClusterErrorType;
  status?: number;
  message: string;
} {
  // client-node's ApiException has the HTTP status as `code` and the
  // response body (often a JSON Status) as `body`; fetch errors have the
  // socket or TLS error as `cause`, Node's system errors a string `code`.
  const err = isRecord(error) ? error : undefined;
  const status = [err?.code, err?.statusCode].find(
    (v): v is number => typeof v === 'number',
  );
  const body = typeof err?.body === 'string' ? safeJson(err.body) : err?.body;
  const bodyMessage = isRecord(body) ? body.message : undefined;
  let detail: string;
  if (typeof bodyMessage === 'string') detail = bodyMessage;
  else if (typeof err?.message === 'string') detail = err.message;
  else detail = String(error);
  const cause = isRecord(err?.cause) ? err.cause : undefined;
  const causeCode: unknown = cause?.code ?? err?.code ?? err?.errno;
  if (htmlAnswer(err)) {
    const http = status ? `: HTTP ${status}` : '';
    return {
      type: 'unreachable',
      status,
      message: `answered HTML, not the Kubernetes API (a proxy login page?)${http}`,
    };
  }
  if (status === 401) {
    // The API server says no more than "Unauthorized" to a token it rejects.
    const why = detail && detail !== 'Unauthorized' ? ` (${detail})` : '';
    return {
      type: 'unauthorized',
      status,
      message: `401 Unauthorized: the token was rejected${why}`,
    };
  }
  if (status === 403) return { type: 'forbidden', status, message: detail };
  if (
    err?.name === 'TimeoutError' ||
    causeCode === 'ETIMEDOUT' ||
    causeCode === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return { type: 'timeout', message: detail };
  }
  const tls = typeof causeCode === 'string' ? TLS_ERRORS[causeCode] : undefined;
  if (tls)
    return { type: 'unreachable', message: `${tls} (${causeCode}: ${detail})` };
  if (
    typeof causeCode === 'string' &&
    // ERR_STREAM_PREMATURE_CLOSE: node-fetch's "Premature close", a watch
    // stream cut mid-response (server gone, connection reset).
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ECONNRESET',
      'EAI_AGAIN',
      'ENETUNREACH',
      'ERR_STREAM_PREMATURE_CLOSE',
    ].includes(causeCode)
  ) {
    return {
      type: 'unreachable',
      message: `${
        NETWORK_ERRORS[causeCode] ?? causeCode
      } (${causeCode}: ${detail})`,
    };
  }
  if (
    /fetch failed|socket hang up|ECONNREFUSED|ECONNRESET|Premature close/i.test(
      detail,
    )
  ) {
    return { type: 'unreachable', message: detail };
  }
  return { type: 'unknown', status, message: detail };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Thrown when a call to a cluster exceeds its time budget. */
export class ClusterTimeoutError extends Error {
  name = 'TimeoutError';
}
