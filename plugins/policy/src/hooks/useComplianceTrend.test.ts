import { mergeTrends } from './useComplianceTrend';

describe('mergeTrends', () => {
  it('sums the trends of several owners run by run, oldest first', () => {
    const merged = mergeTrends([
      [
        {
          runId: 2,
          at: 't2',
          entities: 3,
          failing: 1,
          counts: { error: 2, warning: 0, info: 1 },
        },
        {
          runId: 1,
          at: 't1',
          entities: 3,
          failing: 2,
          counts: { error: 4, warning: 1, info: 0 },
        },
      ],
      [
        {
          runId: 2,
          at: 't2',
          entities: 5,
          failing: 0,
          counts: { error: 0, warning: 3, info: 0 },
        },
      ],
    ]);
    expect(merged).toEqual([
      {
        runId: 1,
        at: 't1',
        entities: 3,
        failing: 2,
        counts: { error: 4, warning: 1, info: 0 },
      },
      {
        runId: 2,
        at: 't2',
        entities: 8,
        failing: 1,
        counts: { error: 2, warning: 3, info: 1 },
      },
    ]);
  });

  it('does not change its input', () => {
    const input = [
      {
        runId: 1,
        at: 't',
        entities: 1,
        failing: 1,
        counts: { error: 1, warning: 0, info: 0 },
      },
    ];
    mergeTrends([input, input]);
    expect(input[0].counts.error).toBe(1);
  });
});
