import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { templateManagementPermission } from '@backstage/plugin-scaffolder-common/alpha';
import { kubernetesLogsReadPermission } from '@paved/plugin-kubernetes-status-common';
import { OpaClient } from '@paved/plugin-policy-node';
import {
  LocalOpaServer,
  repositoryRoot,
  SimulatedOpaServer,
} from '@paved/plugin-policy-node/testUtils';
import { OpaPermissionPolicy, staticPolicy } from './OpaPermissionPolicy';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

// Real OPA: the `opa` binary (PAVED_OPA_BIN; ./platform test builds it).

const TOKEN = 'permission-test-token';
const ENTRYPOINT = 'paved/permission/decision';

// Test-only Rego, next to policies/ in the bundle: answers the shipped
// policy never gives, from a real OPA.
const TEST_REGO = `package paved_test.permission

import rego.v1

# Booleans, which the module maps like "allow" and "deny".
boolean_decision := true if input.permission.attributes.action == "read"

boolean_decision := false if input.permission.attributes.action == "delete"

# Neither "allow" nor "deny".
unexpected_decision := {"allowed": "yes"}

# Two values for one complete rule: OPA answers 500 eval_conflict_error.
conflicting_decision := "allow" if input.permission.name != ""

conflicting_decision := "deny" if input.permission.name != ""
`;

function userOf(ref: string, ownership: string[]): PolicyQueryUser {
  return {
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ref, ownershipEntityRefs: ownership },
  };
}

const developer = userOf('user:default/carol', [
  'user:default/carol',
  'group:default/team-commerce',
]);
// The Rego compares admin groups case-insensitively, like the Paved policy.
const admin = userOf('user:default/alice', [
  'user:default/alice',
  'group:default/Platform-Team',
]);

async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

type Fallback = 'paved' | 'deny' | 'allow';
const paved = new PavedPermissionPolicy({
  adminGroups: ['group:default/platform-team'],
});

function policyWith(
  opa: OpaClient | undefined,
  options: {
    fallback?: Fallback;
    timeoutMs?: number;
    entrypoint?: string;
  } = {},
) {
  const logger = mockServices.logger.mock();
  const fallbackName = options.fallback ?? 'paved';
  const fallback = {
    paved,
    deny: staticPolicy(AuthorizeResult.DENY),
    allow: staticPolicy(AuthorizeResult.ALLOW),
  }[fallbackName];
  const policy = new OpaPermissionPolicy({
    opa,
    entrypoint: options.entrypoint ?? ENTRYPOINT,
    fallback,
    fallbackName,
    timeoutMs: options.timeoutMs ?? 5000,
    logger,
  });
  return { policy, logger };
}

const warnings = (logger: ReturnType<typeof mockServices.logger.mock>) =>
  logger.warn.mock.calls.map(c => String(c[0]));

// The Paved policy allows self-service (location create), denies developers
// administrative actions (location delete) and answers ownership-scoped
// permissions with a condition: three outcomes a static answer cannot produce.
async function expectPavedDecisions(policy: OpaPermissionPolicy) {
  expect(
    (
      await policy.handle(
        { permission: catalogLocationCreatePermission },
        developer,
      )
    ).result,
  ).toBe(AuthorizeResult.ALLOW);
  expect(
    (
      await policy.handle(
        { permission: catalogLocationDeletePermission },
        developer,
      )
    ).result,
  ).toBe(AuthorizeResult.DENY);
  const conditional: PolicyDecision = await policy.handle(
    { permission: catalogEntityDeletePermission },
    developer,
  );
  expect(conditional).toMatchObject({
    result: AuthorizeResult.CONDITIONAL,
    conditions: { rule: 'IS_ENTITY_OWNER' },
  });
}

