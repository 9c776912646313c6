import { CSSProperties, ReactNode } from 'react';
import TableCell, { TableCellProps } from '@material-ui/core/TableCell';

// Backstage's theme gives every table cell `word-break: break-word` and
// `overflow: hidden`, so a narrow card broke headers mid-word
// ("Complian ce", "Erro rs"). Headers stay on one line, names wrap at
// spaces only, and a table wider than its card scrolls instead of being cut.

/** Names (entities, owners, systems, constraints) wrap at spaces only. */
export const nameCellStyle: CSSProperties = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
};

/** A column header on one line. */
export const HeadCell = ({ style, ...props }: TableCellProps) => (
  <TableCell
    {...props}
    style={{ whiteSpace: 'nowrap', wordBreak: 'normal', ...style }}
  />
);

/** A body cell holding a name. */
export const NameCell = ({ style, ...props }: TableCellProps) => (
  <TableCell {...props} style={{ ...nameCellStyle, ...style }} />
);

/** Scrolls a table sideways when it is wider than its card. */
export const TableScroll = ({ children }: { children: ReactNode }) => (
  <div style={{ overflowX: 'auto', maxWidth: '100%' }}>{children}</div>
);
