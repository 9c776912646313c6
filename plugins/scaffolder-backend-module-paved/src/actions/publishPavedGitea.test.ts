import { execFileSync } from 'node:child_process';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startGiteaStandIn } from './__testUtils__/giteaStandIn';
import { resolvePublishTarget } from './gitHostPublishAction';
import { createPublishPavedAction } from './publishPaved';
import { alice, catalogInfo, git } from './__testUtils__/publishFixtures';

// publish:paved with target gitea, delegating to the REAL publish:gitea
// (built from configuration as the module does) against a SIMULATED Gitea
// on loopback: its API routes and git smart HTTP via `git http-backend`.

describe('publish:paved with target gitea (real publish:gitea, simulated Gitea)', () => {
  const root = createMockDirectory();
  let gitea: Awaited<ReturnType<typeof startGiteaStandIn>>;
  const basicAuth = `Basic ${Buffer.from('paved-bot:s3cret').toString(
    'base64',
  )}`;

  beforeEach(async () => {
    root.clear();
    root.addContent({
      workspace: {
        'catalog-info.yaml': catalogInfo,
        'README.md': '# orders-api\n',
        src: { 'main.py': 'print("hi")\n' },
      },
      gitea: {},
    });
    gitea = await startGiteaStandIn({
      root: root.resolve('gitea'),
      username: 'paved-bot',
      password: 's3cret',
      organisations: ['paved'],
    });
  });
  afterEach(() => gitea.close());

  function actionFor(owner: string, password = 's3cret') {
    const config = new ConfigReader({
      scaffolder: {
        paved: {
          publish: { target: 'gitea', gitea: { host: gitea.host, owner } },
        },
      },
      integrations: {
        gitea: [
          {
            host: gitea.host,
            baseUrl: gitea.baseUrl,
            username: 'paved-bot',
            password,
          },
        ],
      },
    });
    const resolved = resolvePublishTarget(config);
    expect(resolved.configurationProblem).toBeUndefined();
    const registerInCatalog = jest.fn().mockResolvedValue(undefined);
    const action = createPublishPavedAction({
      ...resolved,
      local: {
        baseDir: root.resolve('local'),
        defaultAuthor: {
          name: 'Paved Scaffolder',
          email: 'scaffolder@paved.local',
        },
      },
      registerInCatalog,
    });
    return { action, registerInCatalog };
  }

  it('creates the repository in the configured organisation, pushes one commit by the user and registers catalog-info.yaml', async () => {
    const { action, registerInCatalog } = actionFor('paved');
    const ctx = createMockActionContext({
      input: {
        repoName: 'orders-api',
        description: 'Orders API',
        gitCommitMessage: 'Create orders-api',
      },
      workspacePath: root.resolve('workspace'),
      user: { entity: alice, ref: 'user:default/alice' },
    });
    await action.handler(ctx);

    const api = gitea.requests.filter(r => r.url.startsWith('/api/'));
    expect(api.map(r => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/orgs/paved',
      'POST /api/v1/orgs/paved/repos',
    ]);
    expect(
      api.every(
        r => r.authorization?.toLowerCase() === basicAuth.toLowerCase(),
      ),
    ).toBe(true);
    expect(api[1].body).toEqual({
      name: 'orders-api',
      description: 'Orders API',
      private: true,
    });
    expect(
      gitea.requests.some(
        r =>
          r.method === 'POST' &&
          r.url === '/paved/orders-api.git/git-receive-pack',
      ),
    ).toBe(true);

    const clone = root.resolve('clone');
    execFileSync('git', [
      'clone',
      '--quiet',
      '--branch',
      'main',
      gitea.repoDir('paved', 'orders-api'),
      clone,
    ]);
    expect(git(clone, 'log', '--format=%an <%ae>|%s')).toBe(
      'Alice Example <alice@example.com>|Create orders-api',
    );
    expect(git(clone, 'ls-files').split('\n').sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'src/main.py',
    ]);

    const repoContentsUrl = `${gitea.baseUrl}/paved/orders-api/src/branch/main/`;
    const catalogInfoUrl = `${gitea.baseUrl}/paved/orders-api/src/branch/main/catalog-info.yaml`;
    expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls)).toEqual({
      target: 'gitea',
      remoteUrl: `${gitea.baseUrl}/paved/orders-api.git`,
      repoContentsUrl,
      commitHash: git(clone, 'rev-parse', 'HEAD'),
      catalogInfoUrl,
      entityRef: 'component:default/orders-api',
    });
    expect(registerInCatalog).toHaveBeenCalledWith(
      catalogInfoUrl,
      expect.anything(),
    );
  });

  it('fails on a missing organisation before creating anything, and registers nothing', async () => {
    const { action, registerInCatalog } = actionFor('nobody');
    await expect(
      action.handler(
        createMockActionContext({
          input: { repoName: 'orders-api' },
          workspacePath: root.resolve('workspace'),
        }),
      ),
    ).rejects.toThrow(/Organization nobody do not exist/);
    expect(gitea.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/orgs/nobody',
    ]);
    expect(registerInCatalog).not.toHaveBeenCalled();
  });

  it('fails when Gitea refuses the token', async () => {
    const { action, registerInCatalog } = actionFor('paved', 'wrong');
    await expect(
      action.handler(
        createMockActionContext({
          input: { repoName: 'orders-api' },
          workspacePath: root.resolve('workspace'),
        }),
      ),
    ).rejects.toThrow(/Organization paved do not exist/);
    expect(registerInCatalog).not.toHaveBeenCalled();
  });
});
