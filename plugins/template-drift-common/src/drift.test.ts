import type { Entity } from '@backstage/catalog-model';
import { computeTemplateDrift, isBehind } from './drift';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', annotations },
  spec: {},
});
const template = (version?: string): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'python-llm-api',
    annotations: version ? { 'paved.dev/template-version': version } : {},
  },
  spec: {},
});
const from = (version: string) =>
  component({
    'paved.dev/template': 'python-llm-api',
    'paved.dev/template-version': version,
  });

describe('computeTemplateDrift', () => {
  it.each([
    ['1.0.0', '1.0.0', 'none'],
    ['1.0.0', '1.0.3', 'patch'],
    ['1.0.0', '1.2.0', 'minor'],
    ['1.4.2', '2.0.0', 'major'],
    ['2.0.0', '1.9.0', 'ahead'],
    ['1.0.0', '1.1.0-rc.1', 'minor'],
  ])('generated %s, template at %s: %s', (generated, current, gap) => {
    const drift = computeTemplateDrift(from(generated), template(current));
    expect(drift).toMatchObject({
      entityRef: 'component:default/orders',
      templateRef: 'template:default/python-llm-api',
      generatedVersion: generated,
      currentVersion: current,
      gap,
    });
    expect(isBehind(drift)).toBe(['patch', 'minor', 'major'].includes(gap));
  });

  it('explains an unknown gap', () => {
    expect(computeTemplateDrift(component({}), undefined).reason).toBe(
      'The entity names no template.',
    );
    expect(computeTemplateDrift(from('1.0.0'), undefined).reason).toBe(
      'Template python-llm-api is not in the catalog.',
    );
    expect(computeTemplateDrift(from('one'), template('1.0.0')).reason).toBe(
      'The entity records no valid template version.',
    );
    expect(computeTemplateDrift(from('1.0.0'), template()).reason).toBe(
      'Template python-llm-api declares no valid version.',
    );
  });
});
