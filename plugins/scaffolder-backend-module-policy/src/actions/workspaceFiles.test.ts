import { createMockDirectory } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import {
  DEFAULT_POLICY_CHECK_FILES,
  readPolicyCheckDocuments,
} from './workspaceFiles';

const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders' },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
};
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders' },
};

// What policy:check makes of the shared workspace reader; the action's own
// tests (policyCheck.test.ts) run it against a real OPA.
describe('readPolicyCheckDocuments', () => {
  const workspace = createMockDirectory();
  beforeEach(() => workspace.clear());

  it('splits entities from manifests and notes the documents it skips, with their line', async () => {
    workspace.setContent({
      'catalog-info.yaml': stringify(component),
      'deploy/nested/app.yaml': [service, { replicaCount: 2 }]
        .map(d => stringify(d))
        .join('---\n'),
      'k8s/node_modules/dep/x.yaml': stringify(service),
    });
    const read = await readPolicyCheckDocuments(
      workspace.path,
      DEFAULT_POLICY_CHECK_FILES,
    );
    expect(read.files).toEqual(['catalog-info.yaml', 'deploy/nested/app.yaml']);
    expect(read.entities.map(e => e.value.metadata.name)).toEqual(['orders']);
    expect(read.manifests.map(m => m.value.kind)).toEqual(['Service']);
    expect(read.skipped).toEqual([
      'deploy/nested/app.yaml (document 2, line 6): neither a catalog entity nor a Kubernetes object (no apiVersion and kind)',
    ]);
  });

  it('refuses a malformed entity instead of checking only the rest', async () => {
    workspace.setContent({
      'catalog-info.yaml': stringify({
        ...component,
        metadata: { name: 'orders', annotations: ['a list'] },
      }),
      'k8s/app.yaml': stringify(service),
    });
    await expect(
      readPolicyCheckDocuments(workspace.path, DEFAULT_POLICY_CHECK_FILES),
    ).rejects.toThrow(
      'policy:check cannot check the generated files:\n- catalog-info.yaml: Component is not a valid catalog entity: /metadata/annotations must be object',
    );
  });

  it('lists every file it cannot read, each with the line of its YAML error', async () => {
    workspace.setContent({
      'catalog-info.yaml': 'kind: Component\n  bad: [indent',
      'k8s/a.yaml': `${stringify(
        service,
      )}---\nkind: Service\nmetadata: {name: a, name: b}\n`,
    });
    const error = await readPolicyCheckDocuments(
      workspace.path,
      DEFAULT_POLICY_CHECK_FILES,
    ).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(
      '- catalog-info.yaml is not valid YAML at line 1, column 7: ',
    );
    expect(error.message).toContain(
      '- k8s/a.yaml is not valid YAML at line 7, column 21 (document 2, from line 6): Map keys must be unique',
    );
  });

  it('prefixes refusals of the workspace reader with the action', async () => {
    await expect(
      readPolicyCheckDocuments(workspace.path, ['../x.yaml']),
    ).rejects.toThrow(/^policy:check: "..\/x.yaml" leaves the workspace/);
  });
});
