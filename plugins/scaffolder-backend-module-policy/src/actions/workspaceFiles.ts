import { InputError } from '@backstage/errors';
import {
  describeLocation,
  describeWorkspaceProblem,
  readWorkspaceYaml,
  type WorkspaceYaml,
} from '@paved/plugin-policy-node';

/** Files `policy:check` reads when the step names none. @public */
export const DEFAULT_POLICY_CHECK_FILES = [
  'catalog-info.yaml',
  'k8s/**/*.{yaml,yml}',
  'kubernetes/**/*.{yaml,yml}',
  'deploy/**/*.{yaml,yml}',
];

/** The workspace documents to check, and notes on the ones skipped. */
export interface PolicyCheckDocuments
  extends Pick<WorkspaceYaml, 'files' | 'entities' | 'manifests'> {
  /** Documents that are neither an entity nor an object, as readable notes for the task log. */
  skipped: string[];
}

/**
 * Reads the files matching the patterns with the shared workspace reader
 * and refuses what cannot be checked: a file that is not YAML or over the
 * size limit, or a document that is a malformed entity or object. Checking
 * only the rest would pass files nobody checked.
 */
export async function readPolicyCheckDocuments(
  workspacePath: string,
  patterns: string[],
): Promise<PolicyCheckDocuments> {
  let read: WorkspaceYaml;
  try {
    read = await readWorkspaceYaml(workspacePath, { patterns });
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(`policy:check: ${error.message}`);
    throw error;
  }
  const unusable = [
    ...read.problems.map(describeWorkspaceProblem),
    ...read.malformed.map(doc => `${describeLocation(doc)}: ${doc.reason}`),
  ];
  if (unusable.length) {
    throw new InputError(
      `policy:check cannot check the generated files:\n${unusable
        .map(u => `- ${u}`)
        .join('\n')}`,
    );
  }
  return {
    files: read.files,
    entities: read.entities,
    manifests: read.manifests,
    skipped: read.others.map(doc => `${describeLocation(doc)}: ${doc.reason}`),
  };
}
