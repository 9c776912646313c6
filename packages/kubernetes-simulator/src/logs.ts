/** One log line with the time it was written. */
export interface LogLine {
  time: Date;
  text: string;
}

/** Options of a log read, as the `pods/{name}/log` query has them. */
export interface LogReadOptions {
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
  now?: Date;
}

// A crash-looping container appends forever; keep memory bounded.
const MAX_LINES_PER_RUN = 5_000;

/**
 * Per-container log buffers. Each container has runs (one per start of the
 * container); the last is what `log` returns and the one before it is what
 * `log?previous=true` returns, as the kubelet keeps one terminated instance.
 */
export class LogStore {
  readonly #runs = new Map<string, LogLine[][]>();

  /** Appends lines to the container's current run. */
  append(
    namespace: string,
    pod: string,
    container: string,
    lines: readonly (string | LogLine)[],
  ): void {
    const runs = this.#runsOf(namespace, pod, container);
    if (runs.length === 0) {
      runs.push([]);
    }
    const current = runs[runs.length - 1];
    for (const line of lines) {
      current.push(
        typeof line === 'string' ? { time: new Date(), text: line } : line,
      );
    }
    if (current.length > MAX_LINES_PER_RUN) {
      current.splice(0, current.length - MAX_LINES_PER_RUN);
    }
  }

  /** Starts a new run (the container restarted); the old run becomes `previous`. */
  restart(namespace: string, pod: string, container: string): void {
    const runs = this.#runsOf(namespace, pod, container);
    runs.push([]);
    // Only the current and the previous instance are retrievable.
    if (runs.length > 2) {
      runs.splice(0, runs.length - 2);
    }
  }

  /** Whether the container has a previous (terminated) run. */
  hasPrevious(namespace: string, pod: string, container: string): boolean {
    return this.#runsOf(namespace, pod, container).length > 1;
  }

  /** Forgets a pod's logs (the pod was deleted). */
  forgetPod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const key of [...this.#runs.keys()]) {
      if (key.startsWith(prefix)) {
        this.#runs.delete(key);
      }
    }
  }

  /** The log text of a container's current (or previous) run. */
  read(
    namespace: string,
    pod: string,
    container: string,
    options: LogReadOptions = {},
  ): string {
    const runs = this.#runsOf(namespace, pod, container);
    const run = options.previous
      ? runs[runs.length - 2]
      : runs[runs.length - 1];
    let lines = run ?? [];
    if (options.sinceSeconds !== undefined) {
      const since =
        (options.now ?? new Date()).getTime() - options.sinceSeconds * 1000;
      lines = lines.filter(line => line.time.getTime() >= since);
    }
    if (options.tailLines !== undefined) {
      lines = options.tailLines <= 0 ? [] : lines.slice(-options.tailLines);
    }
    let text = lines
      .map(line =>
        options.timestamps
          ? `${line.time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ${
              line.text
            }\n`
          : `${line.text}\n`,
      )
      .join('');
    if (options.limitBytes !== undefined) {
      text = Buffer.from(text).subarray(0, options.limitBytes).toString();
    }
    return text;
  }

  #runsOf(namespace: string, pod: string, container: string): LogLine[][] {
    const key = `${namespace}/${pod}/${container}`;
    let runs = this.#runs.get(key);
    if (!runs) {
      runs = [];
      this.#runs.set(key, runs);
    }
    return runs;
  }
}
