import { createServer } from 'node:net';
import { OpaClient } from './OpaClient';
import { OpaError } from './errors';
import { SIMULATED_UNDEFINED_RESULT, SimulatedOpaServer } from './testUtils';

const TOKEN = 'opa-test-token';
const ENTRYPOINT = 'paved/catalog/violations';

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

describe('OpaClient against the simulated OPA server over HTTP', () => {
  const opa = new SimulatedOpaServer({ token: TOKEN });
  let client: OpaClient;

  beforeAll(async () => {
    await opa.start();
    client = new OpaClient({ baseUrl: opa.url, token: TOKEN, timeoutMs: 1000, retries: 2, retryBaseDelayMs: 10 });
  });
  afterAll(() => opa.stop());
  beforeEach(() => {
    opa.resetCalls();
    opa.setDelay(0);
    opa.setRevision(undefined);
    opa.setDecision(ENTRYPOINT, (input: any) =>
      input.entity.spec?.owner ? [] : [{ id: 'owner-set', level: 'error', message: 'no owner' }],
    );
  });

  it('posts the input and keeps the decision id', async () => {
    const decision = await client.evaluate(ENTRYPOINT, { entity: { spec: {} } });
    expect(decision).toEqual({
      outcome: 'defined',
      result: [{ id: 'owner-set', level: 'error', message: 'no owner' }],
      decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      provenance: undefined,
    });
    expect(await client.evaluate(ENTRYPOINT, { entity: { spec: { owner: 'team-a' } } })).toMatchObject({
      outcome: 'defined',
      result: [],
    });
    expect(opa.calls.data[ENTRYPOINT]).toBe(2);
  });

  it('reports an undefined result as its own outcome, not as no violations', async () => {
    opa.setDecision(ENTRYPOINT, () => SIMULATED_UNDEFINED_RESULT);
    expect(await client.evaluate(ENTRYPOINT, {})).toEqual({
      outcome: 'undefined',
      decisionId: expect.any(String),
      provenance: undefined,
    });
    // An entry point nobody defined is undefined too.
    expect((await client.evaluate('no/such/rule', {})).outcome).toBe('undefined');
  });

  it('turns an OPA error body into a typed error without retrying 4xx', async () => {
    opa.setError(ENTRYPOINT, { status: 400, code: 'invalid_parameter', message: 'bad input' });
    const error = await failure(client.evaluate(ENTRYPOINT, {}));
    expect(error).toMatchObject({ kind: 'http', status: 400, code: 'invalid_parameter' });
    expect(error.message).toContain('bad input');
    expect(opa.calls.data[ENTRYPOINT]).toBe(1);
  });

  it('retries a 500 error body and gives up with the last error', async () => {
    opa.setError(ENTRYPOINT, { status: 500, code: 'internal_error', message: 'eval_conflict_error' });
    const error = await failure(client.evaluate(ENTRYPOINT, {}));
    expect(error).toMatchObject({ kind: 'http', status: 500, code: 'internal_error' });
    expect(opa.calls.data[ENTRYPOINT]).toBe(3);
  });

  it('recovers from transient 503s with back-off', async () => {
    opa.failNext(2);
    const decision = await client.evaluate(ENTRYPOINT, { entity: { spec: { owner: 'x' } } });
    expect(decision.outcome).toBe('defined');
    expect(opa.calls.total).toBe(3);
  });

  it('answers 401 without the token, and the client reports it as unauthorized', async () => {
    const anonymous = new OpaClient({ baseUrl: opa.url, retries: 0 });
    const error = await failure(anonymous.evaluate(ENTRYPOINT, {}));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, code: 'unauthorized' });
    const wrong = new OpaClient({ baseUrl: opa.url, token: 'wrong', retries: 2, retryBaseDelayMs: 1 });
    expect((await failure(wrong.evaluate(ENTRYPOINT, {}))).kind).toBe('unauthorized');
    expect(opa.calls.unauthorized).toBe(2);
  });

  it('times out a slow answer per call', async () => {
    opa.setDelay(500);
    const started = Date.now();
    const error = await failure(client.evaluate(ENTRYPOINT, {}, { timeoutMs: 100 }));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(450);
    // Without an override the client's 1000 ms timeout lets it through.
    expect((await client.evaluate(ENTRYPOINT, { entity: { spec: {} } })).outcome).toBe('defined');
  });

  it('reports a refused connection after retrying', async () => {
    const port = await unusedPort();
    const refused = new OpaClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 1, retryBaseDelayMs: 1 });
    const error = await failure(refused.evaluate(ENTRYPOINT, {}));
    expect(error.kind).toBe('connection');
    expect(error.message).toContain('ECONNREFUSED');
    expect(await refused.health()).toMatchObject({ healthy: false });
  });

  it('lists policies and checks health', async () => {
    opa.setPolicies([{ id: 'policies/catalog.rego', raw: 'package paved.catalog\n' }]);
    expect(await client.listPolicies()).toEqual([{ id: 'policies/catalog.rego', raw: 'package paved.catalog\n' }]);
    expect(await client.health()).toEqual({ healthy: true, status: 200 });
  });

  it('takes the revision from bundle provenance, else from a hash of the modules', async () => {
    opa.setRevision('git-abc123');
    expect(await client.activeRevision()).toBe('paved@git-abc123');
    opa.setRevision(undefined);
    opa.setPolicies([{ id: 'a.rego', raw: 'package a\n' }]);
    const first = await client.activeRevision();
    expect(first).toMatch(/^modules:[0-9a-f]{16}$/);
    expect(await client.activeRevision()).toBe(first);
    opa.setPolicies([{ id: 'a.rego', raw: 'package a\n# changed\n' }]);
    expect(await client.activeRevision()).not.toBe(first);
  });
});
