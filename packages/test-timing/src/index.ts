/**
 * One time scale for every wait and timeout in Paved's tests.
 *
 * @packageDocumentation
 */

import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The factor every wait and timeout in Paved's tests is multiplied by.
 *
 * Budgets in tests are written for an idle 2-core machine; a busy CI runner
 * (or `stress-ng` beside the suite) can be several times slower. Rather than
 * each test guessing its own margin, `PAVED_TEST_TIME_SCALE` stretches all of
 * them at once. Unset, empty or below 1, the factor is 1: a scale never makes
 * a budget shorter than written.
 */
export function testTimeScale(
  env: Record<string, string | undefined> = process.env,
): number {
  const raw = env.PAVED_TEST_TIME_SCALE?.trim();
  if (!raw) return 1;
  const factor = Number(raw);
  if (!Number.isFinite(factor)) {
    throw new Error(
      `PAVED_TEST_TIME_SCALE must be a number, got '${env.PAVED_TEST_TIME_SCALE}'`,
    );
  }
  return Math.max(1, factor);
}

/** `ms` stretched by {@link testTimeScale}, rounded to whole milliseconds. */
export function scaledMs(ms: number): number {
  return Math.round(ms * testTimeScale());
}

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Budget before scaling by the time scale. Default 60 s: a busy CI machine. */
  timeoutMs?: number;
  /** Pause between attempts. Default 100 ms. */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns something other than `undefined`, `null` or
 * `false`, and returns that. An exception counts as "not yet" and is kept;
 * when the (scaled) budget runs out the error names what was awaited and the
 * last exception, so a failure says why instead of only "timed out".
 */
export async function waitFor<T>(
  what: string,
  check: () =>
    | T
    | undefined
    | null
    | false
    | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const budgetMs = scaledMs(options.timeoutMs ?? 60_000);
  const deadline = Date.now() + budgetMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(
        `Timed out after ${budgetMs} ms waiting for ${what}${cause}`,
        { cause: lastError },
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}
