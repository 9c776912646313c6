import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint, TemplateAction } from '@backstage/plugin-scaffolder-node';
import { scaffolderModulePolicy } from './module';

describe('scaffolderModulePolicy', () => {
  it('adds policy:check to the scaffolder, with its examples and schema', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: (...a: TemplateAction<any, any, any>[]) => added.push(...a) }]],
      features: [
        scaffolderModulePolicy,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: { policy: { opa: { baseUrl: 'http://127.0.0.1:8181' } } } }),
      ],
    });
    expect(added.map(a => a.id)).toEqual(['policy:check']);
    expect(added[0].supportsDryRun).toBe(true);
    expect(added[0].examples?.length).toBeGreaterThan(0);
    expect(Object.keys((added[0].schema?.input as any)?.properties ?? {})).toEqual(
      expect.arrayContaining(['files', 'catalogEntrypoint', 'workloadEntrypoint', 'failOn', 'environment']),
    );
  });

  it('stops the backend from starting with an invalid onEngineUnavailable', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: () => {} }]],
        features: [
          scaffolderModulePolicy,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({ data: { policy: { scaffolder: { onEngineUnavailable: 'sometimes' } } } }),
        ],
      }),
    ).rejects.toThrow(/onEngineUnavailable must be "fail" or "warn"/);
  });
});
