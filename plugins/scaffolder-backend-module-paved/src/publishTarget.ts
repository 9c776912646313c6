import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';

/** Where `publish:paved` publishes, from `scaffolder.paved.publish.target`. */
export type PublishTargetName = 'local' | 'github' | 'gitlab' | 'gitea';

export const PUBLISH_TARGETS: readonly PublishTargetName[] = [
  'local',
  'github',
  'gitlab',
  'gitea',
];

export const DEFAULT_PUBLISH_TARGET: PublishTargetName = 'local';
export const DEFAULT_GITHUB_HOST = 'github.com';
export const DEFAULT_GITLAB_HOST = 'gitlab.com';
export const DEFAULT_REPO_VISIBILITY = 'private';

/** A git host target: where repositories go and who owns them there. */
export interface GitHostTarget {
  name: Exclude<PublishTargetName, 'local'>;
  host: string;
  /** GitHub organisation or user, GitLab group (may be nested), Gitea organisation or user. */
  owner: string;
  repoVisibility: 'private' | 'public' | 'internal';
}

export type PublishTarget = { name: 'local' } | GitHostTarget;

const CONFIG_ROOT = 'scaffolder.paved.publish';

/**
 * Reads `scaffolder.paved.publish`. Throws an InputError naming the missing
 * key when a git host target lacks its owner/group or host.
 */
export function readPublishTarget(config: Config): PublishTarget {
  const publish = config.getOptionalConfig(CONFIG_ROOT);
  const name = (publish?.getOptionalString('target') ??
    DEFAULT_PUBLISH_TARGET) as PublishTargetName;
  if (!PUBLISH_TARGETS.includes(name)) {
    throw new InputError(
      `${CONFIG_ROOT}.target is '${name}'; expected one of ${PUBLISH_TARGETS.join(
        ', ',
      )}`,
    );
  }
  if (name === 'local') return { name };

  const settings = publish?.getOptionalConfig(name);
  const ownerKey = name === 'gitlab' ? 'group' : 'owner';
  const defaultHost: Partial<Record<PublishTargetName, string>> = {
    github: DEFAULT_GITHUB_HOST,
    gitlab: DEFAULT_GITLAB_HOST,
  };
  const host = settings?.getOptionalString('host') ?? defaultHost[name];
  if (!host) {
    throw new InputError(
      `${CONFIG_ROOT}.target is '${name}' but ${CONFIG_ROOT}.${name}.host is not set`,
    );
  }
  const owner = settings?.getOptionalString(ownerKey);
  if (!owner) {
    throw new InputError(
      `${CONFIG_ROOT}.target is '${name}' but ${CONFIG_ROOT}.${name}.${ownerKey} is not set`,
    );
  }
  const repoVisibility = (settings?.getOptionalString('repoVisibility') ??
    DEFAULT_REPO_VISIBILITY) as GitHostTarget['repoVisibility'];
  if (!['private', 'public', 'internal'].includes(repoVisibility)) {
    throw new InputError(
      `${CONFIG_ROOT}.${name}.repoVisibility is '${repoVisibility}'; expected private, public or internal`,
    );
  }
  return { name, host, owner, repoVisibility };
}

/**
 * Throws an InputError when the git host has no `integrations.<target>`
 * entry with credentials; the upstream publish actions would otherwise fail
 * later with a less direct message (or, for GitHub, try anonymously).
 */
export function assertIntegrationFor(
  target: GitHostTarget,
  integrations: ScmIntegrationRegistry,
): void {
  const missing = (what: string) =>
    new InputError(
      `${CONFIG_ROOT}.target is '${target.name}' but ${what}; add it to app-config (see docs/write-a-template.md)`,
    );
  if (target.name === 'github') {
    const integration = integrations.github.byHost(target.host);
    if (!integration)
      throw missing(`integrations.github has no entry for host ${target.host}`);
    const { token, apps } = integration.config;
    if (!token && !(apps && apps.length > 0)) {
      throw missing(
        `integrations.github for ${target.host} has neither a token nor apps`,
      );
    }
  } else if (target.name === 'gitlab') {
    const integration = integrations.gitlab.byHost(target.host);
    if (!integration)
      throw missing(`integrations.gitlab has no entry for host ${target.host}`);
    if (!integration.config.token) {
      throw missing(`integrations.gitlab for ${target.host} has no token`);
    }
  } else {
    const integration = integrations.gitea.byHost(target.host);
    if (!integration)
      throw missing(`integrations.gitea has no entry for host ${target.host}`);
    if (!integration.config.username || !integration.config.password) {
      throw missing(
        `integrations.gitea for ${target.host} needs both username and password (token)`,
      );
    }
  }
}

/** The `repoUrl` the upstream publish actions expect: `<host>?owner=<owner>&repo=<name>`. */
export function repoUrlFor(target: GitHostTarget, repoName: string): string {
  const query = new URLSearchParams({ owner: target.owner, repo: repoName });
  return `${target.host}?${query.toString()}`;
}
