import { readFileSync } from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  EntityPolicies,
  FieldFormatEntityPolicy,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { parse } from 'yaml';
import { ensureCatalogLocationFile } from './LocalRepositoryPublisher';

describe('ensureCatalogLocationFile', () => {
  const dir = createMockDirectory();

  it('writes an optional-glob Location the catalog accepts, creating the directory, idempotently', async () => {
    const baseDir = dir.resolve('not/yet/there');
    const file = await ensureCatalogLocationFile(baseDir);
    const entity = parse(readFileSync(file, 'utf8'));
    const policy = EntityPolicies.allOf([
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    await expect(policy.enforce(entity)).resolves.toBeDefined();
    await expect(locationEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
    expect(entity.spec).toEqual({
      type: 'file',
      presence: 'optional',
      targets: ['./*/catalog-info.yaml'],
    });
    await expect(ensureCatalogLocationFile(baseDir)).resolves.toBe(file);
  });
});
