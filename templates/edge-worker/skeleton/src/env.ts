/** The subset of a D1 binding the worker uses (D1Database is structurally compatible). */
export interface Database {
  prepare(query: string): {
    bind(...values: unknown[]): {
      first<T = Record<string, unknown>>(): Promise<T | null>;
      run(): Promise<unknown>;
    };
  };
}

/** The subset of the Cache API the worker uses (caches.default). */
export interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

export interface Env {
  DB: Database;
  CACHE_TTL_SECONDS: string;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
