import { waitFor } from './index';

describe('waitFor', () => {
  it('returns the first value that is not undefined, null or false', async () => {
    const answers = [undefined, null, false, 0, 7];
    let calls = 0;
    const value = await waitFor('a number', () => answers[calls++], {
      intervalMs: 1,
    });
    expect(value).toBe(0);
    expect(calls).toBe(4);
  });

  it('keeps retrying through exceptions', async () => {
    let calls = 0;
    const value = await waitFor(
      'the third call',
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`not yet (${calls})`);
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done');
  });

  it('names what it waited for and the last error when time runs out', async () => {
    const failure = waitFor(
      'the orders deployment',
      () => {
        throw new Error('connect ECONNREFUSED');
      },
      { timeoutMs: 30, intervalMs: 5 },
    );
    await expect(failure).rejects.toThrow(
      /^Timed out after \d+ ms waiting for the orders deployment: connect ECONNREFUSED$/,
    );
  });
});
