import { join } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject, JsonValue } from '@backstage/types';
import { commitAuthorOf } from '../publish/commitAuthor';
import { firstEntityRef } from '../publish/LocalRepositoryPublisher';
import {
  assertValidBranchName,
  assertValidRepositoryName,
} from '../publish/repositoryName';
import { repoUrlFor, type PublishTarget } from '../publishTarget';
import {
  createPublishLocalGitAction,
  type PublishLocalGitActionOptions,
} from './publishLocalGit';
import { examples } from './publishPaved.examples';
import { runDelegatedAction } from './runDelegatedAction';

/** An upstream publish action (publish:github, publish:gitlab, publish:gitea). */
export type GitHostPublishAction = Pick<
  TemplateAction<any, any, any>,
  'id' | 'handler' | 'schema'
>;

export interface PublishPavedActionOptions {
  /** The configured target (`scaffolder.paved.publish`). */
  target: PublishTarget;
  /** Settings of the `local` target; the action reuses publish:local-git. */
  local: PublishLocalGitActionOptions;
  /**
   * The upstream publish action of a git host target, built from the
   * host module's factory (see `gitHostPublishAction`).
   */
  gitHostAction?: GitHostPublishAction;
  /**
   * Why the configured target cannot publish (missing owner, integration or
   * token), found at start-up; the action fails with it before publishing.
   */
  configurationProblem?: string;
  /**
   * Registers the published `catalog-info.yaml` URL in the catalog with the
   * task initiator's credentials (git host targets; the local target is
   * read through its glob Location instead).
   */
  registerInCatalog: (
    catalogInfoUrl: string,
    ctx: ActionContext<any, any, any>,
  ) => Promise<void>;
}

/**
 * `publish:paved`: publishes the workspace to the target chosen by
 * configuration, so templates need no change to move from local git
 * repositories to GitHub, GitLab or Gitea. Same outputs on every target.
 *
 * @public
 */
export function createPublishPavedAction(options: PublishPavedActionOptions) {
  const { target } = options;
  const localAction = createPublishLocalGitAction(options.local);
  return createTemplateAction({
    id: 'publish:paved',
    description:
      'Publishes the workspace as a new repository on the configured target (scaffolder.paved.publish.target: local, github, gitlab or gitea) and makes the catalog read it.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Repository name: lower-case letters, digits and dashes. The owner/group/host come from configuration',
            ),
        description: z =>
          z.string().optional().describe('Repository description on git hosts'),
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
        target: z =>
          z
            .enum(['local', 'github', 'gitlab', 'gitea'])
            .describe('Where the repository was published'),
        remoteUrl: z =>
          z.string().describe('Clone URL (local: the repository path)'),
        repoContentsUrl: z =>
          z.string().describe('Where the files of the default branch are read'),
        commitHash: z =>
          z.string().optional().describe('Hash of the initial commit'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'First entity of the published catalog-info.yaml, if there is one',
            ),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'URL of catalog-info.yaml registered in the catalog (git hosts)',
            ),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';
      if (options.configurationProblem) {
        throw new Error(options.configurationProblem);
      }
      ctx.output('target', target.name);

      if (target.name === 'local') {
        // Exactly publish:local-git (its schema, its checkpoint, its catalog refresh).
        const published = await runDelegatedAction(localAction, ctx, {
          repoName,
          sourcePath: ctx.input.sourcePath,
          defaultBranch: ctx.input.defaultBranch,
          gitCommitMessage: ctx.input.gitCommitMessage,
        });
        ctx.output('remoteUrl', String(published.remoteUrl));
        ctx.output('repoContentsUrl', String(published.repoContentsUrl));
        ctx.output('commitHash', String(published.commitHash));
        if (typeof published.entityRef === 'string')
          ctx.output('entityRef', published.entityRef);
        return;
      }

      if (!options.gitHostAction) {
        throw new Error(
          `No publish action for target '${target.name}'; install its scaffolder module`,
        );
      }
      // The same name and branch rules as the local target, so a template
      // behaves alike everywhere (and nothing odd reaches the host's API).
      assertValidRepositoryName(repoName);
      assertValidBranchName(branch);
      const repoUrl = repoUrlFor(target, repoName);
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would publish ${sourceDir} with ${options.gitHostAction.id} to ${repoUrl} on ${branch}`,
        );
        ctx.output('remoteUrl', repoUrl);
        ctx.output('repoContentsUrl', repoUrl);
        return;
      }

      // Read before pushing: a broken catalog-info.yaml fails before anything is created.
      const entityRef = await firstEntityRef(
        join(sourceDir, 'catalog-info.yaml'),
      );
      const author = commitAuthorOf(ctx.user, options.local.defaultAuthor);
      const description = ctx.input.description ?? repoName;
      const upstreamInput: Record<string, JsonValue | undefined> = {
        repoUrl,
        defaultBranch: branch,
        repoVisibility:
          target.name === 'gitea' && target.repoVisibility === 'internal'
            ? 'private'
            : target.repoVisibility,
        sourcePath: ctx.input.sourcePath,
        gitCommitMessage: ctx.input.gitCommitMessage ?? 'Initial commit',
        gitAuthorName: author.name,
        gitAuthorEmail: author.email,
        ...(target.name === 'gitlab'
          ? { settings: { description } }
          : { description }),
      };
      ctx.logger.info(
        `Publishing to ${target.name} (${repoUrl}) with ${options.gitHostAction.id}`,
      );
      // The upstream action, validated by its own schema; its side effects
      // are replay-safe under its own checkpoints.
      const published = await runDelegatedAction(
        options.gitHostAction,
        ctx,
        upstreamInput as JsonObject,
      );

      const remoteUrl = String(published.remoteUrl ?? '');
      const repoContentsUrl = String(published.repoContentsUrl ?? '');
      if (!remoteUrl || !repoContentsUrl) {
        throw new Error(
          `${options.gitHostAction.id} did not report remoteUrl and repoContentsUrl for ${repoUrl}`,
        );
      }
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', repoContentsUrl);
      if (typeof published.commitHash === 'string') {
        ctx.output('commitHash', published.commitHash);
      }
      if (!entityRef) return;

      const catalogInfoUrl = `${repoContentsUrl.replace(
        /\/+$/,
        '',
      )}/catalog-info.yaml`;
      await ctx.checkpoint({
        key: `publish.paved.register.${repoName}`,
        fn: async () => {
          try {
            await options.registerInCatalog(catalogInfoUrl, ctx);
          } catch (error) {
            // The repository exists now; say so, so nobody re-runs into a name clash.
            throw new Error(
              `Published ${remoteUrl}, but registering ${catalogInfoUrl} in the catalog failed: ${
                (error as Error).message
              }. Register that URL (Register existing component) to finish.`,
            );
          }
        },
      });
      ctx.logger.info(`Registered ${catalogInfoUrl} in the catalog`);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      ctx.output('entityRef', entityRef);
    },
  });
}
