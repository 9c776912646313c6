import { CSSProperties } from 'react';

/** Column headers stay on one line: never "Erro rs". */
export const headerStyle: CSSProperties = { whiteSpace: 'nowrap' };

/** Names (pods, workloads, clusters) wrap at spaces only, never mid-word. */
export const nameCellStyle: CSSProperties = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
};
