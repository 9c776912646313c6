import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesSimulator } from './KubernetesSimulator';
import { workloadObjects } from './fleet';
import { kubeconfigYaml } from './kubeconfig';
import { startSimulator, TOKEN } from './__testUtils__/kube';
import { waitFor, scaledMs } from '@paved/test-timing';
import { findKubectl, runKubectl, startKubectl } from './__testUtils__/kubectl';

// The real kubectl (built from k8s.io/kubernetes at KUBE_VERSION) against a
// TLS simulator, through a kubeconfig with its CA: no --insecure-skip-tls-verify.
jest.setTimeout(scaledMs(180_000));

describe('kubectl against the simulator', () => {
  let sim: KubernetesSimulator;
  let dir: string;
  let kubectl: string;
  let env: Record<string, string>;
  const run = (...args: string[]) =>
    runKubectl(kubectl, ['--request-timeout=60s', ...args], env);

  beforeAll(async () => {
    kubectl = findKubectl();
    sim = await startSimulator({ name: 'kubectl-sim' });
    sim.apply(
      workloadObjects({
        name: 'web',
        namespace: 'shop',
        replicas: 3,
        image: 'web:1',
      }),
    );
    sim.apply(
      workloadObjects({
        name: 'api',
        namespace: 'backend',
        replicas: 2,
        image: 'api:1',
      }),
    );
    dir = mkdtempSync(join(tmpdir(), 'paved-kubectl-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      kubeconfigYaml([
        { name: 'sim', server: sim.url, caData: sim.caData, token: TOKEN },
      ]),
    );
    // HOME: kubectl's discovery cache goes to the temp dir, not ~/.kube.
    env = { KUBECONFIG: kubeconfig, HOME: dir };
  });

  afterAll(async () => {
    await sim?.stop();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const podNames = (prefix: string) =>
    sim
      .list('v1', 'Pod')
      .map(p => p.metadata.name)
      .filter(n => n.startsWith(prefix));

  it('get pods -A: every pod, with the columns of the server-side table', async () => {
    const { code, stdout, stderr } = await run('get', 'pods', '-A');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    const rows = lines.slice(1).map(l => l.split(/\s+/));
    expect(rows.map(r => r[1]).sort()).toEqual(
      [...podNames('web-'), ...podNames('api-')].sort(),
    );
    expect(rows.every(r => r[2] === '1/1' && r[3] === 'Running')).toBe(true);
    expect(rows.filter(r => r[0] === 'shop')).toHaveLength(3);
  });

  it('get pods -l: a label selector', async () => {
    const { code, stdout } = await run(
      'get',
      'pods',
      '-A',
      '-l',
      'app.kubernetes.io/name=api',
      '-o',
      'name',
    );
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual(
      podNames('api-')
        .map(n => `pod/${n}`)
        .sort(),
    );
  });

  it('get pods --chunk-size=2: pages with continue tokens, nothing lost', async () => {
    sim.counters.reset();
    const { code, stdout, stderr } = await run(
      'get',
      'pods',
      '-A',
      '--chunk-size=2',
      '--no-headers',
      '-v=6',
    );
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(5);
    const requests = stderr
      .split('\n')
      .filter(l => l.includes('verb="GET"') && l.includes('/api/v1/pods?'));
    // 5 pods, 2 per page: three list calls, the last two with continue.
    expect(requests).toHaveLength(3);
    expect(requests.filter(l => l.includes('continue='))).toHaveLength(2);
    expect(sim.counters.byVerb.list).toBe(3);
  });

  it('get --raw /version: the simulated version', async () => {
    const { code, stdout } = await run('get', '--raw', '/version');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).gitVersion).toBe('v1.37.2+paved-simulator');
  });

  it('auth can-i: yes where allowed, no where a forbid rule denies', async () => {
    sim.forbid({ resource: 'pods', verbs: ['delete'], namespace: 'shop' });
    sim.forbid({ resource: 'configmaps' });
    try {
      const yes = await run('auth', 'can-i', 'list', 'pods', '-n', 'shop');
      expect({ code: yes.code, out: yes.stdout.trim() }).toEqual({
        code: 0,
        out: 'yes',
      });
      const noDelete = await run(
        'auth',
        'can-i',
        'delete',
        'pods',
        '-n',
        'shop',
      );
      expect({ code: noDelete.code, out: noDelete.stdout.trim() }).toEqual({
        code: 1,
        out: 'no',
      });
      const noConfigMaps = await run(
        'auth',
        'can-i',
        'get',
        'configmaps',
        '-A',
      );
      expect({
        code: noConfigMaps.code,
        out: noConfigMaps.stdout.trim(),
      }).toEqual({
        code: 1,
        out: 'no',
      });
    } finally {
      sim.allowAll();
    }
  });

  it('get pods -w: sees a pod added while it watches', async () => {
    const watch = startKubectl(
      kubectl,
      [
        '--request-timeout=120s',
        'get',
        'pods',
        '-n',
        'shop',
        '-w',
        '--no-headers',
      ],
      env,
    );
    try {
      // The initial list first: the three web pods.
      await waitFor(
        'the initial list',
        () => watch.output().trim().split('\n').length >= 3,
      );
      sim.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'late-pod', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'c:1' }] },
        status: { phase: 'Pending' },
      });
      await waitFor('the added pod in kubectl get -w', () =>
        /^late-pod\s+0\/1\s+Pending/m.test(watch.output()),
      );
      expect(watch.output()).toMatch(/^late-pod\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    } finally {
      watch.child.kill('SIGTERM');
      await watch.exited;
    }
  });

  it('writes: create -f, label, patch, delete (JSON requests)', async () => {
    const manifest = join(dir, 'cm.yaml');
    writeFileSync(
      manifest,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: "1"\n',
    );
    // kubectl validates against /openapi, which the simulator does not serve.
    expect((await run('create', '-f', manifest, '--validate=false')).code).toBe(
      0,
    );
    expect(
      (await run('label', 'configmap', 'settings', '-n', 'shop', 'tier=web'))
        .code,
    ).toBe(0);
    expect(
      (
        await run(
          'patch',
          'configmap',
          'settings',
          '-n',
          'shop',
          '-p',
          '{"data":{"b":"2"}}',
        )
      ).code,
    ).toBe(0);
    expect(sim.get('v1', 'ConfigMap', 'shop', 'settings')).toMatchObject({
      metadata: { labels: { tier: 'web' } },
      data: { a: '1', b: '2' },
    });
    const again = await run('create', '-f', manifest, '--validate=false');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'Error from server (AlreadyExists): error when creating',
    );
    expect(
      (await run('delete', 'configmap', 'settings', '-n', 'shop')).code,
    ).toBe(0);
    expect(sim.get('v1', 'ConfigMap', 'shop', 'settings')).toBeUndefined();
  });
});
