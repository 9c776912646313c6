import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import { POLICY_ENTITY_CHANGED_TOPIC } from '@paved/plugin-policy-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModulePolicyChanges } from './module';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function componentYaml(description: string) {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: ${description}
spec:
  type: service
  lifecycle: production
  owner: team-a
`;
}

describe('catalogModulePolicyChanges in the real catalog backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-changes-'));
  const file = join(dir, 'catalog-info.yaml');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('announces an entity once after its file changed, and nothing for the first or unchanged passes', async () => {
    writeFileSync(file, componentYaml('first'));
    const events = mockServices.events();
    const received: EventParams[] = [];
    await events.subscribe({
      id: 'test',
      topics: [POLICY_ENTITY_CHANGED_TOPIC],
      onEvent: async params => {
        received.push(params);
      },
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePolicyChanges,
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              locations: [{ type: 'file', target: file }],
              processingInterval: { seconds: 1 },
            },
            policy: { opa: { baseUrl: 'http://127.0.0.1:1' } },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as { port: number };
      const descriptionInCatalog = async () => {
        const res = await fetch(
          `http://127.0.0.1:${port}/api/catalog/entities/by-name/component/default/payments`,
          {
            headers: { Authorization: mockCredentials.user.header() },
          },
        );
        return res.ok
          ? ((await res.json()).metadata.description as string)
          : undefined;
      };
      for (
        let waited = 0;
        (await descriptionInCatalog()) !== 'first' && waited < 30_000;
        waited += 250
      )
        await sleep(250);
      expect(await descriptionInCatalog()).toBe('first');
      // More processing passes (1-2 s apart) of the unchanged file.
      await sleep(4000);
      expect(received).toEqual([]);
      writeFileSync(file, componentYaml('second'));
      for (let waited = 0; !received.length && waited < 30_000; waited += 250)
        await sleep(250);
      // More passes over the changed, now stable file.
      await sleep(5000);
      expect(received.map(e => e.eventPayload)).toEqual([
        { entityRef: 'component:default/payments' },
      ]);
    } finally {
      await backend.stop();
    }
  });
});
