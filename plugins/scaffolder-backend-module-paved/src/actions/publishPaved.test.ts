import { join } from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { GitHostTarget } from '../publishTarget';
import {
  createPublishPavedAction,
  type GitHostPublishAction,
} from './publishPaved';
import {
  alice,
  catalogInfo,
  checkpointStore,
  defaultAuthor,
  git,
} from './__testUtils__/publishFixtures';

const github: GitHostTarget = {
  name: 'github',
  host: 'github.com',
  owner: 'paved-dev',
  repoVisibility: 'private',
};

function outputsOf(ctx: { output: unknown }): Record<string, unknown> {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('publish:paved', () => {
  const root = createMockDirectory();
  const baseDir = () => root.resolve('repositories');
  const workspacePath = () => root.resolve('workspace');

  beforeEach(() => {
    root.clear();
    root.addContent({
      workspace: {
        'catalog-info.yaml': catalogInfo,
        'README.md': '# orders-api\n',
      },
    });
  });

  describe('replaying a task', () => {
    it('publishes once, and a retried task gets the same outputs instead of "already exists"', async () => {
      const store = checkpointStore();
      const onPublished = jest.fn().mockResolvedValue(undefined);
      const action = createPublishPavedAction({
        target: { name: 'local' },
        local: { baseDir: baseDir(), defaultAuthor, onPublished },
        registerInCatalog: jest.fn(),
      });
      const attempt = async () => {
        const ctx = createMockActionContext({
          input: { repoName: 'orders-api' },
          workspacePath: workspacePath(),
          user: { entity: alice, ref: 'user:default/alice' },
        });
        ctx.checkpoint = store.checkpoint as typeof ctx.checkpoint;
        await action.handler(ctx);
        return outputsOf(ctx);
      };
      const first = await attempt();
      const repoPath = join(baseDir(), 'orders-api');
      const head = git(repoPath, 'rev-parse', 'main');
      // The task is retried (or recovered after a restart) with its checkpoints.
      const second = await attempt();
      expect(second).toEqual(first);
      expect(git(repoPath, 'rev-parse', 'main')).toBe(head);
      expect([...store.done.keys()]).toEqual(['publish.local-git.orders-api']);
      // Without the checkpoint the name is taken: that is what the check protects.
      const fresh = createMockActionContext({
        input: { repoName: 'orders-api' },
        workspacePath: workspacePath(),
      });
      await expect(action.handler(fresh)).rejects.toThrow(
        /Repository 'orders-api' already exists/,
      );
    });

    it("validates a delegated git-host action's input against that action's own schema", async () => {
      const handler = jest.fn();
      const gitHostAction: GitHostPublishAction = {
        id: 'publish:github',
        handler,
        // As publish:github declares it: a visibility of private, internal or public.
        schema: {
          input: {
            type: 'object',
            required: ['repoUrl'],
            properties: {
              repoUrl: { type: 'string' },
              repoVisibility: { enum: ['private', 'internal', 'public'] },
            },
          },
        },
      };
      const action = createPublishPavedAction({
        target: { ...github, repoVisibility: 'secret' as any },
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        registerInCatalog: jest.fn(),
      });
      const ctx = createMockActionContext({
        input: { repoName: 'orders-api' },
        workspacePath: workspacePath(),
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        /^Invalid input passed to action publish:github, instance.repoVisibility is not one of enum values/,
      );
      expect(handler).not.toHaveBeenCalled();
    });
  });

  describe('target local', () => {
    it('publishes exactly as publish:local-git does and refreshes the catalog location, registering nothing', async () => {
      const onPublished = jest.fn().mockResolvedValue(undefined);
      const registerInCatalog = jest.fn();
      const action = createPublishPavedAction({
        target: { name: 'local' },
        local: { baseDir: baseDir(), defaultAuthor, onPublished },
        registerInCatalog,
      });
      const ctx = createMockActionContext({
        input: { repoName: 'orders-api', description: 'Orders' },
        workspacePath: workspacePath(),
        user: { entity: alice, ref: 'user:default/alice' },
      });
      await action.handler(ctx);

      const repoPath = join(baseDir(), 'orders-api');
      const outputs = outputsOf(ctx);
      expect(outputs).toEqual({
        target: 'local',
        remoteUrl: repoPath,
        repoContentsUrl: repoPath,
        commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
        entityRef: 'component:default/orders-api',
      });
      expect(git(repoPath, 'rev-parse', 'main')).toBe(outputs.commitHash);
      expect(git(repoPath, 'log', '--format=%an <%ae>|%s', 'main')).toBe(
        'Alice Example <alice@example.com>|Initial commit',
      );
      expect(
        git(repoPath, 'ls-tree', '--name-only', 'main').split('\n'),
      ).toEqual(['README.md', 'catalog-info.yaml']);
      expect(onPublished).toHaveBeenCalledWith({
        path: repoPath,
        entityRef: 'component:default/orders-api',
      });
      expect(registerInCatalog).not.toHaveBeenCalled();
    });

    it('keeps the local checks: an existing repository is refused', async () => {
      const action = createPublishPavedAction({
        target: { name: 'local' },
        local: { baseDir: baseDir(), defaultAuthor },
        registerInCatalog: jest.fn(),
      });
      const run = () =>
        action.handler(
          createMockActionContext({
            input: { repoName: 'orders-api' },
            workspacePath: workspacePath(),
          }),
        );
      await run();
      await expect(run()).rejects.toThrow(/already exists/);
    });
  });

  describe('target github (upstream publish:github replaced at the delegation boundary)', () => {
    const upstream = () => {
      const handler = jest.fn(async ctx => {
        ctx.output('remoteUrl', 'https://github.com/paved-dev/orders-api');
        ctx.output(
          'repoContentsUrl',
          'https://github.com/paved-dev/orders-api/blob/main',
        );
        ctx.output('commitHash', 'c0ffee'.padEnd(40, '0'));
      });
      const action: GitHostPublishAction = { id: 'publish:github', handler };
      return { action, handler };
    };

    it('builds repoUrl from the configured owner, passes the inputs and the signed-in author, and registers catalog-info.yaml', async () => {
      const { action: gitHostAction, handler } = upstream();
      const registerInCatalog = jest.fn().mockResolvedValue(undefined);
      const action = createPublishPavedAction({
        target: github,
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        registerInCatalog,
      });
      const ctx = createMockActionContext({
        input: {
          repoName: 'orders-api',
          description: 'Orders API',
          gitCommitMessage: 'Create orders-api',
        },
        workspacePath: workspacePath(),
        user: { entity: alice, ref: 'user:default/alice' },
      });
      await action.handler(ctx);

      expect(handler).toHaveBeenCalledTimes(1);
      const upstreamCtx = handler.mock.calls[0][0];
      expect(upstreamCtx.input).toEqual({
        repoUrl: 'github.com?owner=paved-dev&repo=orders-api',
        description: 'Orders API',
        defaultBranch: 'main',
        repoVisibility: 'private',
        gitCommitMessage: 'Create orders-api',
        gitAuthorName: 'Alice Example',
        gitAuthorEmail: 'alice@example.com',
      });
      expect(upstreamCtx.workspacePath).toBe(workspacePath());

      const catalogInfoUrl =
        'https://github.com/paved-dev/orders-api/blob/main/catalog-info.yaml';
      expect(registerInCatalog).toHaveBeenCalledWith(
        catalogInfoUrl,
        expect.anything(),
      );
      expect(outputsOf(ctx)).toEqual({
        target: 'github',
        remoteUrl: 'https://github.com/paved-dev/orders-api',
        repoContentsUrl: 'https://github.com/paved-dev/orders-api/blob/main',
        commitHash: 'c0ffee'.padEnd(40, '0'),
        catalogInfoUrl,
        entityRef: 'component:default/orders-api',
      });
      // Nothing was written locally.
      expect(root.content({ path: 'repositories' })).toBeUndefined();
    });

    it('passes a GitLab description in settings and a sub-directory as sourcePath', async () => {
      const { action: gitHostAction, handler } = upstream();
      const action = createPublishPavedAction({
        target: {
          name: 'gitlab',
          host: 'gitlab.example.com',
          owner: 'platform/services',
          repoVisibility: 'internal',
        },
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        registerInCatalog: jest.fn().mockResolvedValue(undefined),
      });
      root.addContent({
        workspace: { svc: { 'catalog-info.yaml': catalogInfo } },
      });
      await action.handler(
        createMockActionContext({
          input: {
            repoName: 'orders-api',
            sourcePath: 'svc',
            defaultBranch: 'trunk',
          },
          workspacePath: workspacePath(),
        }),
      );
      expect(handler.mock.calls[0][0].input).toEqual({
        repoUrl: 'gitlab.example.com?owner=platform%2Fservices&repo=orders-api',
        settings: { description: 'orders-api' },
        defaultBranch: 'trunk',
        repoVisibility: 'internal',
        sourcePath: 'svc',
        gitCommitMessage: 'Initial commit',
        gitAuthorName: 'Paved Scaffolder',
        gitAuthorEmail: 'scaffolder@paved.local',
      });
    });

    it('refuses an invalid catalog-info.yaml before creating anything on the host', async () => {
      const { action: gitHostAction, handler } = upstream();
      root.addContent({
        workspace: { 'catalog-info.yaml': 'kind: [unclosed\n' },
      });
      const action = createPublishPavedAction({
        target: github,
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        registerInCatalog: jest.fn(),
      });
      await expect(
        action.handler(
          createMockActionContext({
            input: { repoName: 'orders-api' },
            workspacePath: workspacePath(),
          }),
        ),
      ).rejects.toThrow(/catalog-info.yaml is not valid YAML/);
      expect(handler).not.toHaveBeenCalled();
    });

    it.each([
      [{ repoName: '../escape' }, /path separator or '\.\.'/],
      [{ repoName: 'Orders' }, /is invalid/],
      [
        { repoName: 'orders-api', defaultBranch: 'main..x' },
        /Branch name 'main\.\.x' is invalid/,
      ],
    ])(
      'refuses %p like the local target, before calling the host',
      async (input, message) => {
        const { action: gitHostAction, handler } = upstream();
        const action = createPublishPavedAction({
          target: github,
          local: { baseDir: baseDir(), defaultAuthor },
          gitHostAction,
          registerInCatalog: jest.fn(),
        });
        await expect(
          action.handler(
            createMockActionContext({ input, workspacePath: workspacePath() }),
          ),
        ).rejects.toThrow(message);
        expect(handler).not.toHaveBeenCalled();
      },
    );

    it('says the repository exists and which URL to register when registration fails', async () => {
      const { action: gitHostAction } = upstream();
      const action = createPublishPavedAction({
        target: github,
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        registerInCatalog: jest
          .fn()
          .mockRejectedValue(new Error('Location already exists')),
      });
      const ctx = createMockActionContext({
        input: { repoName: 'orders-api' },
        workspacePath: workspacePath(),
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        'Published https://github.com/paved-dev/orders-api, but registering https://github.com/paved-dev/orders-api/blob/main/catalog-info.yaml in the catalog failed: Location already exists',
      );
      expect(outputsOf(ctx).remoteUrl).toBe(
        'https://github.com/paved-dev/orders-api',
      );
    });

    it('fails with the start-up problem and calls nothing when the target is misconfigured', async () => {
      const { action: gitHostAction, handler } = upstream();
      const registerInCatalog = jest.fn();
      const action = createPublishPavedAction({
        target: github,
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        configurationProblem:
          'publish:paved cannot publish: integrations.github has no entry for host github.com',
        registerInCatalog,
      });
      await expect(
        action.handler(
          createMockActionContext({
            input: { repoName: 'orders-api' },
            workspacePath: workspacePath(),
          }),
        ),
      ).rejects.toThrow(/integrations.github has no entry for host github.com/);
      expect(handler).not.toHaveBeenCalled();
      expect(registerInCatalog).not.toHaveBeenCalled();
    });

    it('publishes nothing in a dry run but says where it would', async () => {
      const { action: gitHostAction, handler } = upstream();
      const action = createPublishPavedAction({
        target: github,
        local: { baseDir: baseDir(), defaultAuthor },
        gitHostAction,
        registerInCatalog: jest.fn(),
      });
      const ctx = {
        ...createMockActionContext({
          input: { repoName: 'orders-api' },
          workspacePath: workspacePath(),
        }),
        isDryRun: true,
      };
      await action.handler(ctx);
      expect(handler).not.toHaveBeenCalled();
      expect(outputsOf(ctx)).toMatchObject({
        target: 'github',
        remoteUrl: 'github.com?owner=paved-dev&repo=orders-api',
      });
    });
  });
});
