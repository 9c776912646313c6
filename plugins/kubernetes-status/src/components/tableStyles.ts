import { CSSProperties } from 'react';

/** Column headers stay on one line: never "Erro rs". */
export const headerStyle: CSSProperties = { whiteSpace: 'nowrap' };

/** Names (pods, workloads, clusters) wrap at spaces only, never mid-word. */
export const nameCellStyle: CSSProperties = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
};

/**
 * Messages from Kubernetes and GitOps tools are read whole: the cause is
 * often at the end ("… must be less than or equal to cpu limit of 1"), so
 * they wrap at any width, and tokens longer than the line (paths, JSON
 * field names) break instead of being clipped.
 */
export const messageStyle: CSSProperties = {
  whiteSpace: 'normal',
  overflowWrap: 'anywhere',
  wordBreak: 'break-word',
};
