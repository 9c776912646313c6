import { createServer } from 'node:net';
import request from 'supertest';
import { JsonObject } from '@backstage/types';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import { permissionModulePavedPolicy } from './module';

const ENTRYPOINT = 'paved/permission/decision';

async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

// Basic permissions the Paved policy answers differently: self-service
// (allowed) and administration (denied to developers).
const locationCreate = { type: 'basic', name: 'catalog.location.create', attributes: { action: 'create' } };
const locationDelete = { type: 'basic', name: 'catalog.location.delete', attributes: { action: 'delete' } };

/**
 * The real permission backend with this module, asked over HTTP the way
 * every other plugin asks it (`POST /api/permission/authorize`).
 */
async function permissionBackend(config: JsonObject) {
  const logger = mockServices.logger.mock();
  const { server } = await startTestBackend({
    features: [
      permissionPlugin,
      permissionModulePavedPolicy,
      logger.factory,
      mockServices.rootConfig.factory({ data: { permission: { enabled: true }, ...config } }),
    ],
  });
  const authorize = async (...permissions: object[]) => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('authorization', mockCredentials.user.header('user:default/carol'))
      .send({ items: permissions.map((permission, i) => ({ id: String(i), permission })) });
    expect(res.status).toBe(200);
    return res.body.items.map((item: { result: string }) => item.result);
  };
  return { authorize, logger };
}

describe('the paved-policy module in the permission backend', () => {
  const opa = new SimulatedOpaServer();

  beforeAll(() => opa.start());
  afterAll(() => opa.stop());
  beforeEach(() => {
    opa.resetCalls();
    opa.setDelay(0);
    // OPA would allow anything: visible only when OPA is really asked.
    opa.setDecision(ENTRYPOINT, () => 'allow');
  });

  it('installs the Paved policy and never asks OPA unless permission.opa.enabled is set', async () => {
    const { authorize, logger } = await permissionBackend({ policy: { opa: { baseUrl: opa.url } } });
    expect(await authorize(locationCreate, locationDelete)).toEqual(['ALLOW', 'DENY']);
    expect(opa.calls.total).toBe(0);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('asks OPA when enabled', async () => {
    const { authorize } = await permissionBackend({
      permission: { enabled: true, opa: { enabled: true } },
      policy: { opa: { baseUrl: opa.url } },
    });
    expect(await authorize(locationCreate, locationDelete)).toEqual(['ALLOW', 'ALLOW']);
    expect(opa.calls.data[ENTRYPOINT]).toBe(2);
  });

  it('falls back to the Paved policy when OPA refuses the connection', async () => {
    const { authorize, logger } = await permissionBackend({
      permission: { enabled: true, opa: { enabled: true } },
      policy: { opa: { baseUrl: await refusedUrl() } },
    });
    expect(await authorize(locationCreate, locationDelete)).toEqual(['ALLOW', 'DENY']);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('decided by the paved fallback'));
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('falls back to the configured deny when OPA answers too slowly', async () => {
    opa.setDelay(400);
    const { authorize } = await permissionBackend({
      permission: { enabled: true, opa: { enabled: true, fallback: 'deny', timeoutMs: 100 } },
      policy: { opa: { baseUrl: opa.url } },
    });
    expect(await authorize(locationCreate, locationDelete)).toEqual(['DENY', 'DENY']);
    expect(opa.calls.total).toBe(2);
  });

  it('starts without OPA configured, with a warning and the fallback deciding', async () => {
    const { authorize, logger } = await permissionBackend({ permission: { enabled: true, opa: { enabled: true } } });
    expect(await authorize(locationCreate, locationDelete)).toEqual(['ALLOW', 'DENY']);
    expect(logger.warn).toHaveBeenCalledWith(
      'permission.opa.enabled is true but policy.opa.baseUrl is not set: the paved fallback decides every permission',
    );
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('warns at start-up that an allow fallback grants everything while OPA is down', async () => {
    const { authorize, logger } = await permissionBackend({
      permission: { enabled: true, opa: { enabled: true, fallback: 'allow' } },
      policy: { opa: { baseUrl: await refusedUrl() } },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'permission.opa.fallback is allow: whenever OPA gives no answer, every permission is granted',
    );
    expect(await authorize(locationCreate, locationDelete)).toEqual(['ALLOW', 'ALLOW']);
  });

  it('refuses to start with an unknown fallback', async () => {
    await expect(
      permissionBackend({ permission: { enabled: true, opa: { enabled: true, fallback: 'maybe' } } }),
    ).rejects.toThrow('permission.opa.fallback must be one of paved, deny, allow, got "maybe"');
  });
});
