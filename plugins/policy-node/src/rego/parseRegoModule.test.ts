import { exampleRegoPolicy as policy } from '../testUtils/exampleRegoPolicy';
import { parseRegoModule } from './parseRegoModule';

describe('parseRegoModule', () => {
  it('reads the package, imports, rules and the METADATA above them', () => {
    const module = parseRegoModule(policy);
    expect(module.packageName).toBe('example');
    expect(module.packageMetadata).toEqual({
      title: 'Example rules',
      description: "For the checks' own tests.",
    });
    expect(module.imports).toEqual(['rego.v1']);
    expect(module.rules.map(r => [r.name, r.line])).toEqual([
      ['violations', 22],
      ['violations', 35],
      ['batch', 45],
      ['helper', 47],
    ]);
    expect(module.rules[0].metadata).toEqual({
      title: 'Name is set',
      description: 'Every object has a name.',
      custom: {
        id: 'name-set',
        level: 'error',
        remediation: 'Set name.',
        docsUrl: 'https://example.com/docs#name',
      },
    });
    expect(module.rules[3].metadata).toBeUndefined();
    expect(module.rules[3].text).toContain('} else := ""');
  });

  it('keeps a scope: document block above a rule, across the blank line before its own block', () => {
    const module = parseRegoModule(policy);
    expect(module.rules[0].documentMetadata).toMatchObject({
      scope: 'document',
      entrypoint: true,
    });
    expect(module.rules[1].documentMetadata).toBeUndefined();
    expect(module.rules[2].documentMetadata).toMatchObject({
      title: 'Batch',
      entrypoint: true,
    });
    expect(module.rules[2].metadata).toBeUndefined();
  });

  it('does not attach a METADATA block separated from the rule by a blank line', () => {
    const module = parseRegoModule(
      'package p\n\n# METADATA\n# title: t\n\nallow := true\n',
    );
    expect(module.rules[0]).toMatchObject({
      name: 'allow',
      metadata: undefined,
    });
  });

  it('names default rules after the rule, not the keyword', () => {
    expect(
      parseRegoModule('package p\n\ndefault allow := false\n').rules[0].name,
    ).toBe('allow');
  });
});

describe('parseRegoModule on malformed and library-style modules', () => {
  it('reports a METADATA block that is not YAML or not a mapping, and leaves the rule below it unannotated', () => {
    const module = parseRegoModule(
      'package p\n\n# METADATA\n# title: [unclosed\nfoo if { true }\n\n# METADATA\n# - a list\nbar if { true }\n',
    );
    expect(module.metadataProblems).toEqual([
      expect.stringMatching(/^METADATA block ending on line 4 is not YAML: /),
      'METADATA block ending on line 8 is not a YAML mapping',
    ]);
    expect(module.rules.map(r => [r.name, r.metadata])).toEqual([
      ['foo', undefined],
      ['bar', undefined],
    ]);
  });

  it('reads a module without package as package-less, not as an error', () => {
    const module = parseRegoModule('foo if { true }\n');
    expect(module.packageName).toBe('');
    expect(module.rules).toEqual([
      { name: 'foo', line: 1, text: 'foo if { true }', metadata: undefined },
    ]);
  });

  it('keeps top-level else branches with the rule they belong to', () => {
    const module = parseRegoModule(
      'package p\n\nlevel := "a" if {\n\tinput.x\n}\nelse := "b"\n',
    );
    expect(module.rules.map(r => r.name)).toEqual(['level']);
    expect(module.rules[0].text).toContain('else := "b"');
  });
});
