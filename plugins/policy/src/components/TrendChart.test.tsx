import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ComplianceTrendPoint } from '@paved/plugin-policy-common';
import { mockPolicyApi, Providers } from '../__testUtils__/fixtures';
import { linePath, TrendChart } from './TrendChart';
import { TrendCard } from './TrendCard';

const point = (
  runId: number,
  error: number,
  warning: number,
  failing: number,
): ComplianceTrendPoint => ({
  runId,
  at: new Date(Date.UTC(2026, 10, runId)).toISOString(),
  entities: 10,
  failing,
  counts: { error, warning, info: 0 },
});

describe('linePath', () => {
  it('spreads runs over the width and scales counts to the highest value', () => {
    const path = linePath([0, 5, 10], 10);
    const coords = path.split(' ').map(s => s.slice(1).split(',').map(Number));
    expect(path.startsWith('M')).toBe(true);
    expect(coords).toHaveLength(3);
    // x grows evenly
    expect(coords[1][0] - coords[0][0]).toBeCloseTo(
      coords[2][0] - coords[1][0],
    );
    // the highest value is at the top, zero at the bottom, half in the middle
    expect(coords[2][1]).toBeLessThan(coords[1][1]);
    expect(coords[1][1]).toBeCloseTo((coords[0][1] + coords[2][1]) / 2);
  });

  it('draws all-zero runs on the baseline', () => {
    const ys = linePath([0, 0], 0)
      .split(' ')
      .map(s => Number(s.split(',')[1]));
    expect(ys[0]).toBe(ys[1]);
  });
});

describe('TrendChart', () => {
  it('draws one line per level and failing entities, with the latest values in the legend', async () => {
    await renderInTestApp(
      <TrendChart
        points={[point(1, 8, 3, 4), point(2, 6, 3, 3), point(3, 2, 5, 1)]}
      />,
    );
    for (const key of ['error', 'warning', 'info', 'failing']) {
      expect(screen.getByTestId(`trend-${key}`).tagName.toLowerCase()).toBe(
        'path',
      );
    }
    expect(
      screen.getByTestId('trend-error').getAttribute('d')?.split(' '),
    ).toHaveLength(3);
    expect(screen.getByTestId('legend-error')).toHaveTextContent('2 errors');
    expect(screen.getByTestId('legend-warning')).toHaveTextContent(
      '5 warnings',
    );
    expect(screen.getByTestId('legend-failing')).toHaveTextContent(
      '1 failing entities',
    );
    expect(screen.getByRole('img')).toHaveAttribute(
      'aria-label',
      expect.stringContaining('over 3 evaluation run(s)'),
    );
  });

  it('draws a single run as points', async () => {
    await renderInTestApp(<TrendChart points={[point(1, 1, 0, 1)]} />);
    expect(screen.getByTestId('trend-error').tagName.toLowerCase()).toBe(
      'circle',
    );
  });
});

describe('TrendCard', () => {
  it('says there is no history before the first run', async () => {
    await renderInTestApp(
      <Providers
        api={mockPolicyApi({ getTrend: async () => ({ points: [] }) })}
      >
        <TrendCard />
      </Providers>,
    );
    expect(await screen.findByTestId('trend-empty')).toHaveTextContent(
      'No evaluation runs yet',
    );
  });

  it('says why the history is not shown to a user who may not read every entity', async () => {
    await renderInTestApp(
      <Providers
        api={mockPolicyApi({
          getTrend: async () => ({
            points: [],
            restricted:
              'The history counts every entity, and you may not read every entity.',
          }),
        })}
      >
        <TrendCard />
      </Providers>,
    );
    expect(await screen.findByTestId('trend-restricted')).toHaveTextContent(
      'you may not read every entity',
    );
    expect(screen.queryByTestId('trend-empty')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderInTestApp(
      <Providers
        api={mockPolicyApi({
          getTrend: async () => {
            throw new Error('trend query failed');
          },
        })}
      >
        <TrendCard />
      </Providers>,
    );
    expect(
      (await screen.findAllByText(/trend query failed/))[0],
    ).toBeInTheDocument();
  });
});
