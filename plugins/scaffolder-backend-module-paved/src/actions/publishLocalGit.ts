import { stringifyError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { commitAuthorOf, type CommitAuthor } from '../publish/commitAuthor';
import { LocalRepositoryPublisher } from '../publish/LocalRepositoryPublisher';
import { examples } from './publishLocalGit.examples';

export interface PublishLocalGitActionOptions {
  /** Directory holding the published repositories. */
  baseDir: string;
  /** Author when the task has no signed-in user. */
  defaultAuthor: CommitAuthor;
  /**
   * Called after a repository was published, e.g. to ask the catalog to
   * re-read its location now instead of at the next processing interval.
   */
  onPublished?: (repository: {
    path: string;
    entityRef?: string;
  }) => Promise<void>;
}

/**
 * `publish:local-git`: publishes the workspace as a git repository (one
 * commit on the default branch, authored by the signed-in user) under a
 * configured directory. Stands in for publish:github and friends on
 * machines without a git server; the outputs have the same names.
 *
 * @public
 */
export function createPublishLocalGitAction(
  options: PublishLocalGitActionOptions,
) {
  const publisher = new LocalRepositoryPublisher({ baseDir: options.baseDir });
  return createTemplateAction({
    id: 'publish:local-git',
    description:
      'Publishes the workspace as a git repository (initial commit on the default branch) in a local directory the catalog reads.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Repository name: lower-case letters, digits and dashes; becomes the directory name',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Sub-directory of the workspace to publish. Default: the whole workspace',
            ),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe('Branch of the initial commit. Default: main'),
        gitCommitMessage: z =>
          z
            .string()
            .optional()
            .describe('Message of the initial commit. Default: Initial commit'),
      },
      output: {
        remoteUrl: z =>
          z.string().describe('Path of the repository; git clone it'),
        repoContentsUrl: z =>
          z.string().describe('Path of the checked-out files'),
        commitHash: z => z.string().describe('Hash of the initial commit'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'First entity of the published catalog-info.yaml, if there is one',
            ),
      },
    },
    async handler(ctx) {
      const repoName = ctx.input.repoName;
      const branch = ctx.input.defaultBranch ?? 'main';
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (ctx.isDryRun) {
        const target = await publisher.check({ repoName, branch });
        ctx.logger.info(
          `Dry run: would publish ${sourceDir} to ${target} on ${branch}`,
        );
        ctx.output('remoteUrl', target);
        ctx.output('repoContentsUrl', target);
        ctx.output('commitHash', '0'.repeat(40));
        return;
      }

      const author = commitAuthorOf(ctx.user, options.defaultAuthor);
      // The existence check is part of the checkpointed step: a retried or
      // recovered task finds the step done and gets its outputs back, rather
      // than "Repository '…' already exists" from its own first attempt.
      const published = await ctx.checkpoint({
        key: `publish.local-git.${repoName}`,
        fn: async () => {
          // publish() checks the name, the branch and that nothing exists there.
          const result = await publisher.publish({
            sourceDir,
            repoName,
            branch,
            message: ctx.input.gitCommitMessage ?? 'Initial commit',
            author,
          });
          return { ...result, entityRef: result.entityRef ?? null };
        },
      });
      ctx.logger.info(
        `Published ${repoName} to ${published.path} on ${published.branch} as ${author.name} <${author.email}>`,
      );
      ctx.output('remoteUrl', published.path);
      ctx.output('repoContentsUrl', published.path);
      ctx.output('commitHash', published.commitHash);
      if (published.entityRef) {
        ctx.output('entityRef', published.entityRef);
      }
      if (options.onPublished) {
        try {
          await options.onPublished({
            path: published.path,
            entityRef: published.entityRef ?? undefined,
          });
        } catch (error) {
          // The repository exists; the catalog will still find it at its next pass.
          // The error as metadata, not interpolated; as a string, so the task
          // log shows "Name: message" rather than a stack trace.
          ctx.logger.warn(
            'Could not ask the catalog to refresh now; it finds the repository at its next pass',
            { error: stringifyError(error) },
          );
        }
      }
    },
  });
}
