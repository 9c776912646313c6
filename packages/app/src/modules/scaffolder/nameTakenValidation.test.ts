import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { validateNameNotTaken } from './nameTakenValidation';

describe('validateNameNotTaken', () => {
  const catalogApi = catalogApiMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders-service', namespace: 'default' },
        spec: {
          type: 'service',
          owner: 'team-commerce',
          lifecycle: 'production',
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'orders-db', namespace: 'payments' },
        spec: { type: 'database', owner: 'team-payments' },
      },
    ],
  });
  const errorsFor = async (name: string | undefined, namespace?: string) => {
    const errors: string[] = [];
    await validateNameNotTaken({
      name,
      namespace,
      catalogApi,
      field: { addError: message => errors.push(message) },
    });
    return errors;
  };

  it('refuses a name an existing entity has, naming it and its owner', async () => {
    expect(await errorsFor('orders-service')).toEqual([
      "The name 'orders-service' is taken by component:default/orders-service, owned by team-commerce. Choose another name.",
    ]);
  });

  it('refuses a name taken by an entity of another kind in the asked namespace only', async () => {
    expect(await errorsFor('orders-db')).toEqual([]);
    expect(await errorsFor('orders-db', 'payments')).toEqual([
      "The name 'orders-db' is taken by resource:payments/orders-db, owned by team-payments. Choose another name.",
    ]);
  });

  it('accepts a free name and an empty field (required is the schema’s job)', async () => {
    expect(await errorsFor('orders-search')).toEqual([]);
    expect(await errorsFor(undefined)).toEqual([]);
  });
});
