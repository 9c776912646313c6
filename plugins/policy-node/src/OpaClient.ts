import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { isError, stringifyError, toError } from '@backstage/errors';
import { OpaError } from './errors';
import { bundleRevisionOf } from './violations';
import {
  OpaCallOptions,
  OpaDecision,
  OpaHealth,
  OpaPolicyModule,
  OpaProvenance,
} from './types';

/** Options of {@link OpaClient}. @public */
export interface OpaClientOptions {
  /** OPA's URL, e.g. `http://opa.internal:8181`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` (OPA `--authentication=token`). */
  token?: string;
  /** Timeout of one attempt. Default 5000 ms. */
  timeoutMs?: number;
  /** Retries after a connection error or a 5xx. Default 2. */
  retries?: number;
  /** First back-off delay, doubled per retry. Default 200 ms. */
  retryBaseDelayMs?: number;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_BASE_DELAY_MS = 200;
/** A path no policy defines, asked only for its provenance (cheap: undefined result). */
const REVISION_PROBE_PATH = 'system/paved_revision_probe';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Client of OPA's REST API: Data API decisions, the policy list, health and
 * the active policy revision. Every call has a timeout and retries
 * transient failures with exponential back-off; every failure is an
 * {@link OpaError}.
 * @public
 */
export class OpaClient {
  readonly baseUrl: string;
  private readonly token?: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: OpaClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.retryBaseDelayMs =
      options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * `POST /v1/data/<entrypoint>` with `{input}`. Resolves to a defined or an
   * explicitly undefined decision; rejects with an {@link OpaError}.
   */
  async evaluate<T = unknown>(
    entrypoint: string,
    input: unknown,
    options: OpaCallOptions & { provenance?: boolean } = {},
  ): Promise<OpaDecision<T>> {
    const query = options.provenance ? '?provenance=true' : '';
    const body = await this.request(
      'POST',
      `/v1/data/${trimPath(entrypoint)}${query}`,
      { input },
      options,
    );
    if (!isRecord(body))
      throw invalid(`decision of ${entrypoint} is not a JSON object`);
    const decisionId =
      typeof body.decision_id === 'string' ? body.decision_id : undefined;
    const provenance = isRecord(body.provenance)
      ? (body.provenance as OpaProvenance)
      : undefined;
    if (!('result' in body))
      return { outcome: 'undefined', decisionId, provenance };
    return {
      outcome: 'defined',
      result: body.result as T,
      decisionId,
      provenance,
    };
  }

  /** `GET /v1/policies`: the Rego modules loaded in OPA. */
  async listPolicies(options: OpaCallOptions = {}): Promise<OpaPolicyModule[]> {
    const body = await this.request('GET', '/v1/policies', undefined, options);
    if (!isRecord(body) || !Array.isArray(body.result))
      throw invalid('/v1/policies answered without a result list');
    return body.result
      .filter(isRecord)
      .map(m => ({ id: String(m.id ?? ''), raw: String(m.raw ?? '') }));
  }

  /**
   * `GET /health` (with `bundles: true`, `?bundles=true`: healthy only once
   * every configured bundle is activated). Never rejects: an unreachable OPA
   * is reported as unhealthy.
   */
  async health(
    options: OpaCallOptions & { bundles?: boolean } = {},
  ): Promise<OpaHealth> {
    try {
      await this.request(
        'GET',
        options.bundles ? '/health?bundles=true' : '/health',
        undefined,
        { ...options, noRetry: true },
      );
      return { healthy: true, status: 200 };
    } catch (error) {
      return {
        healthy: false,
        status: error instanceof OpaError ? error.status : undefined,
        error: toError(error).message,
      };
    }
  }

