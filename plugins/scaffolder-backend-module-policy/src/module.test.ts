import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalOpaServer } from '@paved/plugin-policy-node/testUtils';
import { scaffolderModulePolicy } from './module';

// Real OPA: the `opa` binary (PAVED_OPA_BIN; ./platform test builds it).

describe('scaffolderModulePolicy', () => {
  it('adds policy:check to the scaffolder, with its examples and schema', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              added.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModulePolicy,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { policy: { opa: { baseUrl: 'http://127.0.0.1:8181' } } },
        }),
      ],
    });
    expect(added.map(a => a.id)).toEqual(['policy:check']);
    expect(added[0].supportsDryRun).toBe(true);
    expect(added[0].examples?.length).toBeGreaterThan(0);
    expect(
      Object.keys((added[0].schema?.input as any)?.properties ?? {}),
    ).toEqual(
      expect.arrayContaining([
        'files',
        'catalogEntrypoint',
        'workloadEntrypoint',
        'failOn',
        'environment',
      ]),
    );
  });

  it('stops the backend from starting with an invalid onEngineUnavailable', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [scaffolderActionsExtensionPoint, { addActions: () => {} }],
        ],
        features: [
          scaffolderModulePolicy,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: {
              policy: { scaffolder: { onEngineUnavailable: 'sometimes' } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/onEngineUnavailable must be "fail" or "warn"/);
  });

  describe('with a real OPA serving policies/', () => {
    const opa = new LocalOpaServer();
    const workspace = createMockDirectory();

    beforeAll(() => opa.start());
    afterAll(() => opa.stop());

    it("wires policy.opa and the catalog service into the action: OPA's findings on a resolved owner", async () => {
      const added: TemplateAction<any, any, any>[] = [];
      await startTestBackend({
        extensionPoints: [
          [
            scaffolderActionsExtensionPoint,
            {
              addActions: (...a: TemplateAction<any, any, any>[]) =>
                added.push(...a),
            },
          ],
        ],
        features: [
          scaffolderModulePolicy,
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Group',
                metadata: { name: 'team-commerce' },
                spec: { type: 'team' },
              },
            ],
          }),
          mockServices.rootConfig.factory({
            data: { policy: { opa: { baseUrl: opa.url, retries: 0 } } },
          }),
        ],
      });
      workspace.setContent({
        'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: Orders library
spec:
  type: library
  lifecycle: experimental
  owner: team-commerce
`,
      });
      const ctx = createMockActionContext({
        input: {},
        workspacePath: workspace.path,
      });
      await added[0].handler(ctx as any);
      const findings = (ctx.output as jest.Mock).mock.calls.find(
        ([name]) => name === 'findings',
      )[1];
      // The owner resolved through the backend's catalog service; the system is not set.
      expect(findings.map((f: { id: string }) => f.id)).not.toContain(
        'owner-resolvable',
      );
      expect(findings).toContainEqual(
        expect.objectContaining({
          id: 'system-set',
          level: 'warning',
          message: 'spec.system is not set',
        }),
      );
      expect(await opa.decisions('paved/catalog/violations')).toHaveLength(1);
    });
  });
});
