import { createServer } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult, createPermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { OpaClient } from '@paved/plugin-policy-node';
import { SIMULATED_UNDEFINED_RESULT, SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import { OpaPermissionPolicy, staticPolicy } from './OpaPermissionPolicy';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

const TOKEN = 'permission-test-token';
const ENTRYPOINT = 'paved/permission/decision';

function userOf(ref: string, ownership: string[]): PolicyQueryUser {
  return {
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ref, ownershipEntityRefs: ownership },
  };
}

const developer = userOf('user:default/carol', ['user:default/carol', 'group:default/team-commerce']);

async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

describe('OpaPermissionPolicy against the simulated OPA server over HTTP', () => {
  const opa = new SimulatedOpaServer({ token: TOKEN });
  const paved = new PavedPermissionPolicy({ adminGroups: ['group:default/platform-team'] });
  let inputs: any[];

  beforeAll(() => opa.start());
  afterAll(() => opa.stop());
  beforeEach(() => {
    opa.resetCalls();
    opa.setDelay(0);
    inputs = [];
    // A test-defined stand-in for the Rego: deletes denied, everything else allowed.
    opa.setDecision(ENTRYPOINT, (input: any) => {
      inputs.push(input);
      return input.permission.attributes.action === 'delete' ? 'deny' : 'allow';
    });
  });

  function policyAt(baseUrl: string, options: { fallback?: 'paved' | 'deny' | 'allow'; timeoutMs?: number; token?: string } = {}) {
    const logger = mockServices.logger.mock();
    const fallbackName = options.fallback ?? 'paved';
    const fallback = { paved, deny: staticPolicy(AuthorizeResult.DENY), allow: staticPolicy(AuthorizeResult.ALLOW) }[fallbackName];
    const policy = new OpaPermissionPolicy({
      opa: new OpaClient({ baseUrl, token: options.token ?? TOKEN, retries: 0 }),
      entrypoint: ENTRYPOINT,
      fallback,
      fallbackName,
      timeoutMs: options.timeoutMs ?? 1000,
      logger,
    });
    return { policy, logger };
  }
  const warnings = (logger: ReturnType<typeof mockServices.logger.mock>) => logger.warn.mock.calls.map(c => String(c[0]));

  it('asks OPA with the permission, its type, attributes, resource type and the user with ownership refs', async () => {
    const { policy } = policyAt(opa.url);
    await policy.handle({ permission: catalogEntityReadPermission }, developer);
    await policy.handle({ permission: catalogLocationDeletePermission });
    expect(inputs).toEqual([
      {
        permission: {
          name: 'catalog.entity.read',
          type: 'resource',
          attributes: { action: 'read' },
          resourceType: 'catalog-entity',
        },
        user: { entityRef: 'user:default/carol', ownershipEntityRefs: ['user:default/carol', 'group:default/team-commerce'] },
      },
      { permission: { name: 'catalog.location.delete', type: 'basic', attributes: { action: 'delete' } }, user: null },
    ]);
    expect(opa.calls.unauthorized).toBe(0);
  });

  it("maps OPA's allow and deny (strings or booleans) to decisions, overriding the Paved policy", async () => {
    const { policy } = policyAt(opa.url);
    // Paved would deny a developer deleting a location; OPA decides here.
    opa.setDecision(ENTRYPOINT, () => 'allow');
    expect(await policy.handle({ permission: catalogLocationDeletePermission }, developer)).toEqual({ result: AuthorizeResult.ALLOW });
    opa.setDecision(ENTRYPOINT, () => 'deny');
    expect(await policy.handle({ permission: catalogLocationCreatePermission }, developer)).toEqual({ result: AuthorizeResult.DENY });
    opa.setDecision(ENTRYPOINT, () => true);
    expect((await policy.handle({ permission: catalogLocationDeletePermission }, developer)).result).toBe(AuthorizeResult.ALLOW);
    opa.setDecision(ENTRYPOINT, () => false);
    expect((await policy.handle({ permission: catalogLocationCreatePermission }, developer)).result).toBe(AuthorizeResult.DENY);
  });

  // The Paved policy allows self-service (location create) and denies
  // developers administrative actions (location delete) and answers
  // ownership-scoped permissions with a condition: three outcomes a static
  // answer cannot produce.
  async function expectPavedDecisions(policy: OpaPermissionPolicy) {
    expect((await policy.handle({ permission: catalogLocationCreatePermission }, developer)).result).toBe(AuthorizeResult.ALLOW);
    expect((await policy.handle({ permission: catalogLocationDeletePermission }, developer)).result).toBe(AuthorizeResult.DENY);
    const conditional: PolicyDecision = await policy.handle({ permission: catalogEntityDeletePermission }, developer);
    expect(conditional).toMatchObject({ result: AuthorizeResult.CONDITIONAL, conditions: { rule: 'IS_ENTITY_OWNER' } });
  }

  it('falls back to the Paved policy on a refused connection, and says so once', async () => {
    const { policy, logger } = policyAt(await refusedUrl());
    await expectPavedDecisions(policy);
    expect(warnings(logger)).toEqual([
      expect.stringMatching(/^Permission catalog.location.create decided by the paved fallback: OPA at http:\/\/127.0.0.1:\d+ not reachable: ECONNREFUSED$/),
    ]);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('falls back on a timeout (OPA answering slowly), without waiting for the answer', async () => {
    opa.setDelay(1500);
    const { policy, logger } = policyAt(opa.url, { timeoutMs: 100 });
    const started = Date.now();
    await expectPavedDecisions(policy);
    // Three decisions at the 100 ms timeout, not after OPA's 1.5 s answers.
    expect(Date.now() - started).toBeLessThan(1400);
    expect(warnings(logger)[0]).toMatch(/decided by the paved fallback: OPA POST \/v1\/data\/paved\/permission\/decision timed out after 100 ms/);
    // OPA was asked each time (the simulated server counts a request before its delay).
    expect(opa.calls.total).toBe(3);
  });

  it('falls back on an OPA error body and on a rejected token', async () => {
    opa.setError(ENTRYPOINT, { status: 500, code: 'internal_error', message: 'eval_conflict_error' });
    const failing = policyAt(opa.url);
    await expectPavedDecisions(failing.policy);
    expect(warnings(failing.logger)[0]).toContain('answered 500 internal_error: eval_conflict_error');

    opa.setDecision(ENTRYPOINT, () => 'allow');
    const wrongToken = policyAt(opa.url, { token: 'wrong' });
    await expectPavedDecisions(wrongToken.policy);
    expect(warnings(wrongToken.logger)[0]).toContain('answered 401 unauthorized');
  });

  it('falls back on an undefined result (the policy leaves the permission to the fallback), logged at debug', async () => {
    opa.setDecision(ENTRYPOINT, () => SIMULATED_UNDEFINED_RESULT);
    const { policy, logger } = policyAt(opa.url);
    await expectPavedDecisions(policy);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledWith(
      'Permission catalog.location.create decided by the paved fallback: no result at paved/permission/decision',
    );
  });

  it('falls back on a result that is neither allow nor deny', async () => {
    opa.setDecision(ENTRYPOINT, () => ({ allowed: 'yes' }));
    const { policy, logger } = policyAt(opa.url);
    await expectPavedDecisions(policy);
    expect(warnings(logger)[0]).toContain('answered {"allowed":"yes"}, expected "allow" or "deny"');
  });

  it('uses the configured static fallback: deny or allow', async () => {
    const url = await refusedUrl();
    const deny = policyAt(url, { fallback: 'deny' }).policy;
    expect((await deny.handle({ permission: catalogLocationCreatePermission }, developer)).result).toBe(AuthorizeResult.DENY);
    const allow = policyAt(url, { fallback: 'allow' }).policy;
    expect((await allow.handle({ permission: catalogLocationDeletePermission }, developer)).result).toBe(AuthorizeResult.ALLOW);
  });

  it('falls back when no OPA is configured', async () => {
    const logger = mockServices.logger.mock();
    const policy = new OpaPermissionPolicy({ entrypoint: ENTRYPOINT, fallback: paved, fallbackName: 'paved', timeoutMs: 100, logger });
    await expectPavedDecisions(policy);
    expect(warnings(logger)[0]).toContain('policy.opa.baseUrl is not set');
    expect(opa.calls.total).toBe(0);
  });

  it('throttles repeated warnings per kind of failure and logs the recovery', async () => {
    const custom = createPermission({ name: 'paved.custom.read', attributes: { action: 'read' } });
    opa.setError(ENTRYPOINT, { status: 503, code: 'unavailable', message: 'restarting' });
    const { policy, logger } = policyAt(opa.url);
    for (let i = 0; i < 5; i++) await policy.handle({ permission: custom }, developer);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    opa.setDecision(ENTRYPOINT, () => 'allow');
    expect((await policy.handle({ permission: custom }, developer)).result).toBe(AuthorizeResult.ALLOW);
    expect(logger.info).toHaveBeenCalledWith(
      'OPA answers permission decisions again, after 5 decided by the paved fallback',
    );
  });
});
