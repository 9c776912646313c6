import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  LocalOpaServer,
  SimulatedOpaServer,
} from '@paved/plugin-policy-node/testUtils';
import { decidedEntityNames } from './__testUtils__/decisionLog';
import knexFactory from 'knex';
// Tests wire the real shared cache factory (a root service), as packages/backend does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { kubernetesObjectCacheServiceFactory } from '@paved/plugin-kubernetes-status-backend';
import { policyTestDatabases } from './__testUtils__/testDatabases';
import { policyPlugin } from './plugin';
import { scaledMs } from '@paved/test-timing';

jest.setTimeout(scaledMs(90_000));

const { databases } = policyTestDatabases();

const entities: Entity[] = Array.from({ length: 12 }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: `service-${i}`, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
}));

describe('two backends sharing one PostgreSQL database', () => {
  it('run the scheduled evaluation once between them', async () => {
    const opa = new LocalOpaServer();
    await opa.start();
    // Real decisions, answered slowly enough that two concurrent runs would overlap.
    const slow = new SimulatedOpaServer({ upstream: opa.url });
    await slow.start();
    slow.setDelay(50);
    const knex = await databases.init('POSTGRES_15');
    const replica = () =>
      startTestBackend({
        features: [
          policyPlugin,
          schedulerServiceFactory,
          kubernetesObjectCacheServiceFactory,
          // Each replica has its own connection pool to the same database.
          mockServices.database.factory({
            knex: knexFactory(knex.client.config),
          }),
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({
            data: {
              policy: {
                opa: { baseUrl: slow.url, timeoutMs: 5000 },
                schedule: {
                  frequency: { minutes: 30 },
                  timeout: { minutes: 2 },
                  initialDelay: { seconds: 0 },
                },
              },
            },
          }),
        ],
      });
    const [a, b] = await Promise.all([replica(), replica()]);
    try {
      const runs = () =>
        knex('policy_runs')
          .whereNotNull('finished_at')
          .count({ n: '*' })
          .first();
      const deadline = Date.now() + 30_000;
      while (Number((await runs())?.n ?? 0) < 1) {
        if (Date.now() > deadline) throw new Error('no scheduled run finished');
        await new Promise(r => setTimeout(r, 250));
      }
      // Give the other replica's worker time to (wrongly) run it too.
      await new Promise(r => setTimeout(r, 7_000));
      expect(Number((await runs())?.n)).toBe(1);
      expect(
        Number((await knex('policy_runs').count({ n: '*' }).first())?.n),
      ).toBe(1);
      // OPA decided on each entity once.
      expect(decidedEntityNames(await opa.decisions())).toEqual(
        entities.map(e => e.metadata.name).sort(),
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await slow.stop();
      await opa.stop();
    }
  });
});
