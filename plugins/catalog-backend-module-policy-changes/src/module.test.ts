import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { catalogModulePolicyChanges } from './module';
import { EntityChangeProcessor } from './EntityChangeProcessor';
import { readPolicyChangesConfig } from './config';
import { ConfigReader } from '@backstage/config';

async function processorsAdded(
  config: JsonObject,
): Promise<CatalogProcessor[]> {
  const added: CatalogProcessor[] = [];
  const extensionPoint = {
    addProcessor: (
      ...processors: Array<CatalogProcessor | CatalogProcessor[]>
    ) => added.push(...processors.flat()),
  };
  const backend = await startTestBackend({
    extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint as any]],
    features: [
      catalogModulePolicyChanges,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  await backend.stop();
  return added;
}

describe('catalogModulePolicyChanges', () => {
  it('adds the change processor when a policy engine is configured', async () => {
    const added = await processorsAdded({
      policy: { opa: { baseUrl: 'http://127.0.0.1:1' } },
    });
    expect(added).toHaveLength(1);
    expect(added[0]).toBeInstanceOf(EntityChangeProcessor);
  });

  it('adds nothing without a policy engine', async () => {
    expect(await processorsAdded({})).toEqual([]);
  });

  it('adds nothing when policy.catalogChanges.enabled is false', async () => {
    const config = {
      policy: {
        opa: { baseUrl: 'http://127.0.0.1:1' },
        catalogChanges: { enabled: false },
      },
    };
    expect(await processorsAdded(config)).toEqual([]);
  });
});

describe('readPolicyChangesConfig', () => {
  it('is on with an engine, off without one or when disabled', () => {
    const opa = { baseUrl: 'http://opa:8181' };
    expect(
      readPolicyChangesConfig(new ConfigReader({ policy: { opa } })),
    ).toEqual({
      enabled: true,
    });
    expect(
      readPolicyChangesConfig(
        new ConfigReader({ policy: { opa: { baseUrl: '' } } }),
      ).enabled,
    ).toBe(false);
    expect(
      readPolicyChangesConfig(
        new ConfigReader({
          policy: { opa, catalogChanges: { enabled: false } },
        }),
      ),
    ).toEqual({ enabled: false });
  });
});
