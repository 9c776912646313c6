import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpaClient } from './OpaClient';
import { scaledMs } from '@paved/test-timing';
import { OpaError } from './errors';
import { bundleRevisionOf } from './violations';
import {
  LocalOpaServer,
  repositoryRoot,
  SimulatedOpaServer,
} from './testUtils';

// Real OPA: the `opa` binary (PAVED_OPA_BIN; ./platform test builds it).

const TOKEN = 'opa-test-token';
const CATALOG = 'paved/catalog/violations';
const WORKLOAD = 'paved/workload/violations';

// Test-only Rego, next to policies/ in the bundle.
const TEST_REGO = `package paved_test.client

import rego.v1

# Two values for one complete rule: OPA answers 500 eval_conflict_error.
conflict := "a" if input.x != 1

conflict := "b" if input.x != 2
`;

const serviceWithoutOwner = {
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'no-owner', description: 'A library nobody owns' },
    spec: { type: 'library', lifecycle: 'experimental', system: 'checkout' },
  },
  owner: null,
  system: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout' },
    spec: {},
  },
};

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<OpaError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpaError);
    return error as OpaError;
  }
  throw new Error('expected the call to fail');
}

describe('OpaClient against a real OPA serving policies/', () => {
  const testRegoDir = mkdtempSync(join(tmpdir(), 'paved-client-rego-'));
  writeFileSync(join(testRegoDir, 'client_faults.rego'), TEST_REGO);
  const opa = new LocalOpaServer({
    revision: 'git-abc123',
    bundleDirs: [join(repositoryRoot(), 'policies'), testRegoDir],
  });
  let client: OpaClient;

  beforeAll(async () => {
    client = new OpaClient({
      baseUrl: await opa.start(),
      timeoutMs: 5000,
      retries: 2,
      retryBaseDelayMs: 10,
    });
  });
  afterAll(async () => {
    await opa.stop();
    rmSync(testRegoDir, { recursive: true, force: true });
  });
  beforeEach(() => opa.resetDecisions());

  it("posts the input and returns OPA's decision with its id", async () => {
    const decision = await client.evaluate<Array<Record<string, unknown>>>(
      CATALOG,
      serviceWithoutOwner,
    );
    expect(decision).toEqual({
      outcome: 'defined',
      result: expect.arrayContaining([
        {
          id: 'owner-set',
          level: 'error',
          message: 'spec.owner is not set',
          remediation:
            'Set spec.owner to a Group reference, for example group:default/payments-team.',
          docsUrl:
            'https://backstage.io/docs/features/software-catalog/descriptor-format#specowner-required',
        },
      ]),
      decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      provenance: undefined,
    });
    const logged = await opa.decisions(CATALOG);
    expect(logged).toEqual([
      expect.objectContaining({
        input: serviceWithoutOwner,
        decisionId: decision.decisionId,
      }),
    ]);

    const owned = {
      ...serviceWithoutOwner,
      entity: {
        ...serviceWithoutOwner.entity,
        spec: { ...serviceWithoutOwner.entity.spec, owner: 'team-a' },
      },
    };
    const answer = await client.evaluate<Array<{ id: string }>>(CATALOG, {
      ...owned,
      owner: { kind: 'Group', metadata: { name: 'team-a' } },
    });
    expect(
      answer.outcome === 'defined' && answer.result.map(v => v.id),
    ).not.toContain('owner-set');
  });

  it('reads the bundle revision from provenance as paved@<revision>', async () => {
    const decision = await client.evaluate(CATALOG, serviceWithoutOwner, {
      provenance: true,
    });
    expect(decision.provenance?.bundles?.paved?.revision).toBe('git-abc123');
    expect(bundleRevisionOf(decision.provenance)).toBe('paved@git-abc123');
    expect(await client.activeRevision()).toBe('paved@git-abc123');
  });

  it('reports an undefined result as its own outcome, not as no violations', async () => {
    const decision = await client.evaluate(
      'paved/retired/violations',
      serviceWithoutOwner,
    );
    expect(decision).toEqual({
      outcome: 'undefined',
      decisionId: expect.any(String),
      provenance: undefined,
    });
  });

  it('turns an evaluation error (500 eval_conflict_error) into a typed error, after retrying', async () => {
    const error = await failure(
      client.evaluate('paved_test/client/conflict', { x: 3 }),
    );
    expect(error).toMatchObject({
      kind: 'http',
      status: 500,
      code: 'internal_error',
    });
    // OPA's own summary, then the cause it lists in `errors`, with file and row.
    expect(error.message).toMatch(
      /^OPA POST \/v1\/data\/paved_test\/client\/conflict answered 500 internal_error: error\(s\) occurred while evaluating query \(eval_conflict_error at .*client_faults\.rego:8: rule data\.paved_test\.client\.conflict produced conflicting values/,
    );
    // 5xx is retried: three attempts with retries: 2, each in OPA's decision log.
    expect(await opa.decisions('paved_test/client/conflict')).toHaveLength(3);
  });

  it('lists the loaded Rego modules and checks health', async () => {
    const modules = await client.listPolicies();
    expect(modules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: expect.stringMatching(/catalog\/catalog\.rego$/),
          raw: expect.stringContaining('package paved.catalog'),
        }),
        expect.objectContaining({
          id: expect.stringMatching(/workload\/workload\.rego$/),
        }),
      ]),
    );
    expect(
      modules.map(m => m.id).filter(id => id.endsWith('_test.rego')),
    ).toEqual([]);
    expect(await client.health()).toEqual({ healthy: true, status: 200 });
  });
});

