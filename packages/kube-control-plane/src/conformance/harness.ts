import http from 'node:http';
import https from 'node:https';

/**
 * Sends the same HTTP requests to two Kubernetes API servers and compares
 * the answers after normalising what legitimately differs. Used by the
 * simulator conformance test; nothing here knows which server is which
 * beyond its name.
 */

/** One API server: where, how to trust it, who to be. */
export interface Target {
  name: string;
  url: string;
  /** PEM of the CA that signed the serving certificate (https). */
  caPem?: string;
  token: string;
}

/** A request of a step. */
export interface StepRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Default application/json when there is a body. */
  contentType?: string;
}

/** What one server answered to a request. */
export interface Answer {
  status: number;
  /** Media type of the answer (`application/json`), without parameters. */
  contentType: string;
  body: any;
}

/** What a watch delivered. */
export interface WatchAnswer {
  status: number;
  events: Array<{ type: string; object: any }>;
  /** The stream ended by itself (the server closed it). */
  ended: boolean;
}

/** The recorded answers of one server, by step name, for later steps to read (resourceVersions, bodies). */
export class Session {
  readonly answers = new Map<string, Answer | WatchAnswer>();
  /** Highest resourceVersion of a successful write seen so far (numeric on both servers). */
  lastWriteRv = 0;
  constructor(readonly target: Target) {}

  answer(step: string): Answer {
    const a = this.answers.get(step);
    if (!a || !('body' in a)) {
      throw new Error(
        `${this.target.name}: no answer recorded for step "${step}"`,
      );
    }
    return a;
  }

  /** `metadata.resourceVersion` of a recorded answer. */
  rv(step: string): string {
    return this.answer(step).body?.metadata?.resourceVersion;
  }
}

function agentFor(target: Target) {
  return target.url.startsWith('https:') ? https : http;
}

