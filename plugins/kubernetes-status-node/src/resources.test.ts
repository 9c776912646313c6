import { WATCHED_RESOURCES } from './resources';

const rows = Object.values(WATCHED_RESOURCES);

describe('WATCHED_RESOURCES', () => {
  it.each(rows)(
    '$key: keyed by its plural, apiVersion from group and version',
    r => {
      expect(WATCHED_RESOURCES[r.key]).toBe(r);
      expect(r.plural).toBe(r.key);
      expect(r.apiVersion).toBe(
        r.group ? `${r.group}/${r.version}` : r.version,
      );
      expect(Object.isFrozen(r)).toBe(true);
    },
  );

  it('names each kind once, and only the CRDs of Argo CD and Flux as optional', () => {
    expect(new Set(rows.map(r => r.kind)).size).toBe(rows.length);
    expect(rows.filter(r => r.optional).map(r => r.apiVersion)).toEqual([
      'argoproj.io/v1alpha1',
      'kustomize.toolkit.fluxcd.io/v1',
      'helm.toolkit.fluxcd.io/v2',
    ]);
  });

  it('says how objects belong to an entity: by label (GitOps in any namespace), events by what they are about, nodes never', () => {
    const byScope = (scope: string) =>
      rows.filter(r => r.entityScope === scope).map(r => r.key);
    expect(byScope('labels')).toEqual([
      'applications',
      'kustomizations',
      'helmreleases',
    ]);
    expect(byScope('involved-object')).toEqual(['events']);
    expect(byScope('none')).toEqual(['nodes']);
    expect(rows.filter(r => !r.namespaced).map(r => r.key)).toEqual(['nodes']);
    expect(WATCHED_RESOURCES.events.fieldSelector).toBe('type=Warning');
  });
});
