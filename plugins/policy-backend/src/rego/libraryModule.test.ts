import { libraryModuleOf } from './libraryModule';

const MODULE = `# METADATA
# title: Catalog rules
# description: Rules every catalog entity follows.
package paved.catalog

import rego.v1

# METADATA
# title: Owner is set
# description: |
#   Every entity names an owning team.
violations contains v if {
	not input.entity.spec.owner
	v := {"id": "owner-set", "level": "error", "message": "no owner"}
}

# METADATA
# title: Lifecycle is valid
violations contains v if {
	not input.entity.spec.lifecycle in {"production", "experimental"}
	v := {"id": "lifecycle-valid", "level": "warning", "message": "bad lifecycle"}
}

default allow := false

helper(x) := y if {
	y := x
}
`;

describe('libraryModuleOf', () => {
  it('reads package and rule METADATA, lines and emitted ids', () => {
    const parsed = libraryModuleOf(MODULE);
    expect(parsed).toMatchObject({
      packageName: 'paved.catalog',
      title: 'Catalog rules',
      description: 'Rules every catalog entity follows.',
    });
    expect(parsed.rules).toEqual([
      {
        name: 'violations',
        line: 12,
        title: 'Owner is set',
        description: 'Every entity names an owning team.',
        ids: ['owner-set'],
      },
      {
        name: 'violations',
        line: 19,
        title: 'Lifecycle is valid',
        description: undefined,
        ids: ['lifecycle-valid'],
      },
      { name: 'allow', line: 24, ids: [] },
      { name: 'helper', line: 26, ids: [] },
    ]);
  });

  it('takes a rule id from custom.id, as rules using rego.metadata.rule() declare it', () => {
    const parsed = libraryModuleOf(`package paved.workload

# METADATA
# title: Image pinned
# custom:
#   id: image-pinned
#   level: error
violations contains v if {
	some m in input.manifests
	v := object.union(rego.metadata.rule().custom, {"message": "unpinned"})
}
`);
    expect(parsed.rules).toEqual([
      {
        name: 'violations',
        line: 8,
        title: 'Image pinned',
        description: undefined,
        ids: ['image-pinned'],
      },
    ]);
  });

  it('survives malformed annotations and modules without package', () => {
    const parsed = libraryModuleOf(
      '# METADATA\n# title: [unclosed\nfoo if { true }\n',
    );
    expect(parsed.packageName).toBe('');
    expect(parsed.rules).toEqual([{ name: 'foo', line: 3, ids: [] }]);
  });
});
