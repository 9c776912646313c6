import type { RequestVerb } from './faults';

/** A point-in-time copy of the request counters. */
export interface CounterSnapshot {
  total: number;
  byVerb: Record<RequestVerb, number>;
  /** Keyed by resource plural (`pods`, `deployments`, `pods/log`). */
  byResource: Record<string, number>;
  /** Keyed by HTTP status code. */
  byStatus: Record<number, number>;
}

function emptyVerbs(): Record<RequestVerb, number> {
  return {
    list: 0,
    get: 0,
    watch: 0,
    log: 0,
    discovery: 0,
    create: 0,
    update: 0,
    patch: 0,
    delete: 0,
    deletecollection: 0,
  };
}

/**
 * Counts the requests the simulator answered (errors included; requests
 * left hanging are not counted), so tests and benchmarks can assert how many
 * API calls a client made.
 */
export class RequestCounters {
  #total = 0;
  #byVerb = emptyVerbs();
  #byResource: Record<string, number> = {};
  #byStatus: Record<number, number> = {};

  /** Requests answered since the last reset. */
  get total(): number {
    return this.#total;
  }

  /** Answered requests by kind. */
  get byVerb(): Readonly<Record<RequestVerb, number>> {
    return { ...this.#byVerb };
  }

  /** Answered requests by resource. */
  get byResource(): Readonly<Record<string, number>> {
    return { ...this.#byResource };
  }

  /** Answered requests by HTTP status. */
  get byStatus(): Readonly<Record<number, number>> {
    return { ...this.#byStatus };
  }

  /** A copy of all counters. */
  snapshot(): CounterSnapshot {
    return {
      total: this.#total,
      byVerb: this.byVerb,
      byResource: this.byResource,
      byStatus: this.byStatus,
    };
  }

  /** Sets every counter to zero. */
  reset(): void {
    this.#total = 0;
    this.#byVerb = emptyVerbs();
    this.#byResource = {};
    this.#byStatus = {};
  }

  /** @internal Records one answered request. */
  record(status: number, verb?: RequestVerb, resource?: string): void {
    this.#total++;
    this.#byStatus[status] = (this.#byStatus[status] ?? 0) + 1;
    if (verb) {
      this.#byVerb[verb]++;
    }
    if (resource) {
      this.#byResource[resource] = (this.#byResource[resource] ?? 0) + 1;
    }
  }
}
