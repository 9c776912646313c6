import { useEffect, useMemo, useRef } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import { highlightRego } from './highlightRego';

const useStyles = makeStyles(theme => ({
  pre: {
    margin: 0,
    padding: theme.spacing(1, 0),
    overflowX: 'auto',
    fontFamily: 'monospace',
    fontSize: 13,
    lineHeight: 1.5,
    background: theme.palette.background.default,
  },
  line: { display: 'block', paddingRight: theme.spacing(2) },
  highlighted: {
    background: theme.palette.type === 'dark' ? '#3a3a1a' : '#fff8c5',
  },
  number: {
    display: 'inline-block',
    width: '4em',
    paddingRight: theme.spacing(1),
    textAlign: 'right',
    color: theme.palette.text.secondary,
    userSelect: 'none',
  },
  comment: { color: theme.palette.text.secondary, fontStyle: 'italic' },
  keyword: { color: theme.palette.type === 'dark' ? '#ff7b72' : '#cf222e' },
  string: { color: theme.palette.type === 'dark' ? '#a5d6ff' : '#0a3069' },
  property: { color: theme.palette.type === 'dark' ? '#79c0ff' : '#0550ae' },
  function: { color: theme.palette.type === 'dark' ? '#d2a8ff' : '#8250df' },
  number_: { color: theme.palette.type === 'dark' ? '#79c0ff' : '#0550ae' },
  boolean: { color: theme.palette.type === 'dark' ? '#79c0ff' : '#0550ae' },
}));

/** Rego source with line numbers, light highlighting and highlighted lines. */
export const RegoSource = ({
  raw,
  highlightLines = [],
}: {
  raw: string;
  highlightLines?: number[];
}) => {
  const classes = useStyles();
  const lines = useMemo(() => highlightRego(raw), [raw]);
  const firstHighlighted = useRef<HTMLSpanElement>(null);
  const first = highlightLines.length ? Math.min(...highlightLines) : undefined;

  useEffect(() => {
    // jsdom has no scrollIntoView
    firstHighlighted.current?.scrollIntoView?.({ block: 'center' });
  }, [first]);

  const classOf = (type?: string) => {
    if (!type) return undefined;
    if (type === 'number') return classes.number_;
    return (classes as Record<string, string>)[type];
  };

  return (
    <pre className={classes.pre} data-testid="rego-source">
      {lines.map((tokens, i) => {
        const n = i + 1;
        const highlighted = highlightLines.includes(n);
        return (
          <span
            key={n}
            ref={n === first ? firstHighlighted : undefined}
            className={`${classes.line} ${
              highlighted ? classes.highlighted : ''
            }`}
            data-line={n}
            data-highlighted={highlighted || undefined}
          >
            <span className={classes.number}>{n}</span>
            {tokens.map((t, j) => (
              <span key={j} className={classOf(t.type)} data-token={t.type}>
                {t.text}
              </span>
            ))}
          </span>
        );
      })}
    </pre>
  );
};
