import { InputError } from '@backstage/errors';

/**
 * Repository names: lower-case letters, digits and single dashes, starting
 * with a letter, at most 63 characters. Rules out path separators, dots
 * (so `..` and hidden staging directories can never be named) and anything
 * a git host would reject.
 */
export const REPOSITORY_NAME_PATTERN =
  /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$/;

/** Throws an InputError that says what is wrong with the name. */
export function assertValidRepositoryName(name: string): void {
  if (!name) {
    throw new InputError('Repository name is empty');
  }
  if (/[/\\]|\.\./.test(name)) {
    throw new InputError(
      `Repository name '${name}' contains a path separator or '..'; a repository is a single directory name`,
    );
  }
  if (!REPOSITORY_NAME_PATTERN.test(name)) {
    throw new InputError(
      `Repository name '${name}' is invalid: use 1-63 lower-case letters, digits and single dashes, starting with a letter and not ending with a dash`,
    );
  }
}

const BRANCH_PATTERN =
  /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Throws an InputError unless the name is a plain git branch name. */
export function assertValidBranchName(branch: string): void {
  if (
    !BRANCH_PATTERN.test(branch) ||
    branch.includes('..') ||
    branch.endsWith('.lock')
  ) {
    throw new InputError(`Branch name '${branch}' is invalid`);
  }
}
