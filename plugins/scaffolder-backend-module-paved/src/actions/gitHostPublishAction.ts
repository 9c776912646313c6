import type { Config } from '@backstage/config';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { createPublishGiteaAction } from '@backstage/plugin-scaffolder-backend-module-gitea';
import { createPublishGithubAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createPublishGitlabAction } from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { ScmIntegrations } from '@backstage/integration';
import {
  assertIntegrationFor,
  readPublishTarget,
  type GitHostTarget,
  type PublishTarget,
} from '../publishTarget';
import type { GitHostPublishAction } from './publishPaved';

/** The upstream publish action for a git host target, from its module's factory. */
export function gitHostPublishAction(
  target: GitHostTarget,
  deps: { integrations: ScmIntegrationRegistry; config: Config },
): GitHostPublishAction {
  switch (target.name) {
    case 'github':
      return createPublishGithubAction(deps);
    case 'gitlab':
      return createPublishGitlabAction(deps);
    case 'gitea':
      return createPublishGiteaAction(deps);
    default:
      throw new Error(
        `Unknown git host target ${(target as GitHostTarget).name}`,
      );
  }
}

/**
 * Reads the configured target and, for a git host, checks its integration
 * and builds the upstream action. Only a non-default target is checked, so
 * the default configuration starts without an error line. A problem is
 * returned, not thrown: the backend starts and publish:paved fails with it.
 */
export function resolvePublishTarget(config: Config): {
  target: PublishTarget;
  gitHostAction?: GitHostPublishAction;
  configurationProblem?: string;
} {
  try {
    const target = readPublishTarget(config);
    if (target.name === 'local') return { target };
    const integrations = ScmIntegrations.fromConfig(config);
    assertIntegrationFor(target, integrations);
    return {
      target,
      gitHostAction: gitHostPublishAction(target, { integrations, config }),
    };
  } catch (error) {
    return {
      target: { name: 'local' },
      configurationProblem: `publish:paved cannot publish: ${
        (error as Error).message
      }`,
    };
  }
}
