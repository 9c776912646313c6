import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import plugin from './index';
import alphaPlugin from './alpha';

describe('template-drift frontend plugin (new frontend system)', () => {
  it('is the default export of the package, and the same plugin at /alpha', () => {
    expect(alphaPlugin).toBe(plugin);
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('template-drift');
    expect(plugin.getExtension('page:template-drift')).toBeDefined();
    expect(
      plugin.getExtension('entity-card:template-drift/template-drift'),
    ).toBeDefined();
  });

  it("mounts the Template drift page at /template-drift with a 'Template drift' sidebar item", async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/template-drift'],
      apis: [[catalogApiRef, catalogApiMock({ entities: [] })]],
    });
    expect(
      await screen.findByText('No entity records a template', undefined, {
        timeout: 15_000,
      }),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('link', { name: 'Template drift' })
        .map(link => link.getAttribute('href')),
    ).toContain('/template-drift');
  }, 30_000);
});