  /**
   * The active policy revision: the bundle revisions from a decision's
   * provenance when OPA serves bundles, else a hash of the loaded modules
   * (OPA started with `opa run --server policies/` has no bundle revision,
   * and a changed file must still count as a new revision).
   */
  async activeRevision(options: OpaCallOptions = {}): Promise<string> {
    // OPA configured with bundles answers every query before their first
    // activation (or when it never succeeds, e.g. a Rego syntax error) with
    // undefined results: that is no revision to decide under.
    const ready = await this.health({ ...options, bundles: true });
    if (!ready.healthy && ready.status === 500) {
      throw new OpaError({
        kind: 'http',
        status: ready.status,
        message: `OPA has not activated its policy bundles (${
          ready.error ?? `answered ${ready.status}`
        }); nothing is evaluated until it does`,
      });
    }
    const decision = await this.evaluate(
      REVISION_PROBE_PATH,
      {},
      { ...options, provenance: true },
    );
    const bundles = bundleRevisionOf(decision.provenance);
    if (bundles) return bundles;
    const modules = await this.listPolicies(options);
    const hash = createHash('sha256');
    for (const m of [...modules].sort((a, b) => a.id.localeCompare(b.id)))
      hash.update(`${m.id}\0${m.raw}\0`);
    return `modules:${hash.digest('hex').slice(0, 16)}`;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: OpaCallOptions & { noRetry?: boolean },
  ): Promise<unknown> {
    const attempts = options.noRetry ? 1 : this.retries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(method, path, body, options);
      } catch (error) {
        if (
          !(error instanceof OpaError) ||
          attempt >= attempts ||
          !error.transient ||
          options.signal?.aborted
        )
          throw error;
        try {
          await delay(this.retryBaseDelayMs * 2 ** (attempt - 1), undefined, {
            signal: options.signal,
          });
        } catch {
          // The caller gave up during the back-off: the failure is the last attempt's.
          throw error;
        }
      }
    }
  }

  private async attempt(
    method: string,
    path: string,
    body: unknown,
    options: OpaCallOptions,
  ): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let text: string;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new OpaError({
          kind: 'timeout',
          message: `OPA ${method} ${path} timed out after ${timeoutMs} ms`,
          cause: error,
        });
      }
      throw new OpaError({
        kind: 'connection',
        message: `OPA at ${this.baseUrl} not reachable: ${describeCause(
          error,
        )}`,
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const code =
        isRecord(parsed) && typeof parsed.code === 'string'
          ? parsed.code
          : undefined;
      const message =
        isRecord(parsed) && typeof parsed.message === 'string'
          ? parsed.message
          : text.slice(0, 200);
      // OPA puts the cause (e.g. eval_conflict_error at file:row) in `errors`.
      const causes =
        isRecord(parsed) && Array.isArray(parsed.errors)
          ? parsed.errors
              .filter(isRecord)
              .slice(0, 3)
              .map(e => {
                const location = isRecord(e.location)
                  ? ` at ${e.location.file ?? ''}:${e.location.row ?? ''}`
                  : '';
                return `${String(e.code ?? 'error')}${location}: ${String(
                  e.message ?? '',
                )}`;
              })
          : [];
      const unauthorized = response.status === 401 || response.status === 403;
      throw new OpaError({
        kind: unauthorized ? 'unauthorized' : 'http',
        status: response.status,
        code,
        message: `OPA ${method} ${path} answered ${response.status}${
          code ? ` ${code}` : ''
        }: ${message}${causes.length ? ` (${causes.join('; ')})` : ''}`,
      });
    }
    if (parsed === undefined)
      throw invalid(
        `OPA ${method} ${path} answered with a body that is not JSON`,
      );
    return parsed;
  }
}

function trimPath(path: string) {
  return path.replace(/^\/+|\/+$/g, '').replace(/^v1\/data\//, '');
}

function invalid(message: string) {
  return new OpaError({ kind: 'invalid-response', message });
}

/** fetch's own cause (e.g. `ECONNREFUSED`), else the error itself. */
function describeCause(error: unknown): string {
  if (isError(error) && isError(error.cause)) {
    const { code } = error.cause;
    return typeof code === 'string' ? code : error.cause.message;
  }
  return stringifyError(error);
}
