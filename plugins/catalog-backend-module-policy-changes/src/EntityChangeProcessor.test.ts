import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EventParams } from '@backstage/plugin-events-node';
import { POLICY_ENTITY_CHANGED_TOPIC } from '@paved/plugin-policy-node';
import { CatalogProcessorCache } from '@backstage/plugin-catalog-node';
import { EntityChangeProcessor } from './EntityChangeProcessor';

function component(name: string, description = 'first'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description,
      annotations: { 'backstage.io/managed-by-location': 'url:https://x/y' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
    },
  };
}

/**
 * The catalog's per-entity processor caches, as its database keeps them
 * between processing passes (and restarts): one cache per entity ref.
 */
function processorCaches() {
  const stores = new Map<string, Map<string, unknown>>();
  return (ref: string): CatalogProcessorCache => {
    const store = stores.get(ref) ?? new Map<string, unknown>();
    stores.set(ref, store);
    return {
      get: async <T>(key: string) => store.get(key) as T | undefined,
      set: async (key: string, value: unknown) => void store.set(key, value),
    } as CatalogProcessorCache;
  };
}

async function setup(caches = processorCaches()) {
  const events = mockServices.events();
  const received: EventParams[] = [];
  await events.subscribe({
    id: 'test',
    topics: [POLICY_ENTITY_CHANGED_TOPIC],
    onEvent: async params => {
      received.push(params);
    },
  });
  const processor = new EntityChangeProcessor({
    events,
    logger: mockServices.logger.mock(),
  });
  const location = { type: 'url', target: 'https://x/y' };
  const process = (entity: Entity) =>
    processor.postProcessEntity(
      entity,
      location,
      () => {},
      caches(`component:default/${entity.metadata.name}`),
    );
  return { processor, received, process };
}

describe('EntityChangeProcessor', () => {
  it('publishes nothing on first sight nor when an unchanged entity is processed again', async () => {
    const { received, process } = await setup();
    const entity = component('payments');
    await expect(process(entity)).resolves.toBe(entity);
    await process(component('payments'));
    await process(component('payments'));
    expect(received).toEqual([]);
  });

  it('publishes the ref once per content change', async () => {
    const { received, process } = await setup();
    await process(component('payments', 'v1'));
    await process(component('payments', 'v2'));
    await process(component('payments', 'v2'));
    await process(component('payments', 'v2'));
    await process(component('payments', 'v3'));
    expect(received).toEqual([
      {
        topic: POLICY_ENTITY_CHANGED_TOPIC,
        eventPayload: { entityRef: 'component:default/payments' },
      },
      {
        topic: POLICY_ENTITY_CHANGED_TOPIC,
        eventPayload: { entityRef: 'component:default/payments' },
      },
    ]);
  });

  it('hashes content independently of key order', async () => {
    const { received, process } = await setup();
    const entity = component('payments');
    await process(entity);
    const reordered = {
      spec: entity.spec,
      metadata: entity.metadata,
      kind: entity.kind,
      apiVersion: entity.apiVersion,
    };
    await process(reordered as Entity);
    expect(received).toEqual([]);
  });

  it("remembers the last hash in the catalog's processor cache: a change after a restart is announced", async () => {
    // The same caches, as the catalog's database keeps them across a restart.
    const caches = processorCaches();
    const before = await setup(caches);
    await before.process(component('payments', 'v1'));
    const after = await setup(caches);
    await after.process(component('payments', 'v1'));
    expect(after.received).toEqual([]);
    await after.process(component('payments', 'v2'));
    expect(after.received).toEqual([
      {
        topic: POLICY_ENTITY_CHANGED_TOPIC,
        eventPayload: { entityRef: 'component:default/payments' },
      },
    ]);
  });

  it('does not fail processing when publishing fails', async () => {
    const logger = mockServices.logger.mock();
    const events = mockServices.events.mock({
      publish: async () => {
        throw new Error('bus down');
      },
    });
    const processor = new EntityChangeProcessor({ events, logger });
    const cache = processorCaches()('component:default/payments');
    const location = { type: 'url', target: 'https://x/y' };
    await processor.postProcessEntity(
      component('payments', 'v1'),
      location,
      () => {},
      cache,
    );
    const changed = component('payments', 'v2');
    await expect(
      processor.postProcessEntity(changed, location, () => {}, cache),
    ).resolves.toBe(changed);
    // The error goes as log metadata (with its stack), not interpolated into the message.
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not announce'),
      expect.objectContaining({ message: 'bus down' }),
    );
  });
});
