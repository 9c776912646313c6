import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { stringify as stringifyYaml } from 'yaml';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { NO_POLICY_ENGINE_MESSAGE } from '@paved/plugin-policy-common';
import {
  LocalOpaServer,
  repositoryRoot,
  SimulatedOpaServer,
} from '@paved/plugin-policy-node/testUtils';
import { createPolicyCheckAction } from './policyCheck';

// Real OPA: the `opa` binary (PAVED_OPA_BIN; ./platform test builds it).

const TOKEN = 'scaffolder-test-token';
const CATALOG = 'paved/catalog/violations';
const WORKLOAD = 'paved/workload/violations';

// Test-only Rego, next to policies/ in the bundle: answers the shipped
// policies never give, from a real OPA.
const TEST_REGO = `package paved_test.scaffolder

import rego.v1

# A level the violation model does not know.
malformed_violations := [{"id": "x", "level": "fatal", "message": "m"}]

# Not a set of violations.
boolean_violations := true

# Two values for one complete rule: OPA answers 500 eval_conflict_error.
conflicting_violations := [] if input.entity.kind != ""

conflicting_violations := [{"id": "y", "level": "error", "message": "m"}] if input.entity.kind != ""
`;

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-commerce', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const shop: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'shop', namespace: 'default', description: 'The shop' },
  spec: { owner: 'team-commerce' },
};

// A service the catalog rules pass once owner and system are set and resolve.
const catalogInfo = (spec: Record<string, string>) =>
  stringifyYaml({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      description: 'Orders service',
      annotations: { 'backstage.io/kubernetes-id': 'orders' },
    },
    spec: { type: 'service', lifecycle: 'experimental', ...spec },
  });

// A Deployment the workload rules pass, but for its image.
const deployment = (name: string, image: string) =>
  stringifyYaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      replicas: 2,
      template: {
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001 },
          containers: [
            {
              name: 'app',
              image,
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '256Mi' },
              },
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
            },
          ],
        },
      },
    },
  });

const service = stringifyYaml({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders' },
});

async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

