/** Request kinds the simulator serves, as counted and as failures can target them. */
export type RequestVerb =
  | 'list'
  | 'get'
  | 'watch'
  | 'log'
  | 'discovery'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

/** An injected failure for the next requests. */
export interface FailureSpec {
  /** How many requests fail. Default 1. */
  count?: number;
  /** HTTP status answered. Default 500. */
  status?: number;
  /** Status message; a generic one per status when omitted. */
  message?: string;
  /** Only requests for this resource (plural, e.g. `pods`) fail. */
  resource?: string;
  /** Only requests of this kind fail. */
  verb?: RequestVerb;
}

/** A failure taken for one request. */
export interface InjectedFailure {
  status: number;
  message?: string;
}

/** What the faults need from the server to take it down and up. */
export interface ServerControl {
  /** Closes the listening socket and destroys open connections (watches included). */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  goUp(): Promise<void>;
  /** Ends every open watch the way the apiserver does on timeout: a clean end of stream. */
  closeWatches(): number;
}

interface PendingFailure extends Required<Pick<FailureSpec, 'status'>> {
  remaining: number;
  message?: string;
  resource?: string;
  verb?: RequestVerb;
}

/**
 * Fault injection: latency, failures, an unreachable server and a server
 * that accepts connections but never answers.
 */
export class Faults {
  #latencyMs: number;
  #failures: PendingFailure[] = [];
  #down = false;
  #hang = false;
  #control: ServerControl | undefined;

  constructor(options: { latencyMs?: number } = {}) {
    this.#latencyMs = Math.max(0, options.latencyMs ?? 0);
  }

  /** Latency added before every response (and before a watch's first byte). */
  get latencyMs(): number {
    return this.#latencyMs;
  }

  set latencyMs(ms: number) {
    this.#latencyMs = Math.max(0, ms);
  }

  /** Sets the per-request latency in milliseconds. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Makes the next matching requests fail with the given status. */
  failNext(spec: FailureSpec = {}): void {
    this.#failures.push({
      remaining: Math.max(1, spec.count ?? 1),
      status: spec.status ?? 500,
      message: spec.message,
      resource: spec.resource,
      verb: spec.verb,
    });
  }

  /** Whether the server is down (connections refused). */
  get down(): boolean {
    return this.#down;
  }

  /**
   * Takes the server down (`true`: the listening socket is closed, so
   * connections are refused, and open watches are cut) or back up on the
   * same port (`false`).
   */
  async setDown(down: boolean): Promise<void> {
    if (down === this.#down) {
      return;
    }
    this.#down = down;
    if (!this.#control) {
      return;
    }
    if (down) {
      await this.#control.goDown();
    } else {
      await this.#control.goUp();
    }
  }

  /** Whether requests are accepted and never answered. */
  get hanging(): boolean {
    return this.#hang;
  }

  /** Accept requests but never answer them (`true`), for client timeout tests. */
  hang(on: boolean): void {
    this.#hang = on;
  }

  /** Ends open watches cleanly, as an apiserver does when a watch times out; returns how many. */
  closeWatches(): number {
    return this.#control?.closeWatches() ?? 0;
  }

  /** Clears latency, pending failures and hanging (does not bring a down server up). */
  reset(): void {
    this.#latencyMs = 0;
    this.#failures = [];
    this.#hang = false;
  }

  /** @internal Connects the faults to the server they act on. */
  attach(control: ServerControl): void {
    this.#control = control;
  }

  /** @internal Consumes the failure for one request, if one is pending. */
  takeFailure(
    verb: RequestVerb,
    resource?: string,
  ): InjectedFailure | undefined {
    const index = this.#failures.findIndex(
      f =>
        (f.verb === undefined || f.verb === verb) &&
        (f.resource === undefined || f.resource === resource),
    );
    if (index < 0) {
      return undefined;
    }
    const failure = this.#failures[index];
    failure.remaining--;
    if (failure.remaining === 0) {
      this.#failures.splice(index, 1);
    }
    return { status: failure.status, message: failure.message };
  }
}
