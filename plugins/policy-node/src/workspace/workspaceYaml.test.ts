import { createMockDirectory } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import {
  describeLocation,
  describeWorkspaceProblem,
  isKubernetesManifest,
  readWorkspaceYaml,
} from './workspaceYaml';

const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders' },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
};
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { replicas: 2 },
});
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders' },
};

describe('readWorkspaceYaml', () => {
  const workspace = createMockDirectory();
  const outside = createMockDirectory();

  beforeEach(() => {
    workspace.clear();
    outside.clear();
  });

  it('walks nested folders, sorts the files, skips node_modules, .git and files that are not YAML', async () => {
    workspace.setContent({
      'catalog-info.yaml': stringify(component),
      k8s: {
        'b.yaml': stringify(deployment('b')),
        base: { 'a.yml': stringify(deployment('a')) },
        overlays: { prod: { 'c.yaml': stringify(service) } },
        'README.md': '# apiVersion: v1\n',
        'values.json': '{"apiVersion": "v1", "kind": "ConfigMap"}',
        node_modules: { dep: { 'x.yaml': stringify(service) } },
      },
      '.git': { 'config.yaml': stringify(service) },
    });
    const byPattern = await readWorkspaceYaml(workspace.path, {
      patterns: ['catalog-info.yaml', 'k8s/**/*.{yaml,yml}', '.git/*.yaml'],
    });
    expect(byPattern.files).toEqual([
      'catalog-info.yaml',
      'k8s/b.yaml',
      'k8s/base/a.yml',
      'k8s/overlays/prod/c.yaml',
    ]);
    expect(byPattern.entities.map(e => e.value.metadata.name)).toEqual([
      'orders',
    ]);
    expect(byPattern.manifests.map(m => `${m.file} ${m.value.kind}`)).toEqual([
      'k8s/b.yaml Deployment',
      'k8s/base/a.yml Deployment',
      'k8s/overlays/prod/c.yaml Service',
    ]);
    expect(byPattern.problems).toEqual([]);

    // A directory path reads every YAML file below it, with the same skips.
    const byPath = await readWorkspaceYaml(workspace.path, {
      paths: ['./k8s/'],
    });
    expect(byPath.files).toEqual([
      'k8s/b.yaml',
      'k8s/base/a.yml',
      'k8s/overlays/prod/c.yaml',
    ]);
    expect(byPath.missing).toEqual([]);
  });

  // Documents are numbered as the file has them, empty ones included.
  it('keeps every document of a multi-document file with its line, and drops empty documents', async () => {
    workspace.setContent({
      'all.yaml': [
        '# leading comment',
        '---',
        '---',
        '# only a comment',
        '---',
        stringify(deployment('a')).trimEnd(),
        '---',
        '',
        stringify(service).trimEnd(),
        '---',
        '',
      ].join('\n'),
      'one.yaml': `# generated\n${stringify(deployment('b'))}`,
      'empty.yaml': '',
    });
    const read = await readWorkspaceYaml(workspace.path, {
      patterns: ['*.yaml'],
    });
    expect(read.files).toEqual(['all.yaml', 'empty.yaml', 'one.yaml']);
    expect(
      read.documents.map(d => ({
        file: d.file,
        line: d.line,
        document: d.document,
        documentsInFile: d.documentsInFile,
      })),
    ).toEqual([
      { file: 'all.yaml', line: 6, document: 3, documentsInFile: 2 },
      { file: 'all.yaml', line: 15, document: 4, documentsInFile: 2 },
      { file: 'one.yaml', line: 2, document: 1, documentsInFile: 1 },
    ]);
    expect(read.manifests.map(m => m.value.metadata?.name)).toEqual([
      'a',
      'orders',
      'b',
    ]);
    expect(describeLocation(read.documents[1])).toBe(
      'all.yaml (document 4, line 15)',
    );
    expect(describeLocation(read.documents[2])).toBe('one.yaml');
  });

  it('reports a YAML error at its own line in the failing document, not the start of the file, and still reads the others', async () => {
    workspace.setContent({
      'k8s/app.yaml': [
        stringify(deployment('a')).trimEnd(), // lines 1-7
        '---',
        'apiVersion: v1', // line 9: the second document
        'kind: Service',
        'metadata:',
        '  name: orders',
        '  name: again', // line 13
        '---',
        stringify(deployment('c')).trimEnd(),
        '',
      ].join('\n'),
      'k8s/ok.yaml': stringify(service),
    });
    const read = await readWorkspaceYaml(workspace.path, {
      patterns: ['k8s/*.yaml'],
    });
    expect(read.problems).toEqual([
      {
        file: 'k8s/app.yaml',
        kind: 'invalid-yaml',
        line: 13,
        column: 3,
        document: 2,
        documentLine: 9,
        detail: 'Map keys must be unique',
      },
    ]);
    expect(describeWorkspaceProblem(read.problems[0])).toBe(
      'k8s/app.yaml is not valid YAML at line 13, column 3 (document 2, from line 9): Map keys must be unique',
    );
    expect(
      read.manifests.map(m => `${m.file} ${m.value.metadata?.name}`),
    ).toEqual(['k8s/app.yaml a', 'k8s/app.yaml c', 'k8s/ok.yaml orders']);
  });

  it('reports where an unclosed construct is noticed in a one-document file', async () => {
    workspace.setContent({
      'catalog-info.yaml':
        'kind: Component\nmetadata:\n  name: a\n  bad: [indent\n',
    });
    const read = await readWorkspaceYaml(workspace.path, {
      paths: ['catalog-info.yaml'],
    });
    expect(read.problems).toEqual([
      {
        file: 'catalog-info.yaml',
        kind: 'invalid-yaml',
        line: 5,
        column: 1,
        detail: expect.stringContaining('Flow sequence'),
      },
    ]);
    expect(read.documents).toEqual([]);
  });

  it.each([
    ['../outside.yaml', /leaves the workspace/],
    ['k8s/../../outside.yaml', /leaves the workspace/],
    ['{..,k8s}/*.yaml', /leaves the workspace/],
    ['/etc/passwd', /is absolute/],
    ['~/.kube/config', /is absolute/],
    [' ', /empty/],
  ])(
    'refuses the pattern %s before reading anything',
    async (pattern, message) => {
      const error = await readWorkspaceYaml(workspace.path, {
        patterns: [pattern],
      }).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(message);
      const asPath = await readWorkspaceYaml(workspace.path, {
        paths: [pattern],
      }).catch(e => e);
      expect(asPath.name).toBe('InputError');
    },
  );

  it('refuses a symbolic link to a file or a folder outside the workspace', async () => {
    outside.setContent({
      'secret.yaml': stringify({ apiVersion: 'v1', kind: 'Secret' }),
      dir: { 'x.yaml': stringify(service) },
    });
    workspace.setContent({
      'k8s/secret.yaml': ({ symlink }) =>
        symlink(outside.resolve('secret.yaml')),
    });
    await expect(
      readWorkspaceYaml(workspace.path, { patterns: ['k8s/*.yaml'] }),
    ).rejects.toThrow(
      'k8s/secret.yaml resolves to a path outside the workspace',
    );
    await expect(
      readWorkspaceYaml(workspace.path, { paths: ['k8s'] }),
    ).rejects.toThrow(
      'k8s/secret.yaml resolves to a path outside the workspace',
    );

    workspace.setContent({
      manifests: ({ symlink }) => symlink(outside.resolve('dir')),
    });
    await expect(
      readWorkspaceYaml(workspace.path, { paths: ['manifests'] }),
    ).rejects.toThrow('manifests resolves to a path outside the workspace');
  });

  it('follows a symbolic link that stays inside the workspace', async () => {
    workspace.setContent({
      'real.yaml': stringify(service),
      'k8s/link.yaml': ({ symlink }) => symlink(workspace.resolve('real.yaml')),
    });
    const read = await readWorkspaceYaml(workspace.path, {
      patterns: ['k8s/*.yaml'],
    });
    expect(read.manifests.map(m => m.file)).toEqual(['k8s/link.yaml']);
  });

  it('reports files over the size limits instead of reading them', async () => {
    const big = stringify({ ...service, data: { x: 'y'.repeat(2000) } });
    workspace.setContent({
      'a.yaml': stringify(service),
      'b.yaml': big,
      'c.yaml': stringify(service),
      'd.yaml': stringify(service),
    });
    const perFile = await readWorkspaceYaml(workspace.path, {
      patterns: ['*.yaml'],
      maxFileBytes: 1000,
    });
    expect(perFile.files).toEqual(['a.yaml', 'c.yaml', 'd.yaml']);
    expect(perFile.problems).toEqual([
      {
        file: 'b.yaml',
        kind: 'too-large',
        detail: `${Buffer.byteLength(
          big,
        )} bytes, over the limit of 1000 bytes per file`,
      },
    ]);
    expect(describeWorkspaceProblem(perFile.problems[0])).toMatch(
      /^b\.yaml is too large: \d+ bytes, over the limit of 1000 bytes per file$/,
    );

    const small = Buffer.byteLength(stringify(service));
    const total = await readWorkspaceYaml(workspace.path, {
      patterns: ['a.yaml', 'c.yaml', 'd.yaml'],
      maxTotalBytes: small * 2,
    });
    expect(total.files).toEqual(['a.yaml', 'c.yaml']);
    expect(total.problems).toEqual([
      expect.objectContaining({ file: 'd.yaml', kind: 'too-large' }),
    ]);
  });

  it('refuses to expand an alias bomb', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    workspace.setContent({ 'bomb.yaml': `${lines.join('\n')}\n` });
    const read = await readWorkspaceYaml(workspace.path, {
      patterns: ['*.yaml'],
    });
    expect(read.documents).toEqual([]);
    expect(read.problems).toEqual([
      expect.objectContaining({
        file: 'bomb.yaml',
        kind: 'invalid-yaml',
        line: 1,
        detail: expect.stringMatching(/alias/i),
      }),
    ]);
  });

  it('sorts documents into valid entities, Kubernetes objects, malformed ones and others', async () => {
    workspace.setContent({
      'catalog-info.yaml': [
        component,
        { apiVersion: 'backstage.io/v1alpha1', kind: 'System', spec: {} },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'g', annotations: 'not a map' },
        },
      ]
        .map(d => stringify(d))
        .join('---\n'),
      'k8s/objects.yaml': [
        service,
        { apiVersion: 'v1', kind: 'ConfigMap' },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 42 } },
        { apiVersion: 'v1', kind: 'Secret', metadata: 'x' },
        { replicaCount: 2 },
        ['a', 'list'],
      ]
        .map(d => stringify(d))
        .join('---\n'),
    });
    const read = await readWorkspaceYaml(workspace.path, {
      patterns: ['catalog-info.yaml', 'k8s/*.yaml'],
    });
    expect(read.entities.map(e => e.value.kind)).toEqual(['Component']);
    expect(read.manifests.map(m => m.value.kind)).toEqual([
      'Service',
      'ConfigMap',
    ]);
    expect(read.malformed.map(m => m.reason)).toEqual([
      expect.stringMatching(
        /^System is not a valid catalog entity: .*metadata/,
      ),
      expect.stringMatching(
        /^Group is not a valid catalog entity: .*annotations/,
      ),
      'Secret has a metadata.name that is not a string',
      'Secret has a metadata that is not a mapping',
    ]);
    expect(read.others.map(o => `${describeLocation(o)}: ${o.reason}`)).toEqual(
      [
        'k8s/objects.yaml (document 5, line 18): neither a catalog entity nor a Kubernetes object (no apiVersion and kind)',
        'k8s/objects.yaml (document 6, line 20): neither a catalog entity nor a Kubernetes object (not a mapping)',
      ],
    );
    expect(read.documents).toHaveLength(9);
  });

  it('lists paths that do not exist', async () => {
    workspace.setContent({ 'catalog-info.yaml': stringify(component) });
    const read = await readWorkspaceYaml(workspace.path, {
      paths: ['catalog-info.yaml', 'kubernetes', 'missing.yaml'],
    });
    expect(read.missing).toEqual(['kubernetes', 'missing.yaml']);
    expect(read.files).toEqual(['catalog-info.yaml']);
  });
});

describe('isKubernetesManifest', () => {
  it.each([
    [service, true],
    [{ apiVersion: 'v1', kind: 'ConfigMap' }, true],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 1 } }, false],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: [] }, false],
    [{ kind: 'ConfigMap' }, false],
    [null, false],
    ['text', false],
  ])('%j → %s', (value, expected) => {
    expect(isKubernetesManifest(value)).toBe(expected);
  });
});
