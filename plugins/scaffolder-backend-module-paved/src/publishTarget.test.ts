import { ConfigReader } from '@backstage/config';
import { resolvePublishTarget } from './actions/gitHostPublishAction';
import { readPublishTarget, repoUrlFor } from './publishTarget';

const withPublish = (publish: object, integrations: object = {}) =>
  new ConfigReader({ scaffolder: { paved: { publish } }, integrations });

describe('publish target configuration', () => {
  it('defaults to local with no problem and no git host action', () => {
    expect(resolvePublishTarget(new ConfigReader({}))).toEqual({
      target: { name: 'local' },
    });
  });

  it('reads github with its default host and visibility', () => {
    expect(
      readPublishTarget(
        withPublish({ target: 'github', github: { owner: 'paved-dev' } }),
      ),
    ).toEqual({
      name: 'github',
      host: 'github.com',
      owner: 'paved-dev',
      repoVisibility: 'private',
    });
  });

  it.each([
    [{ target: 'github' }, /scaffolder.paved.publish.github.owner is not set/],
    [{ target: 'gitlab' }, /scaffolder.paved.publish.gitlab.group is not set/],
    [
      { target: 'gitea', gitea: { owner: 'o' } },
      /scaffolder.paved.publish.gitea.host is not set/,
    ],
    [{ target: 'bitbucket' }, /expected one of local, github, gitlab, gitea/],
  ])('names the missing setting for %p', (publish, message) => {
    const resolved = resolvePublishTarget(withPublish(publish));
    expect(resolved.configurationProblem).toMatch(message);
    expect(resolved.gitHostAction).toBeUndefined();
  });

  it.each([
    [
      // github.com always has an (anonymous) integration; an enterprise host does not.
      {
        target: 'github',
        github: { host: 'ghe.example.com', owner: 'paved-dev' },
      },
      {},
      /integrations.github has no entry for host ghe.example.com/,
    ],
    [
      { target: 'github', github: { owner: 'paved-dev' } },
      {},
      /integrations.github for github.com has neither a token nor apps/,
    ],
    [
      { target: 'github', github: { owner: 'paved-dev' } },
      { github: [{ host: 'github.com' }] },
      /integrations.github for github.com has neither a token nor apps/,
    ],
    [
      { target: 'gitlab', gitlab: { group: 'platform' } },
      { gitlab: [{ host: 'gitlab.com' }] },
      /integrations.gitlab for gitlab.com has no token/,
    ],
    [
      { target: 'gitea', gitea: { host: 'gitea.example.com', owner: 'paved' } },
      { gitea: [{ host: 'gitea.example.com', username: 'bot' }] },
      /integrations.gitea for gitea.example.com needs both username and password/,
    ],
  ])(
    'fails clearly without the integration credentials: %p',
    (publish, integrations, message) => {
      const resolved = resolvePublishTarget(withPublish(publish, integrations));
      expect(resolved.configurationProblem).toMatch(message);
      expect(resolved.gitHostAction).toBeUndefined();
    },
  );

  it.each([
    [
      'github',
      { github: { owner: 'paved-dev' } },
      { github: [{ host: 'github.com', token: 't' }] },
      'publish:github',
    ],
    [
      'gitlab',
      { gitlab: { group: 'platform' } },
      { gitlab: [{ host: 'gitlab.com', token: 't' }] },
      'publish:gitlab',
    ],
    [
      'gitea',
      { gitea: { host: 'gitea.example.com', owner: 'paved' } },
      {
        gitea: [{ host: 'gitea.example.com', username: 'bot', password: 't' }],
      },
      'publish:gitea',
    ],
  ])(
    'builds the upstream %s publish action when configured',
    (target, settings, integrations, id) => {
      const resolved = resolvePublishTarget(
        withPublish({ target, ...settings }, integrations),
      );
      expect(resolved.configurationProblem).toBeUndefined();
      expect(resolved.target.name).toBe(target);
      expect(resolved.gitHostAction?.id).toBe(id);
    },
  );

  it('encodes nested GitLab groups in repoUrl', () => {
    expect(
      repoUrlFor(
        {
          name: 'gitlab',
          host: 'gitlab.com',
          owner: 'a/b',
          repoVisibility: 'private',
        },
        'svc',
      ),
    ).toBe('gitlab.com?owner=a%2Fb&repo=svc');
  });
});
