import { testTimeScale } from './index';

describe('testTimeScale', () => {
  it.each([
    [{}, 1],
    [{ PAVED_TEST_TIME_SCALE: '' }, 1],
    [{ PAVED_TEST_TIME_SCALE: '3' }, 3],
    [{ PAVED_TEST_TIME_SCALE: ' 2.5 ' }, 2.5],
    [{ PAVED_TEST_TIME_SCALE: '0.2' }, 1],
  ])('%j gives %d', (env, factor) => {
    expect(testTimeScale(env)).toBe(factor);
  });

  it('refuses a value that is not a number', () => {
    expect(() => testTimeScale({ PAVED_TEST_TIME_SCALE: 'fast' })).toThrow(
      "PAVED_TEST_TIME_SCALE must be a number, got 'fast'",
    );
  });
});
