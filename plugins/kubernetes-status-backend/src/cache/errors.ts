import { ClusterErrorType } from '@paved/plugin-kubernetes-status-common';

/** Maps a client-node / fetch error to the error types the API reports. */
export function classifyError(error: unknown): { type: ClusterErrorType; status?: number; message: string } {
  const err = error as any;
  const status: number | undefined = [err?.code, err?.statusCode].find(v => typeof v === 'number');
  const body = typeof err?.body === 'string' ? safeJson(err.body) : err?.body;
  const detail: string = body?.message ?? err?.message ?? String(error);
  const causeCode: string | undefined = err?.cause?.code ?? err?.code ?? err?.errno;
  if (status === 401) return { type: 'unauthorized', status, message: `Unauthorized: ${detail}` };
  if (status === 403) return { type: 'forbidden', status, message: detail };
  if (err?.name === 'TimeoutError' || causeCode === 'ETIMEDOUT' || causeCode === 'UND_ERR_CONNECT_TIMEOUT') {
    return { type: 'timeout', message: detail };
  }
  if (
    typeof causeCode === 'string' &&
    // ERR_STREAM_PREMATURE_CLOSE: node-fetch's "Premature close", a watch
    // stream cut mid-response (server gone, connection reset).
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'ENETUNREACH', 'ERR_STREAM_PREMATURE_CLOSE'].includes(
      causeCode,
    )
  ) {
    return { type: 'unreachable', message: `${causeCode}: ${detail}` };
  }
  if (/fetch failed|socket hang up|ECONNREFUSED|ECONNRESET|Premature close/i.test(detail)) {
    return { type: 'unreachable', message: detail };
  }
  return { type: 'unknown', status, message: detail };
}

function safeJson(text: string) {
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

/** Rejects with {@link ClusterTimeoutError} when the promise takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ClusterTimeoutError(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
