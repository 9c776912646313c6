import { parsePolicyEntityChangedEvent } from './entityChangedEvent';

describe('parsePolicyEntityChangedEvent', () => {
  it('accepts {entityRef} and nothing else', () => {
    expect(
      parsePolicyEntityChangedEvent({ entityRef: 'component:default/a' }),
    ).toEqual({
      entityRef: 'component:default/a',
    });
    expect(
      parsePolicyEntityChangedEvent({
        entityRef: 'component:default/a',
        extra: 1,
      }),
    ).toEqual({
      entityRef: 'component:default/a',
    });
    for (const payload of [
      undefined,
      null,
      'component:default/a',
      {},
      { entityRef: '' },
      { entityRef: 7 },
      { entityRef: 'x'.repeat(2000) },
    ]) {
      expect(parsePolicyEntityChangedEvent(payload)).toBeUndefined();
    }
  });
});
