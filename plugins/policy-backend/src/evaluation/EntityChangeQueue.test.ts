import { mockServices } from '@backstage/backend-test-utils';
import { EntityChangeQueue } from './EntityChangeQueue';

describe('EntityChangeQueue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(
    options: {
      maxPending?: number;
      evaluate?: (refs: string[]) => Promise<void>;
    } = {},
  ) {
    const batches: string[][] = [];
    const logger = mockServices.logger.mock();
    const queue = new EntityChangeQueue({
      debounceMs: 1000,
      logger,
      maxPending: options.maxPending,
      evaluate:
        options.evaluate ??
        (async refs => {
          batches.push(refs);
        }),
    });
    return { queue, batches, logger };
  }

  it('evaluates the refs of one debounce window once, in one batch', async () => {
    const { queue, batches } = setup();
    queue.add('component:default/a');
    await jest.advanceTimersByTimeAsync(600);
    queue.add('component:default/b');
    queue.add('component:default/a');
    expect(batches).toEqual([]);
    // The window starts at the first ref: later refs do not postpone it.
    await jest.advanceTimersByTimeAsync(400);
    expect(batches).toEqual([['component:default/a', 'component:default/b']]);
    await jest.advanceTimersByTimeAsync(5000);
    expect(batches).toHaveLength(1);
  });

  it('never runs two batches at once; refs added meanwhile form the next batch', async () => {
    let release: () => void = () => {};
    const batches: string[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const { queue } = setup({
      evaluate: async refs => {
        batches.push(refs);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>(r => {
          release = r;
        });
        inFlight -= 1;
      },
    });
    queue.add('a:default/1');
    await jest.advanceTimersByTimeAsync(1000);
    queue.add('a:default/2');
    await jest.advanceTimersByTimeAsync(3000);
    expect(batches).toEqual([['a:default/1']]);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(batches).toEqual([['a:default/1'], ['a:default/2']]);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(maxInFlight).toBe(1);
  });

  it('holds at most maxPending refs and says how many it dropped', async () => {
    const { queue, batches, logger } = setup({ maxPending: 2 });
    queue.add('a:default/1');
    queue.add('a:default/2');
    queue.add('a:default/3');
    queue.add('a:default/1');
    await jest.advanceTimersByTimeAsync(1000);
    expect(batches).toEqual([['a:default/1', 'a:default/2']]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('1 changed entities not queued'),
    );
  });

  it('logs a failed batch as a warning and keeps going', async () => {
    const calls: string[][] = [];
    const { queue, logger } = setup({
      evaluate: async refs => {
        calls.push(refs);
        if (calls.length === 1) throw new Error('engine down');
      },
    });
    queue.add('a:default/1');
    await jest.advanceTimersByTimeAsync(1000);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('failed'),
      expect.objectContaining({ message: 'engine down' }),
    );
    expect(logger.error).not.toHaveBeenCalled();
    queue.add('a:default/2');
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([['a:default/1'], ['a:default/2']]);
  });

  it('evaluates nothing after stop', async () => {
    const { queue, batches } = setup();
    queue.add('a:default/1');
    await queue.stop();
    queue.add('a:default/2');
    await jest.advanceTimersByTimeAsync(5000);
    expect(batches).toEqual([]);
  });
});
