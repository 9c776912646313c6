import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from './server.ts';
import { InMemory${{ values.entityName }}Store } from './store.ts';

test('creates a ${{ values.entityName }} and resolves it as a federated entity', async () => {
  const server = createServer();
  const store = new InMemory${{ values.entityName }}Store();
  const created = await server.executeOperation(
    { query: 'mutation { create${{ values.entityName }}(name: "first") { id name } }' },
    { contextValue: { store } },
  );
  assert.equal(created.body.kind, 'single');
  const id = (created.body as any).singleResult.data.create${{ values.entityName }}.id;

  const entities = await server.executeOperation(
    {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ${{ values.entityName }} { id name } } }',
      variables: { r: [{ __typename: '${{ values.entityName }}', id }] },
    },
    { contextValue: { store } },
  );
  // GraphQL results are null-prototype objects; compare as plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify((entities.body as any).singleResult.data._entities)), [{ id, name: 'first' }]);
});

test('publishes the @key in the federation SDL', async () => {
  const server = createServer();
  const result = await server.executeOperation({ query: '{ _service { sdl } }' }, { contextValue: { store: new InMemory${{ values.entityName }}Store() } });
  assert.match((result.body as any).singleResult.data._service.sdl, /type ${{ values.entityName }}\s+@key\(fields: "id"\)/);
});
