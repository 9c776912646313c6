import { createServer } from 'node:net';
import request from 'supertest';
import { JsonObject } from '@backstage/types';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  LocalOpaServer,
  SimulatedOpaServer,
} from '@paved/plugin-policy-node/testUtils';
import { permissionModulePavedPolicy } from './module';

// Real OPA: the `opa` binary (PAVED_OPA_BIN; ./platform test builds it).

const ENTRYPOINT = 'paved/permission/decision';

async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

// Basic permissions the Paved policy answers differently: self-service
// (allowed) and administration (denied to developers). policies/permission
// denies the second and leaves the first to the fallback (undefined).
const locationCreate = {
  type: 'basic',
  name: 'catalog.location.create',
  attributes: { action: 'create' },
};
const locationDelete = {
  type: 'basic',
  name: 'catalog.location.delete',
  attributes: { action: 'delete' },
};
// A read, which policies/permission allows every signed-in user (basic: a
// user's direct request for a resource permission needs a resource ref).
const read = {
  type: 'basic',
  name: 'paved.example.read',
  attributes: { action: 'read' },
};

/**
 * The real permission backend with this module, asked over HTTP the way
 * every other plugin asks it (`POST /api/permission/authorize`), for
 * user:default/carol (member of the given groups).
 */
async function permissionBackend(
  config: JsonObject,
  options: { groups?: string[] } = {},
) {
  const logger = mockServices.logger.mock();
  const userEntityRef = 'user:default/carol';
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...(options.groups ?? [])],
    }),
  });
  const { server } = await startTestBackend({
    features: [
      permissionPlugin,
      permissionModulePavedPolicy,
      logger.factory,
      userInfo.factory,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, ...config },
      }),
    ],
  });
  const authorize = async (...permissions: object[]) => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('authorization', mockCredentials.user.header(userEntityRef))
      .send({
        items: permissions.map((permission, i) => ({
          id: String(i),
          permission,
        })),
      });
    expect(res.status).toBe(200);
    return res.body.items.map((item: { result: string }) => item.result);
  };
  return { authorize, logger };
}

const opaEnabled = (baseUrl: string, opa: JsonObject = {}) => ({
  permission: { enabled: true, opa: { enabled: true, ...opa } },
  policy: { opa: { baseUrl } },
});

describe('the paved-policy module in the permission backend, with a real OPA serving policies/', () => {
  const opa = new LocalOpaServer();

  beforeAll(() => opa.start());
  afterAll(() => opa.stop());
  beforeEach(() => opa.resetDecisions());

  it('installs the Paved policy and never asks OPA unless permission.opa.enabled is set', async () => {
    const { authorize, logger } = await permissionBackend({
      policy: { opa: { baseUrl: opa.url } },
    });
    expect(await authorize(locationCreate, locationDelete)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    expect(await opa.decisions()).toEqual([]);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it("when enabled, OPA's allow and deny are the decision, whatever the fallback", async () => {
    const denyFallback = await permissionBackend(
      opaEnabled(opa.url, { fallback: 'deny' }),
    );
    expect(await denyFallback.authorize(read, locationDelete)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    const allowFallback = await permissionBackend(
      opaEnabled(opa.url, { fallback: 'allow' }),
    );
    expect(await allowFallback.authorize(read, locationDelete)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    const inputs = (await opa.decisions(ENTRYPOINT)).map(d => d.input as any);
    expect(inputs).toHaveLength(4);
    expect(inputs[1]).toEqual({
      permission: {
        name: 'catalog.location.delete',
        type: 'basic',
        attributes: { action: 'delete' },
      },
      user: {
        entityRef: 'user:default/carol',
        ownershipEntityRefs: ['user:default/carol'],
      },
    });
  });

  it("asks OPA with the user's groups: platform-team members may delete locations", async () => {
    const { authorize } = await permissionBackend(
      opaEnabled(opa.url, { fallback: 'deny' }),
      {
        groups: ['group:default/platform-team'],
      },
    );
    expect(await authorize(locationDelete)).toEqual(['ALLOW']);
  });

  it('hands a permission the Rego leaves undefined to the fallback', async () => {
    // Location create: no rule of paved.permission applies.
    expect(
      await (
        await permissionBackend(opaEnabled(opa.url))
      ).authorize(locationCreate),
    ).toEqual(['ALLOW']);
    expect(
      await (
        await permissionBackend(opaEnabled(opa.url, { fallback: 'deny' }))
      ).authorize(locationCreate),
    ).toEqual(['DENY']);
    expect(await opa.decisions(ENTRYPOINT)).toHaveLength(2);
  });
});

describe('the paved-policy module in the permission backend, without an answer from OPA', () => {
  it('falls back to the Paved policy when OPA refuses the connection', async () => {
    const { authorize, logger } = await permissionBackend(
      opaEnabled(await refusedUrl()),
    );
    expect(await authorize(locationCreate, locationDelete)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('decided by the paved fallback'),
    );
    expect(logger.error).not.toHaveBeenCalled();
  });

  // A real OPA cannot be made to answer slowly on demand: the SIMULATED OPA
  // server delays its answers. The decisions asserted are the fallback's.
  it('falls back to the configured deny when OPA answers too slowly (SIMULATED OPA)', async () => {
    const simulated = new SimulatedOpaServer();
    await simulated.start();
    try {
      simulated.setDecision(ENTRYPOINT, () => 'allow');
      simulated.setDelay(2000);
      const { authorize } = await permissionBackend(
        opaEnabled(simulated.url, { fallback: 'deny', timeoutMs: 100 }),
      );
      expect(await authorize(locationCreate, locationDelete)).toEqual([
        'DENY',
        'DENY',
      ]);
      expect(simulated.calls.total).toBe(2);
    } finally {
      await simulated.stop();
    }
  });

  it('starts without OPA configured, with a warning and the fallback deciding', async () => {
    const { authorize, logger } = await permissionBackend({
      permission: { enabled: true, opa: { enabled: true } },
    });
    expect(await authorize(locationCreate, locationDelete)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      'permission.opa.enabled is true but policy.opa.baseUrl is not set: the paved fallback decides every permission',
    );
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('warns at start-up that an allow fallback grants everything while OPA is down', async () => {
    const { authorize, logger } = await permissionBackend(
      opaEnabled(await refusedUrl(), { fallback: 'allow' }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'permission.opa.fallback is allow: whenever OPA gives no answer, every permission is granted',
    );
    expect(await authorize(locationCreate, locationDelete)).toEqual([
      'ALLOW',
      'ALLOW',
    ]);
  });

  it('refuses to start with an unknown fallback', async () => {
    await expect(
      permissionBackend({
        permission: {
          enabled: true,
          opa: { enabled: true, fallback: 'maybe' },
        },
      }),
    ).rejects.toThrow(
      'permission.opa.fallback must be one of paved, deny, allow, got "maybe"',
    );
  });
});