describe('policy:check against a real OPA serving policies/', () => {
  const testRegoDir = mkdtempSync(join(tmpdir(), 'paved-scaffolder-rego-'));
  writeFileSync(join(testRegoDir, 'scaffolder_faults.rego'), TEST_REGO);
  // Token mode: OPA runs with the cluster's authz policy, as deployed.
  const opa = new LocalOpaServer({
    token: TOKEN,
    revision: 'git-abc123',
    bundleDirs: [join(repositoryRoot(), 'policies'), testRegoDir],
  });
  const workspace = createMockDirectory();
  const outside = createMockDirectory();

  beforeAll(() => opa.start());
  afterAll(async () => {
    await opa.stop();
    rmSync(testRegoDir, { recursive: true, force: true });
  });
  beforeEach(() => opa.resetDecisions());

  /** The inputs OPA was asked, from its own decision log. */
  const inputs = async (path: string) =>
    (await opa.decisions(path)).map(d => d.input as any);

  function setup(
    options: {
      opa?: JsonObject;
      scaffolder?: JsonObject;
      catalog?: JsonObject;
      input?: JsonObject;
    } = {},
  ) {
    const config = new ConfigReader({
      policy: {
        opa: options.opa ?? { baseUrl: opa.url, token: TOKEN, retries: 0 },
        ...(options.scaffolder ? { scaffolder: options.scaffolder } : {}),
        ...(options.catalog ? { catalog: options.catalog } : {}),
      },
    });
    const action = createPolicyCheckAction({
      config,
      catalog: catalogServiceMock({ entities: [team, shop] }),
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: options.input ?? {},
      workspacePath: workspace.path,
      logger,
    });
    return { action, ctx, logger, run: () => action.handler(ctx as any) };
  }

  const outputs = (ctx: { output: jest.Mock | any }) =>
    Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [
        name,
        value,
      ]),
    );
  const logged = (fn: jest.MockInstance<void, any[]>) =>
    fn.mock.calls.map(call => String(call[0])).join('\n');

  it('passes compliant files: entity with resolved owner and system, manifests from all default folders, decision ids out', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
      'k8s/deployment.yaml': deployment('orders', 'registry/orders:1.2.3'),
      'deploy/worker.yml': [
        deployment('worker', 'registry/worker:2.0.0'),
        service,
      ].join('---\n'),
      'README.md': '# not checked',
    });
    const { run, ctx, logger } = setup();
    await expect(run()).resolves.toBeUndefined();

    const catalogInputs = await inputs(CATALOG);
    expect(catalogInputs).toHaveLength(1);
    expect(catalogInputs[0]).toEqual({
      entity: expect.objectContaining({
        kind: 'Component',
        metadata: expect.objectContaining({ name: 'orders' }),
      }),
      owner: expect.objectContaining({
        kind: 'Group',
        metadata: expect.objectContaining({ name: 'team-commerce' }),
      }),
      system: expect.objectContaining({
        kind: 'System',
        metadata: expect.objectContaining({ name: 'shop' }),
      }),
    });
    const workloadInputs = await inputs(WORKLOAD);
    expect(workloadInputs).toHaveLength(1);
    expect(workloadInputs[0].entity.metadata.name).toBe('orders');
    expect(
      workloadInputs[0].manifests.map(
        (m: any) => `${m.kind}/${m.metadata.name}`,
      ),
    ).toEqual(['Deployment/worker', 'Service/orders', 'Deployment/orders']);
    const out = outputs(ctx);
    expect(out.findings).toEqual([]);
    expect(out.counts).toEqual({ error: 0, warning: 0, info: 0 });
    // OPA's own decision ids, as its decision log records them.
    expect(out.decisionIds).toEqual(
      (await opa.decisions()).map(d => d.decisionId),
    );
    expect(out.decisionIds).toHaveLength(2);
    expect(out.engineAvailable).toBe(true);
    expect(out.summary).toBe('Policy-checked: 0 errors, 0 warnings, 0 info');
    expect(logged(logger.info)).toContain(
      'Policy check passed: 0 errors, 0 warnings, 0 info',
    );
    expect(logged(logger.info)).toContain(
      `(decisions ${out.decisionIds.join(', ')})`,
    );
  });

  it('says why there are no decision ids when OPA logs no decisions', async () => {
    // OPA returns decision_id only when its decision log is on (the demo's OPA has it off).
    const quiet = new LocalOpaServer({ decisionLogs: false });
    await quiet.start();
    try {
      workspace.setContent({
        'catalog-info.yaml': catalogInfo({
          owner: 'team-commerce',
          system: 'shop',
        }),
      });
      const { run, ctx, logger } = setup({
        opa: { baseUrl: quiet.url, retries: 0 },
      });
      await run();
      expect(outputs(ctx).decisionIds).toEqual([]);
      expect(logged(logger.info)).toContain(
        'Policy check passed: 0 errors, 0 warnings, 0 info (OPA logs no decisions, so it gave no decision ids)',
      );
    } finally {
      await quiet.stop();
    }
  });

  it('fails on error-level violations with a readable list: rule id, message, remediation, docs, file', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-nobody',
        system: 'shop',
      }),
      'kubernetes/app.yaml': deployment('orders', 'registry/orders:latest'),
    });
    const { run, ctx } = setup();
    const error = await run().catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^policy:check found \d+ violations at level error or above/,
    );
    expect(error.message).toContain(
      '1. [error] owner-resolvable (paved.catalog/violations) in catalog-info.yaml, Component default/orders: ' +
        'spec.owner team-nobody does not match any entity in the catalog\n' +
        '   Remediation: Fix the reference in spec.owner, or register the Group (for example in org.yaml).\n' +
        '   Docs: https://backstage.io/docs/features/software-catalog/references',
    );
    expect(error.message).toContain(
      '[error] image-pinned (paved.workload/violations) in kubernetes/app.yaml, Deployment shop/orders: ' +
        'container app uses image registry/orders:latest, which is untagged or tagged latest\n' +
        '   Remediation: Use an immutable tag such as the release version or commit SHA, or pin the digest (image@sha256:...).\n' +
        '   Docs: https://kubernetes.io/docs/concepts/containers/images/#image-names',
    );
    const out = outputs(ctx);
    expect(out.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: 'catalog',
          policy: 'paved.catalog/violations',
          id: 'owner-resolvable',
          level: 'error',
        }),
        expect.objectContaining({
          source: 'workload',
          policy: 'paved.workload/violations',
          id: 'image-pinned',
          level: 'error',
          file: 'kubernetes/app.yaml',
          subject: 'Deployment shop/orders',
          docsUrl:
            'https://kubernetes.io/docs/concepts/containers/images/#image-names',
        }),
      ]),
    );
    const [catalogDecision] = await opa.decisions(CATALOG);
    expect(
      out.findings.find((f: any) => f.id === 'owner-resolvable').decisionId,
    ).toBe(catalogDecision.decisionId);
  });

  it('logs warnings without failing, and fails on them with failOn: warning', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({ owner: 'team-commerce' }),
    });
    const passing = setup();
    await passing.run();
    expect(logged(passing.logger.warn)).toContain(
      '[warning] system-set (paved.catalog/violations) in catalog-info.yaml, Component default/orders: spec.system is not set ' +
        'Remediation: Set spec.system to the System this entity is part of, for example system:default/checkout.',
    );
    expect(outputs(passing.ctx).counts).toMatchObject({ error: 0 });
    expect(outputs(passing.ctx).findings).toEqual([
      expect.objectContaining({
        id: 'system-set',
        level: 'warning',
        docsUrl:
          'https://backstage.io/docs/features/software-catalog/system-model',
      }),
    ]);

    const strict = setup({ input: { failOn: 'warning' } });
    await expect(strict.run()).rejects.toThrow(
      /violation at level warning or above[\s\S]*system-set/,
    );
  });

  it('fails when the entry point is undefined (no such package in the bundle), never treating no answer as compliant', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const { run } = setup({
      catalog: { entrypoint: 'paved/retired/violations' },
    });
    const error = await run().catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain('the generated files were not checked');
    expect(error.message).toContain(
      'OPA has no result at paved/retired/violations (undefined',
    );
    expect(error.message).toContain(
      'policy.scaffolder.onEngineUnavailable: warn',
    );
  });

  it('with onEngineUnavailable: warn, logs that nothing was checked and goes on', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
      'k8s/app.yaml': deployment('orders', 'registry/orders:latest'),
    });
    const { run, ctx, logger } = setup({
      scaffolder: { onEngineUnavailable: 'warn' },
      input: { catalogEntrypoint: 'paved/retired/violations' },
    });
    // The workload rules still answered, and their error still fails the step.
    await expect(run()).rejects.toThrow(/image-pinned/);
    expect(logged(logger.warn)).toContain(
      'Policy check NOT done: the generated files were NOT checked against Paved policies (no policy decision). ' +
        'The template continues unchecked because policy.scaffolder.onEngineUnavailable is warn. ' +
        'Reason: OPA has no result at paved/retired/violations',
    );
    expect(outputs(ctx).engineAvailable).toBe(false);

    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const warnOnly = setup({
      scaffolder: { onEngineUnavailable: 'warn' },
      input: { catalogEntrypoint: 'paved/retired/violations' },
    });
    await expect(warnOnly.run()).resolves.toBeUndefined();
    expect(outputs(warnOnly.ctx)).toMatchObject({
      engineAvailable: false,
      findings: [],
      summary:
        'NOT policy-checked: the generated files were not checked against Paved policies (no policy decision: OPA has no result at paved/retired/violations (undefined: the policy is not loaded or the entry point is misspelt))',
    });
    expect(logged(warnOnly.logger.info)).not.toContain('Policy check passed');
  });

  it('fails with a clear message when OPA is down (refused connection)', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const { run } = setup({
      opa: { baseUrl: await refusedUrl(), timeoutMs: 1000, retries: 0 },
    });
    await expect(run()).rejects.toThrow(
      /could not get a policy decision[\s\S]*not reachable: ECONNREFUSED/,
    );
  });

  it('fails on an OPA evaluation error (eval_conflict_error), a wrong token and malformed results', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const entrypoint = (rule: string) => ({
      input: { catalogEntrypoint: `paved_test/scaffolder/${rule}` },
    });
    await expect(
      setup(entrypoint('conflicting_violations')).run(),
    ).rejects.toThrow(
      /could not get a policy decision[\s\S]*conflicting_violations\?provenance=true answered 500 internal_error: error\(s\) occurred while evaluating query/,
    );

    await expect(
      setup({ opa: { baseUrl: opa.url, token: 'wrong', retries: 0 } }).run(),
    ).rejects.toThrow(
      /could not get a policy decision[\s\S]*answered 401 unauthorized/,
    );

    await expect(
      setup(entrypoint('malformed_violations')).run(),
    ).rejects.toThrow(
      /paved_test\/scaffolder\/malformed_violations returned a malformed violation: violation x has level "fatal"/,
    );
    await expect(setup(entrypoint('boolean_violations')).run()).rejects.toThrow(
      /paved_test\/scaffolder\/boolean_violations returned true, expected a set of violation objects/,
    );
  });

  it('fails when no policy engine is configured, saying how to configure one', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const config = new ConfigReader({});
    const action = createPolicyCheckAction({ config });
    const ctx = createMockActionContext({
      input: {},
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      NO_POLICY_ENGINE_MESSAGE,
    );
    expect(await opa.decisions()).toEqual([]);
  });

  it('with no policy engine and onEngineUnavailable: warn, says plainly that nothing was checked and never logs a pass', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const config = new ConfigReader({
      policy: { scaffolder: { onEngineUnavailable: 'warn' } },
    });
    const action = createPolicyCheckAction({ config });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: {},
      workspacePath: workspace.path,
      logger,
    });
    await expect(action.handler(ctx as any)).resolves.toBeUndefined();
    expect(logged(logger.warn)).toContain(
      `Policy check NOT done: the generated files were NOT checked against Paved policies (no policy decision). ` +
        `The template continues unchecked because policy.scaffolder.onEngineUnavailable is warn. Reason: ${NO_POLICY_ENGINE_MESSAGE}`,
    );
    expect(logged(logger.info)).not.toContain('Policy check passed');
    expect(outputs(ctx)).toMatchObject({
      engineAvailable: false,
      findings: [],
      decisionIds: [],
    });
    expect(await opa.decisions()).toEqual([]);
  });

  it('resolves owner and system to null without a catalog service', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const config = new ConfigReader({
      policy: { opa: { baseUrl: opa.url, token: TOKEN, retries: 0 } },
    });
    const action = createPolicyCheckAction({ config });
    const ctx = createMockActionContext({
      input: {},
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /owner-resolvable[\s\S]*spec.owner team-commerce does not match any entity in the catalog/,
    );
    expect((await inputs(CATALOG))[0]).toMatchObject({
      owner: null,
      system: null,
    });
  });

  it('fails when the catalog cannot be asked, instead of reporting the owner as unknown', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const config = new ConfigReader({
      policy: { opa: { baseUrl: opa.url, token: TOKEN, retries: 0 } },
    });
    const catalog = catalogServiceMock.mock({
      getEntitiesByRefs: jest
        .fn()
        .mockRejectedValue(new Error('catalog timed out')),
    });
    const action = createPolicyCheckAction({ config, catalog });
    const ctx = createMockActionContext({
      input: {},
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'policy:check could not look up group:default/team-commerce and system:default/shop of Component default/orders in the catalog: catalog timed out',
    );
    expect(await opa.decisions()).toEqual([]);
  });

  it('checks the named files only, every document of a multi-document file, and passes the environment', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({ owner: 'team-nobody' }),
      'manifests/all.yaml': [
        deployment('a', 'r/a:1'),
        deployment('b', 'r/b:latest'),
        '',
      ].join('---\n'),
      'manifests/values.yaml': 'replicaCount: 2\n',
    });
    const { run, ctx, logger } = setup({
      input: { files: ['manifests/*.yaml'], environment: 'production' },
    });
    const error = await run().catch(e => e);
    expect(error.message).toMatch(
      /\[error\] image-pinned \(paved.workload\/violations\) in manifests\/all.yaml, Deployment shop\/b: container app uses image r\/b:latest/,
    );
    expect(error.message).not.toContain('Deployment shop/a');
    expect(await inputs(CATALOG)).toHaveLength(0);
    const [workload] = await inputs(WORKLOAD);
    expect(workload).toMatchObject({ entity: null, environment: 'production' });
    expect(workload.manifests.map((m: any) => m.metadata.name)).toEqual([
      'a',
      'b',
    ]);
    expect(logged(logger.info)).toContain(
      'Skipped manifests/values.yaml: neither a catalog entity nor a Kubernetes object',
    );
    expect(outputs(ctx).decisionIds).toHaveLength(1);
  });

  it('fails when nothing matches, and on files that are not valid YAML', async () => {
    workspace.setContent({ 'src/index.ts': 'export {};' });
    await expect(setup().run()).rejects.toThrow(/found nothing to check/);
    workspace.setContent({
      'catalog-info.yaml': 'kind: Component\n  bad: [indent',
    });
    await expect(setup().run()).rejects.toThrow(
      /catalog-info.yaml is not valid YAML/,
    );
    expect(await opa.decisions()).toEqual([]);
  });

  it.each([
    ['../outside.yaml', /leaves the workspace/],
    ['k8s/../../outside.yaml', /leaves the workspace/],
    ['{..,k8s}/*.yaml', /leaves the workspace/],
    ['/etc/passwd', /is absolute/],
    ['~/.kube/config', /is absolute/],
  ])('rejects the path-traversing pattern %s', async (pattern, message) => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const error = await setup({ input: { files: [pattern] } })
      .run()
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(message);
    expect(await opa.decisions()).toEqual([]);
  });

  it('rejects a symbolic link that points outside the workspace', async () => {
    outside.setContent({
      'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
    });
    workspace.setContent({
      'k8s/secret.yaml': ({ symlink }) =>
        symlink(outside.resolve('secret.yaml')),
    });
    await expect(setup().run()).rejects.toThrow(
      /k8s\/secret.yaml resolves to a path outside the workspace/,
    );
    expect(await opa.decisions()).toEqual([]);
  });

  it('rejects an entry point that is not a Data API path', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    const config = new ConfigReader({
      policy: {
        opa: { baseUrl: opa.url },
        catalog: { entrypoint: '../v1/policies' },
      },
    });
    const action = createPolicyCheckAction({ config });
    await expect(
      action.handler(
        createMockActionContext({
          input: {},
          workspacePath: workspace.path,
        }) as any,
      ),
    ).rejects.toThrow(/"..\/v1\/policies" is not an OPA Data API path/);
  });

  it('refuses an unknown onEngineUnavailable at start-up', () => {
    expect(() =>
      createPolicyCheckAction({
        config: new ConfigReader({
          policy: { scaffolder: { onEngineUnavailable: 'ignore' } },
        }),
      }),
    ).toThrow(
      'policy.scaffolder.onEngineUnavailable must be "fail" or "warn", got "ignore"',
    );
  });
});