/** One request; the body parsed as JSON when it is JSON. */
export function send(target: Target, req: StepRequest): Promise<Answer> {
  const url = new URL(req.path, target.url);
  let payload: string | undefined;
  if (req.body !== undefined)
    payload =
      typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string | number> = {
    accept: 'application/json',
    authorization: `Bearer ${target.token}`,
  };
  if (payload !== undefined) {
    headers['content-type'] = req.contentType ?? 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const r = agentFor(target).request(
      url,
      { method: req.method, headers, ca: target.caPem, timeout: 30_000 },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(res.headers['content-type'] ?? '')
            .split(';')[0]
            .trim();
          let body: any = text;
          if (contentType === 'application/json') {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, contentType, body });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.on('timeout', () =>
      r.destroy(new Error(`${req.method} ${req.path} timed out`)),
    );
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}

/** An open watch: events as they come, and a way to close it. */
export interface OpenWatch {
  status: number;
  events: Array<{ type: string; object: any }>;
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/** Opens a watch (GET with `watch=true`); resolves once the response headers are in (the watch is established). */
export function openWatch(target: Target, path: string): Promise<OpenWatch> {
  const url = new URL(path, target.url);
  url.searchParams.set('watch', 'true');
  return new Promise((resolve, reject) => {
    const r = agentFor(target).request(
      url,
      {
        method: 'GET',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${target.token}`,
        },
        ca: target.caPem,
      },
      res => {
        const events: Array<{ type: string; object: any }> = [];
        let buffer = '';
        let ended = false;
        const done = new Promise<void>(resolveEnd => {
          const finish = () => {
            ended = true;
            resolveEnd();
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) {
              try {
                events.push(JSON.parse(line));
              } catch {
                events.push({ type: 'UNPARSEABLE', object: line });
              }
            }
            newline = buffer.indexOf('\n');
          }
        });
        // Not 200: the body is one Status line, kept as an "event" to compare.
        resolve({
          status: res.statusCode ?? 0,
          events,
          ended: done,
          isEnded: () => ended,
          close: () => r.destroy(),
        });
      },
    );
    r.on('error', error => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    r.end();
  });
}

// ---------------------------------------------------------------------------
// Normalising

/** Paths (dot-separated, `*` for any key or index) removed from both answers: values one server sets by itself. */
export interface DefaultedField {
  /** Kinds this applies to (`Pod`, `PodList`, ...); any when omitted. */
  kinds?: string[];
  path: string;
  why: string;
}

function matchPath(pattern: string[], path: string[]) {
  return (
    pattern.length === path.length &&
    pattern.every((p, i) => p === '*' || p === path[i])
  );
}

const PLACEHOLDER_KEYS: Record<string, string> = {
  uid: '<uid>',
  resourceVersion: '<rv>',
  creationTimestamp: '<time>',
  deletionTimestamp: '<time>',
  continue: '<continue>',
};

/**
 * Replaces values that differ by nature (uids, resourceVersions, timestamps
 * the server set, continue tokens) with placeholders, drops managedFields,
 * and removes the listed defaulted fields. `null` and missing stay apart.
 */
export function normalise(
  value: unknown,
  defaulted: DefaultedField[] = [],
): unknown {
  const walk = (v: any, path: string[], kind: string | undefined): any => {
    if (Array.isArray(v))
      return v.map((x, i) => walk(x, [...path, String(i)], kind));
    if (v === null || typeof v !== 'object') return v;
    const ownKind =
      typeof v.kind === 'string' && path.length === 0
        ? v.kind
        : kind ?? undefined;
    const out: any = {};
    for (const [key, child] of Object.entries(v)) {
      const childPath = [...path, key];
      if (key === 'managedFields') continue;
      if (
        defaulted.some(
          d =>
            (!d.kinds || (ownKind && d.kinds.includes(ownKind))) &&
            matchPath(d.path.split('.'), childPath),
        )
      ) {
        continue;
      }
      if (
        key in PLACEHOLDER_KEYS &&
        typeof child === 'string' &&
        child !== ''
      ) {
        out[key] = PLACEHOLDER_KEYS[key];
        continue;
      }
      if (
        key === 'items' &&
        path.length === 0 &&
        Array.isArray(child) &&
        ownKind?.endsWith('List')
      ) {
        // List items are objects of their own (paths from their root; their kind from the list's).
        const itemKind = ownKind.slice(0, -'List'.length);
        out[key] = child.map(item => walk(item, [], item?.kind ?? itemKind));
        continue;
      }
      out[key] = walk(child, childPath, ownKind);
    }
    return out;
  };
  return walk(value, [], undefined);
}

/** Collapses runs of BOOKMARK events into one (their number depends on timing). */
export function collapseBookmarks(
  events: Array<{ type: string; object: any }>,
) {
  return events.filter(
    (e, i) => !(e.type === 'BOOKMARK' && events[i - 1]?.type === 'BOOKMARK'),
  );
}

// ---------------------------------------------------------------------------
// Diffing

/** One difference between the answers of the two servers. */
export interface Difference {
  step: string;
  /** Where, e.g. `body.metadata.labels.app` or `events[2].type`. */
  path: string;
  reference: unknown;
  candidate: unknown;
}

const MISSING = Symbol('missing');

export function diff(
  step: string,
  reference: unknown,
  candidate: unknown,
  path = '',
): Difference[] {
  const out: Difference[] = [];
  const walk = (a: any, b: any, p: string) => {
    if (a === b) return;
    const isObj = (x: any) => x !== null && typeof x === 'object';
    if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
      const keys = Array.isArray(a)
        ? Array.from({ length: Math.max(a.length, b.length) }, (_, i) =>
            String(i),
          )
        : [...new Set([...Object.keys(a), ...Object.keys(b)])];
      for (const k of keys) {
        let child = p ? `${p}.${k}` : k;
        if (Array.isArray(a)) child = `${p}[${k}]`;
        walk(k in a ? a[k] : MISSING, k in b ? b[k] : MISSING, child);
      }
      return;
    }
    out.push({ step, path: p, reference: a, candidate: b });
  };
  walk(reference, candidate, path);
  return out;
}

function show(v: unknown): string {
  if (v === MISSING) return '(missing)';
  const text = JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * A readable report, grouped by step; differences that repeat over list
 * items or events (same path but for the index, same values) are one entry
 * with a count.
 */
export function formatDifferences(
  differences: Difference[],
  names: { reference: string; candidate: string },
): string {
  const groups = new Map<
    string,
    { d: Difference; path: string; count: number }
  >();
  for (const d of differences) {
    const path = d.path.replace(/\[\d+\]/g, '[*]');
    const key = JSON.stringify([
      d.step,
      path,
      show(d.reference),
      show(d.candidate),
    ]);
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { d, path, count: 1 });
  }
  const lines: string[] = [];
  let step: string | undefined;
  for (const { d, path, count } of groups.values()) {
    if (d.step !== step) {
      step = d.step;
      lines.push(`step "${step}":`);
    }
    lines.push(
      `  ${count > 1 ? `${path} (${count} times)` : d.path || '(answer)'}`,
    );
    lines.push(`    ${names.reference.padEnd(16)} ${show(d.reference)}`);
    lines.push(`    ${names.candidate.padEnd(16)} ${show(d.candidate)}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Sequences

/** A request whose answer is compared. */
export interface RequestStep {
  name: string;
  request: (session: Session) => StepRequest;
}

/** A watch: opened, then `during` runs (compared too), then events are collected until `until` or the stream ends. */
export interface WatchStep {
  name: string;
  watch: (session: Session) => string;
  during?: Step[];
  /** Stop collecting once this holds (default: the server ends the stream). */
  until?: (events: Array<{ type: string; object: any }>) => boolean;
  timeoutMs?: number;
}

/** Something done to a server outside its HTTP API (a compaction), per server name. */
export interface OutOfBandStep {
  name: string;
  outOfBand: Record<string, () => Promise<void>>;
}

export type Step = RequestStep | WatchStep | OutOfBandStep;

/** The normalised observation of one step on one server. */
export type Observation = Record<string, unknown>;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Runs the steps in order against one server; returns what it observed per step. */
export async function runSequence(
  target: Target,
  steps: Step[],
  defaulted: DefaultedField[],
): Promise<Map<string, Observation>> {
  const session = new Session(target);
  const observed = new Map<string, Observation>();
  const run = async (step: Step): Promise<void> => {
    if ('outOfBand' in step) {
      const action = step.outOfBand[target.name];
      if (!action)
        throw new Error(
          `step "${step.name}" has nothing to do for ${target.name}`,
        );
      await action();
      return;
    }
    if ('request' in step) {
      const req = step.request(session);
      const answer = await send(target, req);
      session.answers.set(step.name, answer);
      const observation: Observation = {
        status: answer.status,
        contentType: answer.contentType,
        body: normalise(answer.body, defaulted),
      };
      const rv = Number(answer.body?.metadata?.resourceVersion);
      if (
        req.method !== 'GET' &&
        answer.status < 300 &&
        Number.isFinite(rv) &&
        rv > 0
      ) {
        // Every write gets a newer resourceVersion than any write before it.
        observation.resourceVersionAdvanced = rv > session.lastWriteRv;
        session.lastWriteRv = Math.max(session.lastWriteRv, rv);
      }
      observed.set(step.name, observation);
      return;
    }
    const watch = await openWatch(target, step.watch(session));
    try {
      for (const inner of step.during ?? []) await run(inner);
      const deadline = Date.now() + (step.timeoutMs ?? 30_000);
      while (
        !watch.isEnded() &&
        !(step.until?.(watch.events) ?? false) &&
        Date.now() < deadline
      ) {
        await sleep(50);
      }
      const answer: WatchAnswer = {
        status: watch.status,
        events: [...watch.events],
        ended: watch.isEnded(),
      };
      session.answers.set(step.name, answer);
      observed.set(step.name, {
        status: answer.status,
        events: collapseBookmarks(answer.events).map(e => ({
          type: e.type,
          object: normalise(e.object, defaulted),
        })),
        endedByServer: answer.ended,
        timedOut: !answer.ended && !(step.until?.(answer.events) ?? false),
      });
    } finally {
      watch.close();
    }
  };
  for (const step of steps) await run(step);
  return observed;
}

/**
 * A known difference: `deliberate` (the simulator differs on purpose; the
 * reason says why) or `pending` (a simulator bug found here, to be fixed
 * there; the reason says what to change). Both are listed in the
 * simulator README.
 */
export interface KnownDivergence {
  step: string | RegExp;
  path: string | RegExp;
  kind: 'deliberate' | 'pending';
  reason: string;
}

const matches = (pattern: string | RegExp, value: string) =>
  typeof pattern === 'string' ? pattern === value : pattern.test(value);

/** Splits differences into listed and unlisted, and reports listed divergences that no longer occur. */
export function classify(differences: Difference[], known: KnownDivergence[]) {
  const used = new Set<KnownDivergence>();
  const unlisted: Difference[] = [];
  const listed: Array<Difference & { known: KnownDivergence }> = [];
  for (const d of differences) {
    const k = known.find(
      x => matches(x.step, d.step) && matches(x.path, d.path),
    );
    if (k) {
      used.add(k);
      listed.push({ ...d, known: k });
    } else {
      unlisted.push(d);
    }
  }
  return { unlisted, listed, unused: known.filter(k => !used.has(k)) };
}
