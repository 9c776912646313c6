import { createServer } from 'node:net';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { createMockDirectory, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { NO_POLICY_ENGINE_MESSAGE } from '@paved/plugin-policy-common';
import { SIMULATED_UNDEFINED_RESULT, SimulatedOpaServer } from '@paved/plugin-policy-node/testUtils';
import { createPolicyCheckAction } from './policyCheck';

const TOKEN = 'scaffolder-test-token';
const CATALOG = 'paved/catalog/violations';
const WORKLOAD = 'paved/workload/violations';

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-commerce', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const catalogInfo = (spec: Record<string, unknown>) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: Orders service
spec:
  type: service
  lifecycle: experimental
${Object.entries(spec)
  .map(([k, v]) => `  ${k}: ${v}`)
  .join('\n')}
`;

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: ${image}
`;

// Test-defined stand-ins for the Rego rules: they read the same input the
// real policies read, so a wrong input shape changes the findings.
function catalogRules(input: any) {
  const violations = [];
  if (!input.entity.spec?.owner) {
    violations.push({ id: 'owner-set', level: 'error', message: 'spec.owner is not set', remediation: 'Set spec.owner.' });
  } else if (input.owner === null) {
    violations.push({
      id: 'owner-resolvable',
      level: 'error',
      message: `spec.owner ${input.entity.spec.owner} does not match any entity in the catalog`,
      remediation: 'Fix the reference in spec.owner.',
      docsUrl: 'https://backstage.io/docs/features/software-catalog/references',
    });
  }
  if (!input.entity.spec?.system) {
    violations.push({ id: 'system-set', level: 'warning', message: 'spec.system is not set', remediation: 'Set spec.system.' });
  }
  return violations;
}

function workloadRules(input: any) {
  return input.manifests
    .filter((m: any) => m.kind === 'Deployment')
    .flatMap((m: any) =>
      m.spec.template.spec.containers
        .filter((c: any) => c.image.endsWith(':latest'))
        .map((c: any) => ({
          id: 'image-pinned',
          level: 'error',
          message: `container ${c.name} uses ${c.image}`,
          remediation: 'Pin the image to a version or digest.',
          resource: { apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata.namespace, name: m.metadata.name },
        })),
    );
}

async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

describe('policy:check against the simulated OPA server over HTTP', () => {
  const opa = new SimulatedOpaServer({ token: TOKEN });
  const workspace = createMockDirectory();
  const outside = createMockDirectory();
  const inputs: Record<string, any[]> = {};

  beforeAll(() => opa.start());
  afterAll(() => opa.stop());
  beforeEach(() => {
    opa.resetCalls();
    opa.setDelay(0);
    opa.setRevision('git-abc123');
    inputs[CATALOG] = [];
    inputs[WORKLOAD] = [];
    opa.setDecision(CATALOG, input => {
      inputs[CATALOG].push(input);
      return catalogRules(input);
    });
    opa.setDecision(WORKLOAD, input => {
      inputs[WORKLOAD].push(input);
      return workloadRules(input);
    });
  });

  function setup(options: { opa?: JsonObject; scaffolder?: JsonObject; input?: JsonObject } = {}) {
    const config = new ConfigReader({
      policy: {
        opa: options.opa ?? { baseUrl: opa.url, token: TOKEN, timeoutMs: 1000, retries: 0 },
        ...(options.scaffolder ? { scaffolder: options.scaffolder } : {}),
      },
    });
    const action = createPolicyCheckAction({ config, catalog: catalogServiceMock({ entities: [team] }) });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({ input: options.input ?? {}, workspacePath: workspace.path, logger });
    return { action, ctx, logger, run: () => action.handler(ctx as any) };
  }

  const outputs = (ctx: { output: jest.Mock | any }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls.map(([name, value]) => [name, value]));
  const logged = (fn: jest.MockInstance<void, any[]>) => fn.mock.calls.map(call => String(call[0])).join('\n');

  it('passes compliant files: entity with resolved owner, manifests from all default folders, decision ids out', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }),
      'k8s/deployment.yaml': deployment('orders', 'registry/orders:1.2.3'),
      'deploy/worker.yml': `${deployment('worker', 'registry/worker:2.0.0')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n`,
      'README.md': '# not checked',
    });
    const { run, ctx } = setup();
    await expect(run()).resolves.toBeUndefined();

    expect(inputs[CATALOG]).toHaveLength(1);
    expect(inputs[CATALOG][0]).toEqual({
      entity: expect.objectContaining({ kind: 'Component', metadata: expect.objectContaining({ name: 'orders' }) }),
      owner: expect.objectContaining({ kind: 'Group', metadata: expect.objectContaining({ name: 'team-commerce' }) }),
      system: null,
    });
    expect(inputs[WORKLOAD]).toHaveLength(1);
    expect(inputs[WORKLOAD][0].entity.metadata.name).toBe('orders');
    expect(inputs[WORKLOAD][0].manifests.map((m: any) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Deployment/worker',
      'Service/orders',
      'Deployment/orders',
    ]);
    const out = outputs(ctx);
    expect(out.findings).toEqual([]);
    expect(out.counts).toEqual({ error: 0, warning: 0, info: 0 });
    expect(out.decisionIds).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(out.engineAvailable).toBe(true);
    expect(opa.calls.unauthorized).toBe(0);
  });

  it('fails on error-level violations with a readable list: rule id, message, remediation, file', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({ owner: 'team-nobody', system: 'shop' }),
      'kubernetes/app.yaml': deployment('orders', 'registry/orders:latest'),
    });
    const { run, ctx } = setup();
    const error = await run().catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('policy:check found 2 violations at level error or above');
    expect(error.message).toContain(
      '1. [error] owner-resolvable (paved.catalog/violations) in catalog-info.yaml, Component default/orders: ' +
        'spec.owner team-nobody does not match any entity in the catalog',
    );
    expect(error.message).toContain('   Remediation: Fix the reference in spec.owner.');
    expect(error.message).toContain('   Docs: https://backstage.io/docs/features/software-catalog/references');
    expect(error.message).toContain(
      '2. [error] image-pinned (paved.workload/violations) in kubernetes/app.yaml, Deployment shop/orders: container app uses registry/orders:latest',
    );
    expect(error.message).toContain('   Remediation: Pin the image to a version or digest.');
    const out = outputs(ctx);
    expect(out.findings).toHaveLength(2);
    expect(out.findings[1]).toMatchObject({ source: 'workload', id: 'image-pinned', file: 'kubernetes/app.yaml' });
    expect(out.findings[0].decisionId).toBe(out.decisionIds[0]);
  });

  it('logs warnings without failing, and fails on them with failOn: warning', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce' }) });
    const passing = setup();
    await passing.run();
    expect(logged(passing.logger.warn)).toContain(
      '[warning] system-set (paved.catalog/violations) in catalog-info.yaml, Component default/orders: spec.system is not set Remediation: Set spec.system.',
    );
    expect(outputs(passing.ctx).counts).toEqual({ error: 0, warning: 1, info: 0 });

    const strict = setup({ input: { failOn: 'warning' } });
    await expect(strict.run()).rejects.toThrow(/1 violation at level warning or above[\s\S]*system-set/);
  });

  it('fails when the entry point answers undefined, never treating no answer as compliant', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    opa.setDecision(CATALOG, () => SIMULATED_UNDEFINED_RESULT);
    const { run } = setup();
    const error = await run().catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain('the generated files were not checked');
    expect(error.message).toContain('OPA has no result at paved/catalog/violations (undefined');
    expect(error.message).toContain('policy.scaffolder.onEngineUnavailable: warn');
  });

  it('with onEngineUnavailable: warn, logs that nothing was checked and goes on', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }),
      'k8s/app.yaml': deployment('orders', 'registry/orders:latest'),
    });
    opa.setDecision(CATALOG, () => SIMULATED_UNDEFINED_RESULT);
    const { run, ctx, logger } = setup({ scaffolder: { onEngineUnavailable: 'warn' } });
    // The workload rules still answered, and their error still fails the step.
    await expect(run()).rejects.toThrow(/image-pinned/);
    expect(logged(logger.warn)).toContain(
      'Policy check NOT done: the generated files were NOT checked against Paved policies (no policy decision). ' +
        'The template continues unchecked because policy.scaffolder.onEngineUnavailable is warn. ' +
        'Reason: OPA has no result at paved/catalog/violations',
    );
    expect(outputs(ctx).engineAvailable).toBe(false);

    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const warnOnly = setup({ scaffolder: { onEngineUnavailable: 'warn' } });
    await expect(warnOnly.run()).resolves.toBeUndefined();
    expect(outputs(warnOnly.ctx)).toMatchObject({ engineAvailable: false, findings: [] });
  });

  it('fails with a clear message when OPA is down (refused connection)', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const { run } = setup({ opa: { baseUrl: await refusedUrl(), timeoutMs: 1000, retries: 0 } });
    await expect(run()).rejects.toThrow(/could not get a policy decision[\s\S]*not reachable: ECONNREFUSED/);
  });

  it('fails when OPA answers too slowly (timeout)', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    opa.setDelay(2000);
    const { run } = setup({ opa: { baseUrl: opa.url, token: TOKEN, timeoutMs: 100, retries: 0 } });
    const started = Date.now();
    await expect(run()).rejects.toThrow(/could not get a policy decision[\s\S]*timed out after 100 ms/);
    // Failed at the timeout, not after OPA's slow answer.
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('fails on an OPA error body, a wrong token and a malformed result', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    opa.setError(CATALOG, { status: 500, code: 'internal_error', message: 'eval_conflict_error: functions must not produce multiple outputs' });
    await expect(setup().run()).rejects.toThrow(/answered 500 internal_error: eval_conflict_error/);

    opa.setDecision(CATALOG, () => []);
    await expect(setup({ opa: { baseUrl: opa.url, token: 'wrong', retries: 0 } }).run()).rejects.toThrow(
      /answered 401 unauthorized/,
    );

    opa.setDecision(CATALOG, () => [{ id: 'x', level: 'fatal', message: 'm' }]);
    await expect(setup().run()).rejects.toThrow(/malformed violation: violation x has level "fatal"/);
    opa.setDecision(CATALOG, () => true);
    await expect(setup().run()).rejects.toThrow(/answered paved\/catalog\/violations with true, not a list/);
  });

  it('fails when no policy engine is configured, saying how to configure one', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const config = new ConfigReader({});
    const action = createPolicyCheckAction({ config });
    const ctx = createMockActionContext({ input: {}, workspacePath: workspace.path });
    await expect(action.handler(ctx as any)).rejects.toThrow(NO_POLICY_ENGINE_MESSAGE);
    expect(opa.calls.total).toBe(0);
  });

  it('with no policy engine and onEngineUnavailable: warn, says plainly that nothing was checked and never logs a pass', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const config = new ConfigReader({ policy: { scaffolder: { onEngineUnavailable: 'warn' } } });
    const action = createPolicyCheckAction({ config });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({ input: {}, workspacePath: workspace.path, logger });
    await expect(action.handler(ctx as any)).resolves.toBeUndefined();
    expect(logged(logger.warn)).toContain(
      `Policy check NOT done: the generated files were NOT checked against Paved policies (no policy decision). ` +
        `The template continues unchecked because policy.scaffolder.onEngineUnavailable is warn. Reason: ${NO_POLICY_ENGINE_MESSAGE}`,
    );
    expect(logged(logger.info)).not.toContain('Policy check passed');
    expect(outputs(ctx)).toMatchObject({ engineAvailable: false, findings: [], decisionIds: [] });
    expect(opa.calls.total).toBe(0);
  });

  it('resolves owner and system to null without a catalog service', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const config = new ConfigReader({ policy: { opa: { baseUrl: opa.url, token: TOKEN, retries: 0 } } });
    const action = createPolicyCheckAction({ config });
    const ctx = createMockActionContext({ input: {}, workspacePath: workspace.path });
    await expect(action.handler(ctx as any)).rejects.toThrow(/owner-resolvable/);
    expect(inputs[CATALOG][0]).toMatchObject({ owner: null, system: null });
  });

  it('fails when the catalog cannot be asked, instead of reporting the owner as unknown', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const config = new ConfigReader({ policy: { opa: { baseUrl: opa.url, token: TOKEN, retries: 0 } } });
    const catalog = catalogServiceMock.mock({ getEntitiesByRefs: jest.fn().mockRejectedValue(new Error('catalog timed out')) });
    const action = createPolicyCheckAction({ config, catalog });
    const ctx = createMockActionContext({ input: {}, workspacePath: workspace.path });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'policy:check could not look up group:default/team-commerce and system:default/shop of Component default/orders in the catalog: catalog timed out',
    );
    expect(opa.dataCalls).toBe(0);
  });

  it('checks the named files only, every document of a multi-document file, and passes the environment', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({ owner: 'team-nobody' }),
      'manifests/all.yaml': [deployment('a', 'r/a:1'), deployment('b', 'r/b:latest'), ''].join('---\n'),
      'manifests/values.yaml': 'replicaCount: 2\n',
    });
    const { run, ctx, logger } = setup({ input: { files: ['manifests/*.yaml'], environment: 'production' } });
    await expect(run()).rejects.toThrow(/1 violation[\s\S]*manifests\/all.yaml, Deployment shop\/b/);
    expect(inputs[CATALOG]).toHaveLength(0);
    expect(inputs[WORKLOAD][0]).toMatchObject({ entity: null, environment: 'production' });
    expect(inputs[WORKLOAD][0].manifests.map((m: any) => m.metadata.name)).toEqual(['a', 'b']);
    expect(logged(logger.info)).toContain('Skipped manifests/values.yaml: neither a catalog entity nor a Kubernetes object');
    expect(outputs(ctx).decisionIds).toHaveLength(1);
  });

  it('fails when nothing matches, and on files that are not valid YAML', async () => {
    workspace.setContent({ 'src/index.ts': 'export {};' });
    await expect(setup().run()).rejects.toThrow(/found nothing to check/);
    workspace.setContent({ 'catalog-info.yaml': 'kind: Component\n  bad: [indent' });
    await expect(setup().run()).rejects.toThrow(/catalog-info.yaml is not valid YAML/);
    expect(opa.dataCalls).toBe(0);
  });

  it.each([
    ['../outside.yaml', /leaves the workspace/],
    ['k8s/../../outside.yaml', /leaves the workspace/],
    ['{..,k8s}/*.yaml', /leaves the workspace/],
    ['/etc/passwd', /is absolute/],
    ['~/.kube/config', /is absolute/],
  ])('rejects the path-traversing pattern %s', async (pattern, message) => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const error = await setup({ input: { files: [pattern] } })
      .run()
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(message);
    expect(opa.dataCalls).toBe(0);
  });

  it('rejects a symbolic link that points outside the workspace', async () => {
    outside.setContent({ 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n' });
    workspace.setContent({ 'k8s/secret.yaml': ({ symlink }) => symlink(outside.resolve('secret.yaml')) });
    await expect(setup().run()).rejects.toThrow(/k8s\/secret.yaml resolves to a path outside the workspace/);
    expect(opa.dataCalls).toBe(0);
  });

  it('rejects an entry point that is not a Data API path', async () => {
    workspace.setContent({ 'catalog-info.yaml': catalogInfo({ owner: 'team-commerce', system: 'shop' }) });
    const config = new ConfigReader({ policy: { opa: { baseUrl: opa.url }, catalog: { entrypoint: '../v1/policies' } } });
    const action = createPolicyCheckAction({ config });
    await expect(action.handler(createMockActionContext({ input: {}, workspacePath: workspace.path }) as any)).rejects.toThrow(
      /"..\/v1\/policies" is not an OPA Data API path/,
    );
  });

  it('refuses an unknown onEngineUnavailable at start-up', () => {
    expect(() =>
      createPolicyCheckAction({ config: new ConfigReader({ policy: { scaffolder: { onEngineUnavailable: 'ignore' } } }) }),
    ).toThrow('policy.scaffolder.onEngineUnavailable must be "fail" or "warn", got "ignore"');
  });
});
