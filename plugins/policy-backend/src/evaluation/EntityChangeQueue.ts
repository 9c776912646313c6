import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';

/** Options of {@link EntityChangeQueue}. */
export interface EntityChangeQueueOptions {
  /** Wait after the first ref of a batch, so the catalog has stitched and more refs join the batch. */
  debounceMs: number;
  /** Evaluates one batch of refs; a rejection is logged as a warning. */
  evaluate: (entityRefs: string[]) => Promise<void>;
  logger: LoggerService;
  /** Refs held at most while waiting; more are dropped (the scheduled run catches up). Default 10000. */
  maxPending?: number;
}

/**
 * Collects changed entity refs and hands them to `evaluate` in batches: the
 * first ref starts a `debounceMs` timer (so a steady stream of changes
 * cannot postpone evaluation forever), refs arriving meanwhile join the
 * batch, a ref arriving twice is evaluated once, and batches never overlap.
 */
export class EntityChangeQueue {
  private readonly options: EntityChangeQueueOptions;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private droppedSinceLastBatch = 0;

  constructor(options: EntityChangeQueueOptions) {
    this.options = options;
  }

  add(entityRef: string): void {
    if (this.stopped) return;
    if (
      this.pending.size >= (this.options.maxPending ?? 10_000) &&
      !this.pending.has(entityRef)
    ) {
      this.droppedSinceLastBatch += 1;
      return;
    }
    this.pending.add(entityRef);
    this.schedule();
  }

  /** Stops timers and waits for a batch in progress. Pending refs are left to the scheduled run. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    await this.running;
  }

  private schedule() {
    if (this.timer || this.running || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.flush().finally(() => {
        this.running = undefined;
        if (this.pending.size) this.schedule();
      });
    }, this.options.debounceMs);
  }

  private async flush(): Promise<void> {
    const refs = [...this.pending];
    this.pending = new Set();
    if (this.droppedSinceLastBatch) {
      this.options.logger.info(
        `${this.droppedSinceLastBatch} changed entities not queued (queue full); the scheduled run evaluates them`,
      );
      this.droppedSinceLastBatch = 0;
    }
    if (!refs.length) return;
    try {
      await this.options.evaluate(refs);
    } catch (error) {
      this.options.logger.warn(
        `Policy evaluation of ${refs.length} changed entities failed, the scheduled run retries`,
        toError(error),
      );
    }
  }
}
