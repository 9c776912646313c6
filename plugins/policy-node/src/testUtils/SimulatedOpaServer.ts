import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** Returned by a simulated decision function to answer without a `result` key. @public */
export const SIMULATED_UNDEFINED_RESULT = Symbol('simulated-undefined-result');

/** A test-defined decision: a function of the input. @public */
export type SimulatedDecision = (input: unknown) => unknown | Promise<unknown>;

/** An OPA error body, `{code, message}`, with its HTTP status. @public */
export interface SimulatedOpaError {
  status: number;
  code: string;
  message: string;
}

/** Requests the simulated server has answered. @public */
export interface SimulatedOpaCalls {
  total: number;
  /** `POST /v1/data/...` calls per entry point (without `/v1/data/`). */
  data: Record<string, number>;
  policies: number;
  health: number;
  unauthorized: number;
}

/** Options of {@link SimulatedOpaServer}. @public */
export interface SimulatedOpaServerOptions {
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  /**
   * A real OPA (e.g. a {@link LocalOpaServer}) to forward every request to
   * that no fault or test-defined decision answers: the decisions are then
   * OPA's, and the simulator only injects faults (delays, error bodies,
   * failures, a rejected token) in front of it.
   */
  upstream?: string;
}

/**
 * A SIMULATED OPA server for tests and benchmarks: OPA's REST API
 * (`/v1/data`, `/v1/policies`, `/health`) over real HTTP on 127.0.0.1, with
 * test-defined decisions, undefined results, error bodies, slow answers,
 * token auth, a call counter and a settable bundle revision. It evaluates no
 * Rego; never present its answers as an OPA engine's. With `upstream` it
 * stands in front of a real OPA and only injects faults.
 * @public
 */
export class SimulatedOpaServer {
  private readonly server: Server;
  private readonly decisions = new Map<string, SimulatedDecision>();
  private readonly errors = new Map<string, SimulatedOpaError>();
  private modules: Array<{ id: string; raw: string }> = [];
  private revision?: string;
  private delayMs = 0;
  private failures: Array<{ status: number; code: string; message: string }> =
    [];
  private token?: string;
  private upstream?: string;
  private baseUrl?: string;
  calls: SimulatedOpaCalls = emptyCalls();

  constructor(options: SimulatedOpaServerOptions = {}) {
    this.token = options.token;
    this.upstream = options.upstream?.replace(/\/+$/, '');
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error =>
        send(res, 500, { code: 'internal_error', message: String(error) }),
      );
    });
  }

  /** Listens on 127.0.0.1 (a free port unless given). */
  async start(options: { port?: number } = {}): Promise<string> {
    await new Promise<void>(resolve =>
      this.server.listen(options.port ?? 0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('SimulatedOpaServer not started');
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Answers `POST /v1/data/<entrypoint>` with `{result: decide(input)}`. */
  setDecision(entrypoint: string, decide: SimulatedDecision): void {
    this.errors.delete(trim(entrypoint));
    this.decisions.set(trim(entrypoint), decide);
  }

  /** Answers the entry point with an OPA error body until cleared with `setDecision`. */
  setError(entrypoint: string, error: SimulatedOpaError): void {
    this.errors.set(trim(entrypoint), error);
  }

  /** The next `count` requests (any path) fail with this status (e.g. 503), then normal answers resume. */
  failNext(
    count: number,
    error: SimulatedOpaError = {
      status: 503,
      code: 'unavailable',
      message: 'simulated outage',
    },
  ): void {
    this.failures = Array.from({ length: count }, () => error);
  }

  /** Delays every answer (slow OPA). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Forwards to this real OPA from now on; see {@link SimulatedOpaServerOptions.upstream}. */
  setUpstream(url: string | undefined): void {
    this.upstream = url?.replace(/\/+$/, '');
  }

  /** Drops every error body set with `setError`. */
  clearErrors(): void {
    this.errors.clear();
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** Modules served by `GET /v1/policies`. */
  setPolicies(modules: Array<{ id: string; raw: string }>): void {
    this.modules = modules;
  }

  /** Bundle revision in `?provenance=true` answers; undefined means no bundle. */
  setRevision(revision: string | undefined): void {
    this.revision = revision;
  }

  resetCalls(): void {
    this.calls = emptyCalls();
  }

  /** Data API calls in total (all entry points). */
  get dataCalls(): number {
    return Object.values(this.calls.data).reduce((a, b) => a + b, 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulated');
    const body = await readBody(req);
    this.calls.total += 1;
    if (this.delayMs) await new Promise(r => setTimeout(r, this.delayMs));
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
      this.calls.unauthorized += 1;
      send(res, 401, {
        code: 'unauthorized',
        message: 'The request could not be authorized',
      });
      return;
    }
    const failure = this.failures.shift();
    if (failure) {
      send(res, failure.status, {
        code: failure.code,
        message: failure.message,
      });
      return;
    }
    if (this.upstream && !this.answersItself(req, url)) {
      await this.forward(req, url, body, res);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/health') {
      this.calls.health += 1;
      send(res, 200, {});
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/policies') {
      this.calls.policies += 1;
      send(res, 200, { result: this.modules });
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/v1/data/')) {
      await this.handleData(url, body, res);
      return;
    }
    send(res, 404, {
      code: 'resource_not_found',
      message: `simulated OPA does not serve ${req.method} ${url.pathname}`,
    });
  }

  /** With an upstream, only test-defined decisions and error bodies are answered here. */
  private answersItself(req: IncomingMessage, url: URL): boolean {
    if (req.method !== 'POST' || !url.pathname.startsWith('/v1/data/'))
      return false;
    const path = trim(url.pathname.slice('/v1/data/'.length));
    return this.decisions.has(path) || this.errors.has(path);
  }

  private async forward(
    req: IncomingMessage,
    url: URL,
    body: string,
    res: ServerResponse,
  ) {
    if (req.method === 'POST' && url.pathname.startsWith('/v1/data/')) {
      const path = trim(url.pathname.slice('/v1/data/'.length));
      this.calls.data[path] = (this.calls.data[path] ?? 0) + 1;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    };
    if (req.headers.authorization)
      headers.authorization = req.headers.authorization;
    const answer = await fetch(`${this.upstream}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const text = await answer.text();
    if (res.headersSent) return;
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  }

  private async handleData(url: URL, body: string, res: ServerResponse) {
    const path = trim(url.pathname.slice('/v1/data/'.length));
    this.calls.data[path] = (this.calls.data[path] ?? 0) + 1;
    let parsed: any;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch {
      send(res, 400, {
        code: 'invalid_parameter',
        message: 'body contains malformed input document',
      });
      return;
    }
    const error = this.errors.get(path);
    if (error) {
      send(res, error.status, { code: error.code, message: error.message });
      return;
    }
    const answer: Record<string, unknown> = { decision_id: randomUUID() };
    if (url.searchParams.get('provenance') === 'true') {
      answer.provenance = {
        version: 'simulated',
        ...(this.revision
          ? { bundles: { paved: { revision: this.revision } } }
          : {}),
      };
    }
    const decide = this.decisions.get(path);
    const result = decide
      ? await decide(parsed.input)
      : SIMULATED_UNDEFINED_RESULT;
    if (result !== SIMULATED_UNDEFINED_RESULT) answer.result = result;
    send(res, 200, answer);
  }
}

function emptyCalls(): SimulatedOpaCalls {
  return { total: 0, data: {}, policies: 0, health: 0, unauthorized: 0 };
}

function trim(path: string) {
  return path.replace(/^\/+|\/+$/g, '');
}

function send(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', chunk => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