// A real OPA cannot be made to answer slowly on demand: the SIMULATED OPA
// server delays its answers. Nothing it would answer is asserted.
describe('policy:check against a SIMULATED OPA answering slowly', () => {
  const simulated = new SimulatedOpaServer();
  const workspace = createMockDirectory();

  beforeAll(() => simulated.start());
  afterAll(() => simulated.stop());

  it('fails when OPA answers too slowly (timeout), at the timeout', async () => {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo({
        owner: 'team-commerce',
        system: 'shop',
      }),
    });
    simulated.setDecision(CATALOG, () => []);
    simulated.setDelay(4000);
    const config = new ConfigReader({
      policy: { opa: { baseUrl: simulated.url, timeoutMs: 100, retries: 0 } },
    });
    const action = createPolicyCheckAction({
      config,
      catalog: catalogServiceMock({ entities: [team, shop] }),
    });
    const ctx = createMockActionContext({
      input: {},
      workspacePath: workspace.path,
    });
    const started = Date.now();
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /could not get a policy decision[\s\S]*timed out after 100 ms/,
    );
    // Failed at the timeout, not after the slow answer.
    expect(Date.now() - started).toBeLessThan(3500);
    // OPA was asked (the simulated server counts a request before its delay).
    expect(simulated.calls.total).toBe(1);
  });
});
