import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPublishLocalGitAction } from './publishLocalGit';
import {
  alice,
  catalogInfo,
  defaultAuthor,
  git,
} from './__testUtils__/publishFixtures';

describe('publish:local-git', () => {
  const root = createMockDirectory();
  const baseDir = () => root.resolve('repositories');
  const workspacePath = () => root.resolve('workspace');

  beforeEach(() => {
    root.clear();
    root.addContent({
      workspace: {
        'catalog-info.yaml': catalogInfo,
        'README.md': '# orders-api\n',
        src: { 'main.py': 'print("hi")\n' },
        '.github': { workflows: { 'ci.yaml': 'on: push\n' } },
      },
    });
  });

  const newAction = (onPublished?: jest.Mock) =>
    createPublishLocalGitAction({
      baseDir: baseDir(),
      defaultAuthor,
      onPublished,
    });

  it('publishes even when the catalog cannot be asked to refresh, and logs why as metadata', async () => {
    const onPublished = jest
      .fn()
      .mockRejectedValue(new Error('catalog timed out'));
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { repoName: 'orders-api' },
      workspacePath: workspacePath(),
      logger,
    });
    await newAction(onPublished).handler(ctx);
    expect(existsSync(join(baseDir(), 'orders-api', '.git'))).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not ask the catalog to refresh now; it finds the repository at its next pass',
      { error: 'Error: catalog timed out' },
    );
  });

  it('publishes a clonable repository with one commit on main by the signed-in user', async () => {
    const onPublished = jest.fn().mockResolvedValue(undefined);
    const ctx = createMockActionContext({
      input: { repoName: 'orders-api' },
      workspacePath: workspacePath(),
      user: { entity: alice, ref: 'user:default/alice' },
    });
    await newAction(onPublished).handler(ctx);

    const repoPath = join(baseDir(), 'orders-api');
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', repoPath);
    expect(ctx.output).toHaveBeenCalledWith('repoContentsUrl', repoPath);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders-api',
    );
    expect(onPublished).toHaveBeenCalledWith({
      path: repoPath,
      entityRef: 'component:default/orders-api',
    });

    const clone = root.resolve('clone');
    execFileSync('git', ['clone', '--quiet', repoPath, clone]);
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(clone, 'log', '--format=%an <%ae>|%s')).toBe(
      'Alice Example <alice@example.com>|Initial commit',
    );
    const commitHash = (ctx.output as jest.Mock).mock.calls.find(
      ([k]) => k === 'commitHash',
    )[1];
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(commitHash);
    expect(git(clone, 'ls-files').split('\n').sort()).toEqual([
      '.github/workflows/ci.yaml',
      'README.md',
      'catalog-info.yaml',
      'src/main.py',
    ]);
    expect(readFileSync(join(clone, 'catalog-info.yaml'), 'utf8')).toBe(
      catalogInfo,
    );
    // Nothing left over next to the repository but the catalog's Location file.
    expect(readdirSync(baseDir())).toEqual(['orders-api']);
  });

  it('falls back to the ref name, then to the configured author', async () => {
    const byRef = createMockActionContext({
      input: { repoName: 'by-ref' },
      workspacePath: workspacePath(),
      user: { ref: 'user:default/bob' },
    });
    await newAction().handler(byRef);
    expect(git(join(baseDir(), 'by-ref'), 'log', '--format=%an <%ae>')).toBe(
      'bob <scaffolder@paved.local>',
    );

    const anonymous = createMockActionContext({
      input: {
        repoName: 'anonymous',
        defaultBranch: 'trunk',
        gitCommitMessage: 'Start',
      },
      workspacePath: workspacePath(),
    });
    await newAction().handler(anonymous);
    const repo = join(baseDir(), 'anonymous');
    expect(git(repo, 'log', '--format=%an <%ae>|%s')).toBe(
      'Paved Scaffolder <scaffolder@paved.local>|Start',
    );
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('trunk');
  });

  it('publishes only the given sub-directory', async () => {
    const ctx = createMockActionContext({
      input: { repoName: 'just-src', sourcePath: 'src' },
      workspacePath: workspacePath(),
    });
    await newAction().handler(ctx);
    expect(git(join(baseDir(), 'just-src'), 'ls-files')).toBe('main.py');
    expect(ctx.output).not.toHaveBeenCalledWith('entityRef', expect.anything());
  });

  it('refuses a duplicate name and leaves the existing repository untouched', async () => {
    await newAction().handler(
      createMockActionContext({
        input: { repoName: 'orders-api' },
        workspacePath: workspacePath(),
      }),
    );
    const repo = join(baseDir(), 'orders-api');
    const head = git(repo, 'rev-parse', 'HEAD');

    root.addContent({ workspace: { 'README.md': '# changed\n' } });
    await expect(
      newAction().handler(
        createMockActionContext({
          input: { repoName: 'orders-api' },
          workspacePath: workspacePath(),
        }),
      ),
    ).rejects.toThrow(/Repository 'orders-api' already exists/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe(
      '# orders-api\n',
    );
    expect(readdirSync(baseDir())).toEqual(['orders-api']);
  });

  it.each([
    ['../escape', /path separator or '\.\.'/],
    ['a/b', /path separator/],
    ['..', /path separator or '\.\.'/],
    ['/etc', /path separator/],
    ['Orders', /is invalid/],
    ['orders-', /is invalid/],
    ['.hidden', /is invalid/],
    ['', /empty/],
  ])(
    'refuses the repository name %p and writes nothing',
    async (repoName, message) => {
      await expect(
        newAction().handler(
          createMockActionContext({
            input: { repoName },
            workspacePath: workspacePath(),
          }),
        ),
      ).rejects.toThrow(message);
      expect(existsSync(baseDir())).toBe(false);
      expect(existsSync(root.resolve('escape'))).toBe(false);
    },
  );

  it('refuses a source path outside the workspace', async () => {
    await expect(
      newAction().handler(
        createMockActionContext({
          input: { repoName: 'sneaky', sourcePath: '../' },
          workspacePath: workspacePath(),
        }),
      ),
    ).rejects.toThrow(/outside/);
    expect(existsSync(baseDir())).toBe(false);
  });

  it('refuses an invalid branch name', async () => {
    await expect(
      newAction().handler(
        createMockActionContext({
          input: { repoName: 'branchy', defaultBranch: 'main..x' },
          workspacePath: workspacePath(),
        }),
      ),
    ).rejects.toThrow(/Branch name 'main\.\.x' is invalid/);
  });

  it('cleans up the staging directory when the commit fails', async () => {
    root.addContent({
      workspace: { 'catalog-info.yaml': 'kind: [unclosed\n' },
    });
    await expect(
      newAction().handler(
        createMockActionContext({
          input: { repoName: 'broken' },
          workspacePath: workspacePath(),
        }),
      ),
    ).rejects.toThrow(/catalog-info.yaml is not valid YAML/);
    expect(readdirSync(baseDir())).toEqual([]);
  });

  it('writes nothing in a dry run but reports where it would publish', async () => {
    const ctx = {
      ...createMockActionContext({
        input: { repoName: 'dry' },
        workspacePath: workspacePath(),
      }),
      isDryRun: true,
    };
    await newAction().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      join(baseDir(), 'dry'),
    );
    expect(existsSync(baseDir())).toBe(false);
  });
});
