import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { ComplianceTrendPoint } from '@paved/plugin-policy-common';

const WIDTH = 600;
const HEIGHT = 180;
const PAD = { left: 36, right: 8, top: 8, bottom: 20 };

interface Series {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
  value(p: ComplianceTrendPoint): number;
}

const INNER_W = WIDTH - PAD.left - PAD.right;
const INNER_H = HEIGHT - PAD.top - PAD.bottom;
const xOf = (i: number, n: number) =>
  PAD.left + (n === 1 ? INNER_W / 2 : (i * INNER_W) / (n - 1));
const yOf = (v: number, max: number) =>
  PAD.top + INNER_H - (max === 0 ? 0 : (v / max) * INNER_H);

/** SVG path through the points, x by run order, y scaled to `max`. */
export function linePath(values: number[], max: number): string {
  return values
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${xOf(i, values.length).toFixed(1)},${yOf(
          v,
          max,
        ).toFixed(1)}`,
    )
    .join(' ');
}

/** Violations per level and failing entities, one point per evaluation run. */
export const TrendChart = ({ points }: { points: ComplianceTrendPoint[] }) => {
  const theme = useTheme();
  const series: Series[] = [
    {
      key: 'error',
      label: 'errors',
      color: theme.palette.error.main,
      value: p => p.counts.error,
    },
    {
      key: 'warning',
      label: 'warnings',
      color: theme.palette.warning.main,
      value: p => p.counts.warning,
    },
    {
      key: 'info',
      label: 'info',
      color: theme.palette.info.main,
      value: p => p.counts.info,
    },
    {
      key: 'failing',
      label: 'failing entities',
      color: theme.palette.text.secondary,
      dashed: true,
      value: p => p.failing,
    },
  ];
  const max = Math.max(0, ...points.flatMap(p => series.map(s => s.value(p))));
  const last = points[points.length - 1];
  const first = points[0];
  const description = `Violations over ${
    points.length
  } evaluation run(s); latest: ${series
    .map(s => `${s.value(last)} ${s.label}`)
    .join(', ')}`;
  return (
    <Box>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={description}
      >
        <title>{description}</title>
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={HEIGHT - PAD.bottom}
          y2={HEIGHT - PAD.bottom}
          stroke={theme.palette.divider}
        />
        <line
          x1={PAD.left}
          x2={PAD.left}
          y1={PAD.top}
          y2={HEIGHT - PAD.bottom}
          stroke={theme.palette.divider}
        />
        <text
          x={PAD.left - 4}
          y={PAD.top + 10}
          textAnchor="end"
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {max}
        </text>
        <text
          x={PAD.left - 4}
          y={HEIGHT - PAD.bottom}
          textAnchor="end"
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          0
        </text>
        <text
          x={PAD.left}
          y={HEIGHT - 4}
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {new Date(first.at).toLocaleString()}
        </text>
        <text
          x={WIDTH - PAD.right}
          y={HEIGHT - 4}
          textAnchor="end"
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {new Date(last.at).toLocaleString()}
        </text>
        {series.map(s => {
          const values = points.map(s.value);
          return points.length === 1 ? (
            <circle
              key={s.key}
              data-testid={`trend-${s.key}`}
              cx={xOf(0, 1)}
              cy={yOf(values[0], max)}
              r={3}
              fill={s.color}
            />
          ) : (
            <path
              key={s.key}
              data-testid={`trend-${s.key}`}
              d={linePath(values, max)}
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '4 3' : undefined}
            />
          );
        })}
      </svg>
      <Box display="flex" gridGap={16} flexWrap="wrap">
        {series.map(s => (
          <Typography
            key={s.key}
            variant="caption"
            style={{ color: s.color }}
            data-testid={`legend-${s.key}`}
          >
            {s.dashed ? '┄' : '━'} {s.value(last)} {s.label}
          </Typography>
        ))}
      </Box>
    </Box>
  );
};
