/** One problem found in a generated file. */
export interface Finding {
  /** Path of the file, relative to the workspace. */
  file: string;
  /** `kind/name` of the object, when it could be read. */
  object?: string;
  message: string;
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}${finding.object ? ` (${finding.object})` : ''}: ${
    finding.message
  }`;
}
