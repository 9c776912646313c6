import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EventParams } from '@backstage/plugin-events-node';
import { POLICY_ENTITY_CHANGED_TOPIC } from '@paved/plugin-policy-node';
import { EntityChangeProcessor } from './EntityChangeProcessor';

function component(name: string, description = 'first'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, description, annotations: { 'backstage.io/managed-by-location': 'url:https://x/y' } },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-a' },
  };
}

async function setup(maxTrackedEntities?: number) {
  const events = mockServices.events();
  const received: EventParams[] = [];
  await events.subscribe({
    id: 'test',
    topics: [POLICY_ENTITY_CHANGED_TOPIC],
    onEvent: async params => {
      received.push(params);
    },
  });
  const processor = new EntityChangeProcessor({ events, logger: mockServices.logger.mock(), maxTrackedEntities });
  const process = (entity: Entity) => processor.postProcessEntity(entity);
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
      { topic: POLICY_ENTITY_CHANGED_TOPIC, eventPayload: { entityRef: 'component:default/payments' } },
      { topic: POLICY_ENTITY_CHANGED_TOPIC, eventPayload: { entityRef: 'component:default/payments' } },
    ]);
  });

  it('hashes content independently of key order', async () => {
    const { received, process } = await setup();
    const entity = component('payments');
    await process(entity);
    const reordered = { spec: entity.spec, metadata: entity.metadata, kind: entity.kind, apiVersion: entity.apiVersion };
    await process(reordered as Entity);
    expect(received).toEqual([]);
  });

  it('keeps at most maxTrackedEntities hashes, dropping the least recently processed', async () => {
    const { processor, received, process } = await setup(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await process(component(name, 'v1'));
    expect(processor.trackedEntities).toBe(3);
    // a and b were dropped: their change is a first sight again, no event.
    await process(component('a', 'v2'));
    expect(received).toEqual([]);
    expect(processor.trackedEntities).toBe(3);
    // e is still tracked (c was dropped when a came back).
    await process(component('e', 'v2'));
    expect(received.map(e => e.eventPayload)).toEqual([{ entityRef: 'component:default/e' }]);
    // Processing refreshes recency: f pushes out d, not a or e.
    await process(component('f', 'v1'));
    await process(component('a', 'v3'));
    expect(received.map(e => e.eventPayload)).toEqual([
      { entityRef: 'component:default/e' },
      { entityRef: 'component:default/a' },
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
    await processor.postProcessEntity(component('payments', 'v1'));
    const changed = component('payments', 'v2');
    await expect(processor.postProcessEntity(changed)).resolves.toBe(changed);
    // The error goes as log metadata (with its stack), not interpolated into the message.
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Could not announce'), expect.objectContaining({ message: 'bus down' }));
  });
});