describe('OpaClient against a real OPA whose bundle lacks a package', () => {
  // Only the catalog rules: paved.workload is not loaded.
  const opa = new LocalOpaServer({
    bundleDirs: [join(repositoryRoot(), 'policies', 'catalog')],
  });
  let client: OpaClient;

  beforeAll(async () => {
    client = new OpaClient({ baseUrl: await opa.start(), retries: 0 });
  });
  afterAll(() => opa.stop());

  it('answers undefined for the missing package and defined for the loaded one', async () => {
    expect(await client.evaluate(WORKLOAD, { manifests: [] })).toEqual({
      outcome: 'undefined',
      decisionId: expect.any(String),
      provenance: undefined,
    });
    expect((await client.evaluate(CATALOG, serviceWithoutOwner)).outcome).toBe(
      'defined',
    );
  });
});

describe('OpaClient against a real OPA with the cluster authz policy (token)', () => {
  const opa = new LocalOpaServer({ token: TOKEN });
  let url: string;

  beforeAll(async () => {
    url = await opa.start();
  });
  afterAll(() => opa.stop());

  it('reports a missing or wrong token as unauthorized (401)', async () => {
    const anonymous = new OpaClient({ baseUrl: url, retries: 0 });
    const missing = await failure(
      anonymous.evaluate(CATALOG, serviceWithoutOwner),
    );
    expect(missing).toMatchObject({
      kind: 'unauthorized',
      status: 401,
      code: 'unauthorized',
    });
    const wrong = new OpaClient({
      baseUrl: url,
      token: 'wrong',
      retries: 2,
      retryBaseDelayMs: 1,
    });
    const rejected = await failure(
      wrong.evaluate(CATALOG, serviceWithoutOwner),
    );
    expect(rejected).toMatchObject({
      kind: 'unauthorized',
      status: 401,
      code: 'unauthorized',
    });
    expect(rejected.message).toMatch(
      /^OPA POST \/v1\/data\/paved\/catalog\/violations answered 401 unauthorized: /,
    );
    expect(await failure(wrong.listPolicies())).toMatchObject({
      kind: 'unauthorized',
      status: 401,
    });
    // /health stays open for probes; the right token gets decisions.
    expect((await wrong.health()).healthy).toBe(true);
    const withToken = new OpaClient({ baseUrl: url, token: TOKEN, retries: 0 });
    expect(
      (await withToken.evaluate(CATALOG, serviceWithoutOwner)).outcome,
    ).toBe('defined');
  });
});

