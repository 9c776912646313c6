import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import scaffolderModulePaved from './index';

describe('scaffolder local-git module start-up', () => {
  const root = createMockDirectory();
  let errors: jest.SpyInstance;

  beforeEach(() => {
    root.clear();
    errors = jest.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => errors.mockRestore());

  async function start(extraConfig: JsonObject = {}) {
    return startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePaved,
        catalogServiceMock.factory(),
        mockServices.rootLogger.factory({ level: 'error' }),
        mockServices.rootConfig.factory({
          data: {
            ...extraConfig,
            scaffolder: {
              ...(extraConfig.scaffolder as JsonObject | undefined),
              localGit: { baseDir: root.resolve('repositories') },
            },
          },
        }),
      ],
    });
  }

  async function actionIds(backend: Awaited<ReturnType<typeof start>>) {
    const res = await request(backend.server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return (res.body as Array<{ id: string }>).map(a => a.id);
  }

  it('starts with the default (local) target without a single error line and offers publish:paved', async () => {
    const backend = await start();
    expect(await actionIds(backend)).toEqual(
      expect.arrayContaining([
        'publish:paved',
        'publish:local-git',
        'paved:validate',
      ]),
    );
    expect(errors).not.toHaveBeenCalled();
    await backend.stop();
  });

  it('logs one clear error and still starts when a git host target lacks its owner', async () => {
    const backend = await start({
      scaffolder: { paved: { publish: { target: 'github' } } },
    });
    expect(await actionIds(backend)).toContain('publish:paved');
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toMatch(
      /publish:paved cannot publish: .*scaffolder.paved.publish.github.owner is not set/,
    );
    await backend.stop();
  });
});