describe('OpaPermissionPolicy against a real OPA serving policies/ (paved.permission)', () => {
  const testRegoDir = mkdtempSync(join(tmpdir(), 'paved-permission-rego-'));
  writeFileSync(join(testRegoDir, 'permission_faults.rego'), TEST_REGO);
  // Token mode: OPA runs with the cluster's authz policy, as deployed.
  const opa = new LocalOpaServer({
    token: TOKEN,
    bundleDirs: [join(repositoryRoot(), 'policies'), testRegoDir],
  });
  const client = (options: { token?: string; fetch?: typeof fetch } = {}) =>
    new OpaClient({
      baseUrl: opa.url,
      token: options.token ?? TOKEN,
      retries: 0,
      fetch: options.fetch,
    });

  beforeAll(() => opa.start());
  afterAll(async () => {
    await opa.stop();
    rmSync(testRegoDir, { recursive: true, force: true });
  });
  beforeEach(() => opa.resetDecisions());

  it('asks OPA with the permission, its type, attributes, resource type and the user with ownership refs', async () => {
    const { policy } = policyWith(client());
    await policy.handle({ permission: catalogEntityReadPermission }, developer);
    await policy.handle({ permission: catalogLocationDeletePermission });
    expect((await opa.decisions(ENTRYPOINT)).map(d => d.input)).toEqual([
      {
        permission: {
          name: 'catalog.entity.read',
          type: 'resource',
          attributes: { action: 'read' },
          resourceType: 'catalog-entity',
        },
        user: {
          entityRef: 'user:default/carol',
          ownershipEntityRefs: [
            'user:default/carol',
            'group:default/team-commerce',
          ],
        },
      },
      {
        permission: {
          name: 'catalog.location.delete',
          type: 'basic',
          attributes: { action: 'delete' },
        },
        user: null,
      },
    ]);
  });

  // Each case is asked with a deny and an allow fallback: the same answer
  // from both is OPA's, not the fallback's.
  it.each<[string, PolicyQuery, PolicyQueryUser | undefined, AuthorizeResult]>([
    [
      'signed-in users may read',
      { permission: catalogEntityReadPermission },
      developer,
      AuthorizeResult.ALLOW,
    ],
    [
      'requests without a user are denied',
      { permission: catalogEntityReadPermission },
      undefined,
      AuthorizeResult.DENY,
    ],
    [
      'only admins delete shared things',
      { permission: catalogLocationDeletePermission },
      developer,
      AuthorizeResult.DENY,
    ],
    [
      'admins may delete shared things',
      { permission: catalogLocationDeletePermission },
      admin,
      AuthorizeResult.ALLOW,
    ],
    [
      'admins may do everything',
      { permission: templateManagementPermission },
      admin,
      AuthorizeResult.ALLOW,
    ],
  ])('the shipped Rego decides: %s', async (_rule, request, user, expected) => {
    for (const fallback of ['deny', 'allow'] as const) {
      const { policy, logger } = policyWith(client(), { fallback });
      expect(await policy.handle(request, user)).toEqual({ result: expected });
      expect(logger.debug).not.toHaveBeenCalled();
      expect(logger.warn).not.toHaveBeenCalled();
    }
  });

  it('hands what the Rego leaves undefined to the fallback, logged at debug', async () => {
    const { policy, logger } = policyWith(client());
    // Self-service and ownership-scoped permissions: no rule of paved.permission applies.
    await expectPavedDecisions(policy);
    expect(
      await policy.handle(
        { permission: kubernetesLogsReadPermission },
        developer,
      ),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledWith(
      'Permission catalog.location.create decided by the paved fallback: no result at paved/permission/decision',
    );
    expect(logger.debug).toHaveBeenCalledWith(
      'Permission kubernetes-status.logs.read decided by the paved fallback: no result at paved/permission/decision',
    );
    // OPA was asked each time: the fallback decided because the result was undefined.
    expect(await opa.decisions(ENTRYPOINT)).toHaveLength(4);

    // The same undefined result with a static fallback.
    const deny = policyWith(client(), { fallback: 'deny' }).policy;
    expect(
      (
        await deny.handle(
          { permission: catalogLocationCreatePermission },
          developer,
        )
      ).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('hands everything to the fallback when the bundle has no package at the entry point', async () => {
    const { policy, logger } = policyWith(client(), {
      entrypoint: 'paved/retired/decision',
    });
    await expectPavedDecisions(policy);
    expect(logger.debug).toHaveBeenCalledWith(
      'Permission catalog.location.create decided by the paved fallback: no result at paved/retired/decision',
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('maps boolean answers: true is ALLOW, false is DENY', async () => {
    const entrypoint = 'paved_test/permission/boolean_decision';
    const allowFallback = policyWith(client(), {
      entrypoint,
      fallback: 'allow',
    }).policy;
    expect(
      await allowFallback.handle(
        { permission: catalogLocationDeletePermission },
        developer,
      ),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
    const denyFallback = policyWith(client(), {
      entrypoint,
      fallback: 'deny',
    }).policy;
    expect(
      await denyFallback.handle(
        { permission: catalogEntityReadPermission },
        developer,
      ),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('falls back on a result that is neither allow nor deny', async () => {
    const { policy, logger } = policyWith(client(), {
      entrypoint: 'paved_test/permission/unexpected_decision',
    });
    await expectPavedDecisions(policy);
    expect(warnings(logger)[0]).toContain(
      'answered {"allowed":"yes"}, expected "allow" or "deny"',
    );
  });

  it('falls back on an OPA error (eval_conflict_error) and on a rejected token', async () => {
    const failing = policyWith(client(), {
      entrypoint: 'paved_test/permission/conflicting_decision',
    });
    await expectPavedDecisions(failing.policy);
    // OPA names eval_conflict_error only in the body's `errors` list; its message is generic.
    expect(warnings(failing.logger)[0]).toContain(
      'decided by the paved fallback: OPA POST /v1/data/paved_test/permission/conflicting_decision ' +
        'answered 500 internal_error: error(s) occurred while evaluating query',
    );

    const wrongToken = policyWith(client({ token: 'wrong' }));
    await expectPavedDecisions(wrongToken.policy);
    expect(warnings(wrongToken.logger)[0]).toContain(
      'answered 401 unauthorized',
    );
    expect(await opa.decisions(ENTRYPOINT)).toHaveLength(0);
  });

  it('throttles repeated warnings per kind of failure and logs the recovery', async () => {
    const custom = createPermission({
      name: 'paved.custom.read',
      attributes: { action: 'read' },
    });
    const refused = await refusedUrl();
    // The same client loses OPA (its calls go to a port nothing listens on), then finds it again.
    let down = true;
    const switching: typeof fetch = (url, init) =>
      fetch(down ? String(url).replace(opa.url, refused) : url, init);
    const { policy, logger } = policyWith(client({ fetch: switching }), {
      fallback: 'deny',
    });
    for (let i = 0; i < 5; i++) {
      expect(
        (await policy.handle({ permission: custom }, developer)).result,
      ).toBe(AuthorizeResult.DENY);
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    down = false;
    // The Rego allows reads; the deny fallback would not.
    expect(
      (await policy.handle({ permission: custom }, developer)).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(logger.info).toHaveBeenCalledWith(
      'OPA answers permission decisions again, after 5 decided by the deny fallback',
    );
  });
});

describe('OpaPermissionPolicy without an answer from OPA', () => {
  it('falls back to the Paved policy on a refused connection, and says so once', async () => {
    const { policy, logger } = policyWith(
      new OpaClient({ baseUrl: await refusedUrl(), retries: 0 }),
    );
    await expectPavedDecisions(policy);
    expect(warnings(logger)).toEqual([
      expect.stringMatching(
        /^Permission catalog.location.create decided by the paved fallback: OPA at http:\/\/127.0.0.1:\d+ not reachable: ECONNREFUSED$/,
      ),
    ]);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('uses the configured static fallback: deny or allow', async () => {
    const opa = new OpaClient({ baseUrl: await refusedUrl(), retries: 0 });
    const deny = policyWith(opa, { fallback: 'deny' }).policy;
    expect(
      (
        await deny.handle(
          { permission: catalogLocationCreatePermission },
          developer,
        )
      ).result,
    ).toBe(AuthorizeResult.DENY);
    const allow = policyWith(opa, { fallback: 'allow' }).policy;
    expect(
      (
        await allow.handle(
          { permission: catalogLocationDeletePermission },
          developer,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('falls back when no OPA is configured', async () => {
    const { policy, logger } = policyWith(undefined);
    await expectPavedDecisions(policy);
    expect(warnings(logger)[0]).toContain('policy.opa.baseUrl is not set');
  });

  // A real OPA cannot be made to answer slowly on demand: the SIMULATED OPA
  // server delays its answers. Every decision asserted here is the fallback's.
  it('falls back on a timeout (a SIMULATED OPA answering slowly), without waiting for the answer', async () => {
    const simulated = new SimulatedOpaServer({ token: TOKEN });
    await simulated.start();
    try {
      simulated.setDecision(ENTRYPOINT, () => 'allow');
      simulated.setDelay(3000);
      const { policy, logger } = policyWith(
        new OpaClient({ baseUrl: simulated.url, token: TOKEN, retries: 0 }),
        {
          timeoutMs: 100,
        },
      );
      const started = Date.now();
      await expectPavedDecisions(policy);
      // Three decisions at the 100 ms timeout, not after the 3 s answers.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(warnings(logger)[0]).toMatch(
        /decided by the paved fallback: OPA POST \/v1\/data\/paved\/permission\/decision timed out after 100 ms/,
      );
      // OPA was asked each time (the simulated server counts a request before its delay).
      expect(simulated.calls.total).toBe(3);
    } finally {
      await simulated.stop();
    }
  });
});
