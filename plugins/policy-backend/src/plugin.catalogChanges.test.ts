import { Entity } from '@backstage/catalog-model';
import { POLICY_ENTITY_CHANGED_TOPIC } from '@paved/plugin-policy-node';
import { LocalOpaServer } from '@paved/plugin-policy-node/testUtils';
import { decidedEntityNames } from './__testUtils__/decisionLog';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { startPolicyBackend } from './__testUtils__/policyTestBackend';
import { scaledMs } from '@paved/test-timing';

const DEBOUNCE_MS = 300;
// Long enough past the debounce for a batch of a few entities on a loaded machine.
const SETTLE_MS = DEBOUNCE_MS + 1500;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const group = (description: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-a', namespace: 'default', description },
  spec: { type: 'team', children: [] },
});

const component = (
  name: string,
  description: string,
  owner = 'team-a',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', description },
  spec: { type: 'service', lifecycle: 'production', owner },
});

describe('re-evaluation after catalog changes (real OPA, events service)', () => {
  const opa = new LocalOpaServer({ revision: 'rev-1' });
  const entities = {
    current: [
      group('v1'),
      component('orders', 'v1'),
      component('billing', 'v1'),
      component('audit', 'v1', 'team-b'),
    ],
  };
  let decidedByFirstRun: string[] = [];
  /** Names of the entities OPA decided on since the last reset, from its decision log. */
  const decided = async () => decidedEntityNames(await opa.decisions());
  let env: Awaited<ReturnType<typeof startPolicyBackend>>;

  const announce = (entityRef: string) =>
    env.events.publish({
      topic: POLICY_ENTITY_CHANGED_TOPIC,
      eventPayload: { entityRef },
    });

  beforeAll(async () => {
    await opa.start();
    env = await startPolicyBackend({
      opa: { baseUrl: opa.url, timeoutMs: scaledMs(10_000), retries: 0 },
      entities,
      policy: { catalogChanges: { debounceMs: DEBOUNCE_MS } },
    });
    await env.run();
    decidedByFirstRun = await decided();
  });

  beforeEach(() => opa.resetDecisions());

  afterAll(async () => {
    await env.backend.stop();
    await opa.stop();
  });

  it('has the scheduled run evaluate every entity first (the baseline)', () => {
    expect(decidedByFirstRun).toEqual(['audit', 'billing', 'orders', 'team-a']);
  });

  it('subscribes to the topic', () => {
    expect(env.subscribe).toHaveBeenCalledWith(
      expect.objectContaining({ topics: [POLICY_ENTITY_CHANGED_TOPIC] }),
    );
  });

  it('makes no OPA call at all for an announced entity whose input did not change', async () => {
    await announce('component:default/orders');
    await sleep(SETTLE_MS);
    // Not even the revision lookup.
    expect(await opa.decisions()).toEqual([]);
  });

  it('evaluates a changed entity once after the debounce, however often it was announced', async () => {
    // A blank description: the real description-present rule fires.
    entities.current = entities.current.map(e =>
      e.metadata.name === 'orders' ? component('orders', ' ') : e,
    );
    await announce('component:default/orders');
    await announce('component:default/orders');
    await sleep(DEBOUNCE_MS / 3);
    expect(await decided()).toEqual([]);
    await sleep(SETTLE_MS);
    expect(await decided()).toEqual(['orders']);
    const res = await request(env.server)
      .get('/api/policy/entities/component/default/orders/findings')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f: { id: string }) => f.id)).toContain(
      'description-present',
    );
  });

  it('re-evaluates the entities whose owner changed, and only them', async () => {
    entities.current = entities.current.map(e =>
      e.kind === 'Group' ? group('v2') : e,
    );
    await announce('group:default/team-a');
    await sleep(SETTLE_MS);
    expect(await decided()).toEqual(['billing', 'orders', 'team-a']);
    opa.resetDecisions();
    // Announced again with nothing changed since: nothing to do.
    await announce('group:default/team-a');
    await sleep(SETTLE_MS);
    expect(await opa.decisions()).toEqual([]);
  });

  it('ignores refs that are not in the catalog or not refs at all', async () => {
    await env.events.publish({
      topic: POLICY_ENTITY_CHANGED_TOPIC,
      eventPayload: { entityRef: 'component:default/gone' },
    });
    await env.events.publish({
      topic: POLICY_ENTITY_CHANGED_TOPIC,
      eventPayload: { entityRef: 'not a ref::' },
    });
    await env.events.publish({
      topic: POLICY_ENTITY_CHANGED_TOPIC,
      eventPayload: { something: 'else' },
    });
    await sleep(SETTLE_MS);
    expect(await opa.decisions()).toEqual([]);
  });
});

describe('catalog change subscription is off', () => {
  it('without a policy engine', async () => {
    const env = await startPolicyBackend({ entities: { current: [] } });
    expect(env.subscribe).not.toHaveBeenCalled();
    await env.backend.stop();
  });

  it('with policy.catalogChanges.enabled false', async () => {
    const opa = new LocalOpaServer();
    await opa.start();
    const env = await startPolicyBackend({
      opa: { baseUrl: opa.url },
      entities: { current: [] },
      policy: { catalogChanges: { enabled: false } },
    });
    expect(env.subscribe).not.toHaveBeenCalled();
    await env.backend.stop();
    await opa.stop();
  });
});
