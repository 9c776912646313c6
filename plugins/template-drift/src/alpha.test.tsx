import plugin from './alpha';

describe('template-drift frontend plugin (new frontend system)', () => {
  it('is a frontend plugin with the page and the entity card', () => {
    const p = plugin as unknown as {
      $$type: string;
      id: string;
      extensions: Array<{ id: string }>;
    };
    expect(p.$$type).toBe('@backstage/FrontendPlugin');
    expect(p.id).toBe('template-drift');
    expect(p.extensions.map(e => e.id)).toEqual([
      'page:template-drift',
      'entity-card:template-drift/template-drift',
    ]);
  });
});
