import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { OpaClient, OpaError } from '@paved/plugin-policy-node';

/** One input to decide, under a key unique within the call. */
export interface DecisionItem {
  key: string;
  input: unknown;
}

/** What OPA said about one item. */
export type ItemDecision =
  | { kind: 'result'; result: unknown; decisionId?: string }
  /** The single-item entry point answered without a `result`: not loaded. */
  | { kind: 'undefined'; decisionId?: string }
  /** OPA answered, but not in the contract's shape. */
  | { kind: 'invalid'; message: string; decisionId?: string }
  /** No answer (connection, timeout, 401, error body). */
  | { kind: 'failed'; error: string };

/** Options of {@link OpaBatchDecider}. */
export interface OpaBatchDeciderOptions {
  opa: OpaClient;
  logger: LoggerService;
  /** The single-item entry point, e.g. `paved/catalog/violations`. */
  entrypoint: string;
  /** The batch entry point, e.g. `paved/catalog/batch`; unset: one query per item. */
  batchEntrypoint?: string;
  /** Items per batch query. 1 turns batching off. */
  batchSize: number;
  /** Queries in flight at once. */
  concurrency: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Asks OPA for many inputs in few queries: `{items: {<key>: input}}` at the
 * batch entry point, `{<key>: result}` back. Falls back to one query per
 * item when OPA has no batch entry point (policies that only implement the
 * single-item contract) and, for the items of one batch, when OPA failed to
 * evaluate that batch (an error body): then only the item that breaks the
 * evaluation fails. Connection errors, timeouts and 401s fail every item of
 * the batch: OPA is not answering.
 */
export class OpaBatchDecider {
  private readonly options: OpaBatchDeciderOptions;
  /** Policy revision at which the batch entry point answered undefined. */
  private batchMissingAtRevision?: string;

  constructor(options: OpaBatchDeciderOptions) {
    this.options = options;
  }

  /** Decides every item; `counters.opaCalls` counts the queries made. */
  async decide(
    items: DecisionItem[],
    revision: string,
    counters: { opaCalls: number },
  ): Promise<Map<string, ItemDecision>> {
    const decisions = new Map<string, ItemDecision>();
    if (!items.length) return decisions;
    const { batchEntrypoint, batchSize } = this.options;
    const batched =
      !!batchEntrypoint &&
      batchSize > 1 &&
      this.batchMissingAtRevision !== revision;
    const chunks: DecisionItem[][] = [];
    const size = batched ? batchSize : 1;
    for (let i = 0; i < items.length; i += size)
      chunks.push(items.slice(i, i + size));
    await this.forEach(chunks, async chunk => {
      const result = batched
        ? await this.decideBatch(chunk, revision, counters)
        : await this.decideSingle(chunk[0], counters);
      if (result instanceof Map)
        for (const [key, decision] of result) decisions.set(key, decision);
      else decisions.set(chunk[0].key, result);
    });
    return decisions;
  }

  private async decideBatch(
    chunk: DecisionItem[],
    revision: string,
    counters: { opaCalls: number },
  ): Promise<Map<string, ItemDecision>> {
    const { opa, batchEntrypoint, logger } = this.options;
    const decisions = new Map<string, ItemDecision>();
    let decision;
    try {
      counters.opaCalls += 1;
      decision = await opa.evaluate(batchEntrypoint!, {
        items: Object.fromEntries(chunk.map(i => [i.key, i.input])),
      });
    } catch (error) {
      const message = toError(error).message;
      if (
        error instanceof OpaError &&
        error.kind === 'http' &&
        (error.status ?? 0) >= 500
      ) {
        // OPA could not evaluate this batch (e.g. a conflict error on one
        // input): ask per item, so only the input that breaks it fails.
        logger.warn(
          `OPA failed on a batch of ${chunk.length} at ${batchEntrypoint}; asking per item`,
          error,
        );
        for (const item of chunk)
          decisions.set(item.key, await this.decideSingle(item, counters));
        return decisions;
      }
      for (const item of chunk)
        decisions.set(item.key, { kind: 'failed', error: message });
      return decisions;
    }
    if (decision.outcome === 'undefined') {
      if (this.batchMissingAtRevision !== revision) {
        logger.info(
          `OPA has no batch entry point at ${batchEntrypoint} (revision ${revision}); asking ${this.options.entrypoint} once per item`,
        );
      }
      this.batchMissingAtRevision = revision;
      for (const item of chunk)
        decisions.set(item.key, await this.decideSingle(item, counters));
      return decisions;
    }
    const { decisionId } = decision;
    const result = decision.result;
    // The policies' answer to a malformed batch input: {"$batch": [invalid-input]}.
    const batchProblem =
      isRecord(result) && Array.isArray(result.$batch)
        ? result.$batch
            .map(v =>
              isRecord(v) && typeof v.message === 'string'
                ? v.message
                : JSON.stringify(v),
            )
            .join('; ')
        : undefined;
    for (const item of chunk) {
      if (batchProblem) {
        decisions.set(item.key, {
          kind: 'invalid',
          decisionId,
          message: `${batchEntrypoint} refused the batch: ${batchProblem}`,
        });
        continue;
      }
      if (!isRecord(result)) {
        decisions.set(item.key, {
          kind: 'invalid',
          decisionId,
          message: `${batchEntrypoint} returned ${JSON.stringify(result)?.slice(
            0,
            200,
          )}, expected an object with one entry per item`,
        });
      } else if (!(item.key in result)) {
        decisions.set(item.key, {
          kind: 'invalid',
          decisionId,
          message: `${batchEntrypoint} returned no entry for this item: the batch answer is incomplete`,
        });
      } else {
        decisions.set(item.key, {
          kind: 'result',
          result: result[item.key],
          decisionId,
        });
      }
    }
    return decisions;
  }

  private async decideSingle(
    item: DecisionItem,
    counters: { opaCalls: number },
  ): Promise<ItemDecision> {
    const { opa, entrypoint } = this.options;
    try {
      counters.opaCalls += 1;
      const decision = await opa.evaluate(entrypoint, item.input);
      return decision.outcome === 'undefined'
        ? { kind: 'undefined', decisionId: decision.decisionId }
        : {
            kind: 'result',
            result: decision.result,
            decisionId: decision.decisionId,
          };
    } catch (error) {
      return { kind: 'failed', error: toError(error).message };
    }
  }

  private async forEach<T>(
    values: T[],
    fn: (value: T) => Promise<void>,
  ): Promise<void> {
    const queue = [...values];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift())
        await fn(next);
    };
    await Promise.all(
      Array.from({ length: Math.max(1, this.options.concurrency) }, worker),
    );
  }
}
