import { OpaClient } from './OpaClient';

/** fetch as undici fails it when nothing listens: a TypeError caused by ECONNREFUSED. */
function refusingFetch() {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async input => {
    calls.push(String(input));
    throw new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        code: 'ECONNREFUSED',
      }),
    });
  };
  return { calls, fetch };
}

describe('OpaClient retry back-off', () => {
  it('retries a refused connection after the back-off, then fails with the cause', async () => {
    const { calls, fetch } = refusingFetch();
    const client = new OpaClient({
      baseUrl: 'http://127.0.0.1:9',
      retries: 2,
      retryBaseDelayMs: 1,
      fetch,
    });
    await expect(client.evaluate('paved/x', {})).rejects.toMatchObject({
      name: 'OpaError',
      kind: 'connection',
      message: 'OPA at http://127.0.0.1:9 not reachable: ECONNREFUSED',
    });
    expect(calls).toHaveLength(3);
  });

  it('stops waiting when the caller aborts during the back-off, with the last failure rather than the abort', async () => {
    const { calls, fetch } = refusingFetch();
    const client = new OpaClient({
      baseUrl: 'http://127.0.0.1:9',
      retries: 3,
      retryBaseDelayMs: 60_000,
      fetch,
    });
    const started = Date.now();
    const signal = AbortSignal.timeout(50);
    await expect(
      client.evaluate('paved/x', {}, { signal }),
    ).rejects.toMatchObject({
      kind: 'connection',
      message: 'OPA at http://127.0.0.1:9 not reachable: ECONNREFUSED',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(calls).toHaveLength(1);
  });
});
