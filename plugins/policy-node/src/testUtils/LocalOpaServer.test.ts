import { OpaClient } from '../OpaClient';
import { LocalOpaServer } from './LocalOpaServer';

// Needs the real `opa` binary (./platform test builds it and sets PAVED_OPA_BIN).

const serviceWithoutOwner = {
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'no-owner', description: 'A service nobody owns' },
    spec: { type: 'service', lifecycle: 'production', system: 'checkout' },
  },
  owner: null,
  system: { kind: 'System', metadata: { name: 'checkout' } },
};

describe('LocalOpaServer (real OPA)', () => {
  const opa = new LocalOpaServer({ revision: 'test-rev-1' });
  let client: OpaClient;

  beforeAll(async () => {
    client = new OpaClient({ baseUrl: await opa.start(), retries: 0 });
  });
  afterAll(() => opa.stop());

  it("answers with the shipped Rego's findings, docs links included", async () => {
    const decision = await client.evaluate<
      Array<{ id: string; docsUrl?: string }>
    >('paved/catalog/violations', serviceWithoutOwner);
    expect(decision.outcome).toBe('defined');
    const result = decision.outcome === 'defined' ? decision.result : [];
    expect(result.map(v => v.id).sort()).toEqual(
      expect.arrayContaining([
        'owner-set',
        'kubernetes-annotation',
        'techdocs-for-production',
      ]),
    );
    expect(result.find(v => v.id === 'owner-set')?.docsUrl).toMatch(
      /^https:\/\/backstage\.io\/docs\//,
    );
  });

  it('reports the bundle revision it serves, and a new one after setRevision', async () => {
    expect(await client.activeRevision()).toBe('paved@test-rev-1');
    await opa.setRevision('test-rev-2');
    expect(await client.activeRevision()).toBe('paved@test-rev-2');
  });

  it('leaves an unknown entry point undefined', async () => {
    expect((await client.evaluate('paved/nothing/here', {})).outcome).toBe(
      'undefined',
    );
  });
});

describe('LocalOpaServer with the cluster authz policy (token)', () => {
  const opa = new LocalOpaServer({ token: 'secret-token' });
  let url: string;

  beforeAll(async () => {
    url = await opa.start();
  });
  afterAll(() => opa.stop());

  it('refuses decisions without the token and answers with it', async () => {
    const anonymous = new OpaClient({ baseUrl: url, retries: 0 });
    await expect(
      anonymous.evaluate('paved/catalog/violations', serviceWithoutOwner),
    ).rejects.toMatchObject({
      kind: 'unauthorized',
      status: 401,
    });
    const withToken = new OpaClient({
      baseUrl: url,
      token: 'secret-token',
      retries: 0,
    });
    expect(
      (
        await withToken.evaluate(
          'paved/catalog/violations',
          serviceWithoutOwner,
        )
      ).outcome,
    ).toBe('defined');
    expect((await anonymous.health()).healthy).toBe(true);
  });
});

describe('LocalOpaServer decision log', () => {
  const opa = new LocalOpaServer();
  let client: OpaClient;

  beforeAll(async () => {
    client = new OpaClient({ baseUrl: await opa.start(), retries: 0 });
  });
  afterAll(() => opa.stop());

  it("records OPA's own log of each decision with its path and input", async () => {
    opa.resetDecisions();
    await client.evaluate('paved/catalog/violations', serviceWithoutOwner);
    const logged = await opa.decisions('paved/catalog/violations');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      input: serviceWithoutOwner,
      decisionId: expect.any(String),
    });
  });
});