// HTTP faults a real OPA cannot be made to show on demand. The SIMULATED
// server's answers are opaque markers, never findings.
describe('OpaClient HTTP semantics, against the SIMULATED OPA server', () => {
  const ENTRYPOINT = 'simulated/answer';
  const ANSWER = { simulated: 'answer' };
  const opa = new SimulatedOpaServer({ token: TOKEN });
  let client: OpaClient;

  beforeAll(async () => {
    await opa.start();
    client = new OpaClient({
      baseUrl: opa.url,
      token: TOKEN,
      timeoutMs: scaledMs(5000),
      retries: 2,
      retryBaseDelayMs: 10,
    });
  });
  afterAll(() => opa.stop());
  beforeEach(() => {
    opa.resetCalls();
    opa.setDelay(0);
    opa.setRevision(undefined);
    opa.setDecision(ENTRYPOINT, () => ANSWER);
  });

  it('turns a 4xx error body into a typed error without retrying', async () => {
    opa.setError(ENTRYPOINT, {
      status: 400,
      code: 'invalid_parameter',
      message: 'bad input',
    });
    const error = await failure(client.evaluate(ENTRYPOINT, {}));
    expect(error).toMatchObject({
      kind: 'http',
      status: 400,
      code: 'invalid_parameter',
    });
    expect(error.message).toContain('bad input');
    expect(opa.calls.data[ENTRYPOINT]).toBe(1);
  });

  it('retries a 5xx and gives up with the last error', async () => {
    opa.setError(ENTRYPOINT, {
      status: 503,
      code: 'unavailable',
      message: 'restarting',
    });
    const error = await failure(client.evaluate(ENTRYPOINT, {}));
    expect(error).toMatchObject({
      kind: 'http',
      status: 503,
      code: 'unavailable',
    });
    expect(opa.calls.data[ENTRYPOINT]).toBe(3);
  });

  it('recovers from transient 503s with back-off', async () => {
    opa.failNext(2);
    const decision = await client.evaluate(ENTRYPOINT, {});
    expect(decision).toMatchObject({ outcome: 'defined', result: ANSWER });
    expect(opa.calls.total).toBe(3);
  });

  it('does not retry a 401', async () => {
    const wrong = new OpaClient({
      baseUrl: opa.url,
      token: 'wrong',
      retries: 2,
      retryBaseDelayMs: 1,
    });
    expect((await failure(wrong.evaluate(ENTRYPOINT, {}))).kind).toBe(
      'unauthorized',
    );
    expect(opa.calls.unauthorized).toBe(1);
  });

  it('times out a slow answer per call', async () => {
    opa.setDelay(1500);
    const started = Date.now();
    const error = await failure(
      client.evaluate(ENTRYPOINT, {}, { timeoutMs: 100 }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(
      `OPA POST /v1/data/${ENTRYPOINT} timed out after 100 ms`,
    );
    // At the timeout (not retried), not after the 1.5 s answer.
    expect(Date.now() - started).toBeLessThan(1400);
    expect(opa.calls.total).toBe(1);
    opa.setDelay(0);
    // Without an override the client's 1000 ms timeout lets an answer through.
    expect((await client.evaluate(ENTRYPOINT, {})).outcome).toBe('defined');
  });

  it('reports a refused connection after retrying', async () => {
    const port = await unusedPort();
    const refused = new OpaClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retries: 1,
      retryBaseDelayMs: 1,
    });
    const error = await failure(refused.evaluate(ENTRYPOINT, {}));
    expect(error.kind).toBe('connection');
    expect(error.message).toContain('ECONNREFUSED');
    expect(await refused.health()).toMatchObject({ healthy: false });
  });

  // A LocalOpaServer always serves a bundle; OPA started on plain files has no revision.
  it('without a bundle revision, takes the revision from a hash of the modules', async () => {
    opa.setPolicies([{ id: 'a.rego', raw: 'package a\n' }]);
    const first = await client.activeRevision();
    expect(first).toMatch(/^modules:[0-9a-f]{16}$/);
    expect(await client.activeRevision()).toBe(first);
    opa.setPolicies([{ id: 'a.rego', raw: 'package a\n# changed\n' }]);
    expect(await client.activeRevision()).not.toBe(first);
  });
});
