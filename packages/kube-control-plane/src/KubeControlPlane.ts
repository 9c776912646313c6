import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createCertificateAuthority,
  createClientCertificate,
  createServiceAccountKeys,
  createServingCertificate,
} from '@paved/kubernetes-simulator';
import { findControlPlaneBinaries } from './binaries';

/** A user of the static token file (`--token-auth-file`). */
export interface StaticTokenUser {
  /** User name, e.g. `alice`. */
  name: string;
  /** Groups, e.g. `['paved:viewers']`. `system:authenticated` is added by kube-apiserver. */
  groups?: string[];
  /** The bearer token; random when left out. */
  token?: string;
}

/** Options of {@link startKubeControlPlane}. */
export interface KubeControlPlaneOptions {
  /** kube-apiserver binary; default: PAVED_KUBE_APISERVER_BIN, PATH, the per-user cache. */
  apiserverBin?: string;
  /** etcd binary; default: PAVED_ETCD_BIN, PATH, the per-user cache. */
  etcdBin?: string;
  /**
   * Static token users besides the two built in: `admin` (group
   * `system:masters`) and `viewer` (group `paved:viewers`, which nothing is
   * bound to: every request but discovery is forbidden until a test binds a
   * role to it).
   */
  users?: StaticTokenUser[];
  /** How long to wait for etcd's /health and kube-apiserver's /readyz; default 120 s (a busy 2-core machine). */
  startTimeoutMs?: number;
  /**
   * kube-apiserver's own etcd compaction (`--etcd-compaction-interval`), in
   * seconds; default 300 (kube-apiserver's default); 0 turns it off.
   * {@link KubeControlPlane.compactEtcd} compacts on demand.
   */
  etcdCompactionIntervalSeconds?: number;
  /**
   * Resources served without kube-apiserver's watch cache
   * (`--watch-cache-sizes=<resource>#0`; built-in resources only, e.g.
   * `configmaps`, `deployments.apps`): their lists and watches go to etcd,
   * so a watch from a compacted resourceVersion gets 410 Gone at once.
   */
  watchCacheDisabledFor?: string[];
  /** More kube-apiserver flags (`--flag=value`), after Paved's (a repeated flag wins). */
  extraApiserverArgs?: string[];
  /** klog verbosity of kube-apiserver (`--v`); default 0. */
  verbosity?: number;
  /** Keep the temporary directory (certificates, etcd data, logs) after stop(); default false. */
  keepDir?: boolean;
}

/** Credentials for a client certificate signed by the control plane's CA. */
export interface ClientCredentials {
  /** Base64 of the PEM certificate (kubeconfig `client-certificate-data`). */
  certData: string;
  /** Base64 of the PEM PKCS#8 private key (kubeconfig `client-key-data`). */
  keyData: string;
}

/** A running kube-apiserver with its etcd. */
export interface KubeControlPlane {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** Base64 of the CA certificate PEM (kubeconfig `certificate-authority-data`). */
  caData: string;
  /** The CA certificate, PEM. */
  caPem: string;
  /** Bearer token of `admin` (group `system:masters`). */
  adminToken: string;
  /** Bearer token of `viewer` (group `paved:viewers`, nothing bound). */
  viewerToken: string;
  /** Every static token user, by name (admin, viewer and `options.users`). */
  users: Record<string, Required<StaticTokenUser>>;
  /** A kubeconfig (JSON) with one context per static user; current context `admin`. */
  kubeconfigPath: string;
  /** `http://127.0.0.1:<port>` of etcd (plain HTTP, loopback only). */
  etcdUrl: string;
  /** The temporary directory: pki/, etcd/, apiserver.log, etcd.log. */
  dir: string;
  /** The process ids, for measuring (`apiserver` changes when it is restarted). */
  readonly pids: { apiserver: number; etcd: number };
  /** Milliseconds from the call until /readyz answered ok (certificates, etcd and kube-apiserver). */
  startupMs: number;
  /** A client certificate for any user and groups, made now; no restart needed. */
  createClientCertificate(
    user: string,
    groups?: string[],
  ): Promise<ClientCredentials>;
  /**
   * Compacts etcd at its current revision, the way kube-apiserver's own
   * compactor does (records it in `compact_rev_key`, then compacts; through
   * etcd's JSON gateway), and returns that revision. Afterwards a watch from
   * an older resourceVersion of a resource in `watchCacheDisabledFor` gets
   * 410 Gone at once; for cached resources, kube-apiserver's watch cache
   * still serves watches from its in-memory history, and an exact list at an
   * older resourceVersion gets 410 once the cache has noticed (it polls every
   * 15 s).
   */
  compactEtcd(): Promise<number>;
  /**
   * Stops kube-apiserver (SIGTERM, as a control-plane restart does); etcd
   * keeps running with its data. Connections are refused on the port until
   * {@link KubeControlPlane.startApiserver}. Idempotent.
   */
  stopApiserver(): Promise<void>;
  /**
   * Starts kube-apiserver again with the same flags on the same port
   * (`url` does not change) and resolves once /readyz is ok. Its watch cache
   * starts empty: watches from a resourceVersion before the restart may get
   * 410 Gone. Idempotent.
   */
  startApiserver(): Promise<void>;
  /** {@link KubeControlPlane.stopApiserver}, then {@link KubeControlPlane.startApiserver}. */
  restartApiserver(): Promise<void>;
  /** Whether kube-apiserver is running (between stopApiserver and startApiserver it is not). */
  readonly apiserverRunning: boolean;
  /** Resident memory of both processes, in bytes (from /proc). */
  memory(): { apiserverRssBytes: number; etcdRssBytes: number };
  /** The last `lines` lines of each log. */
  logs(lines?: number): { apiserver: string; etcd: string };
  /** Stops kube-apiserver, then etcd, and removes the directory. */
  stop(): Promise<void>;
}

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * Admission: kube-apiserver's defaults, minus the two that wait for a
 * controller this control plane does not run. ServiceAccount rejects every
 * Pod until the `default` ServiceAccount of its namespace exists (made by
 * kube-controller-manager); StorageObjectInUseProtection adds finalizers to
 * PVCs and PVs that only kube-controller-manager removes.
 */
const DISABLED_ADMISSION = ['ServiceAccount', 'StorageObjectInUseProtection'];

function base64(text: string) {
  return Buffer.from(text).toString('base64');
}

function token() {
  return randomBytes(24).toString('hex');
}

/** `n` distinct free TCP ports on 127.0.0.1 (held together, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map(s => {
    const address = s.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(
    servers.map(s => new Promise<void>(resolve => s.close(() => resolve()))),
  );
  return ports;
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) {
    return '';
  }
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function rssBytes(pid: number | undefined): number {
  if (!pid) {
    return 0;
  }
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  log: string;
}

function startProcess(bin: string, args: string[], log: string): Started {
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>(resolve => {
    child.once('exit', code => resolve(code));
    child.once('error', () => resolve(-1));
  });
  return { child, exited, log };
}

class StartError extends Error {
  constructor(message: string, readonly portClash: boolean) {
    super(message);
  }
}

/** Resolves once `check` returns true; rejects when the process exits or time runs out. */
async function waitUntil(
  what: string,
  proc: Started,
  deadline: number,
  check: () => Promise<boolean>,
) {
  let exitCode: number | null | undefined;
  proc.exited.then(code => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) {
      throw new StartError(
        `${what} exited (code ${exitCode}) before it was ready:\n${tail(
          proc.log,
          30,
        )}`,
        tail(proc.log, 200).includes('address already in use'),
      );
    }
    if (await check().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new StartError(
        `${what} was not ready in time:\n${tail(proc.log, 30)}`,
        false,
      );
    }
    await sleep(100);
  }
}

function httpGetOk(url: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = http.get(url, { timeout: 2000 }, res => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

function httpsGetOk(url: string, ca: string, bearer: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = https.get(
      url,
      { ca, timeout: 5000, headers: { authorization: `Bearer ${bearer}` } },
      res => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

async function etcdPost(etcdUrl: string, path: string, body: unknown) {
  const res = await fetch(`${etcdUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as { header?: { revision?: string } };
}

async function stopProcess(proc: Started | undefined, graceMs = 10_000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode) {
    return;
  }
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/**
 * Starts etcd and kube-apiserver on free loopback ports, with a CA, a
 * serving certificate, a service-account key and static tokens of their
 * own, in a temporary directory; resolves once /readyz is ok. Call stop().
 */
export async function startKubeControlPlane(
  options: KubeControlPlaneOptions = {},
): Promise<KubeControlPlane> {
  const started = Date.now();
  const bins = findControlPlaneBinaries({
    apiserver: options.apiserverBin,
    etcd: options.etcdBin,
  });
  const dir = mkdtempSync(join(tmpdir(), 'paved-kube-control-plane-'));
  try {
    const pki = join(dir, 'pki');
    mkdirSync(pki, { mode: 0o700 });
    const ca = await createCertificateAuthority('paved-kube-control-plane-ca');
    const serving = await createServingCertificate(ca);
    const sa = await createServiceAccountKeys();
    const files = {
      ca: join(pki, 'ca.crt'),
      cert: join(pki, 'apiserver.crt'),
      key: join(pki, 'apiserver.key'),
      saKey: join(pki, 'sa.key'),
      saPub: join(pki, 'sa.pub'),
      tokens: join(pki, 'tokens.csv'),
    };
    writeFileSync(files.ca, ca.certPem);
    writeFileSync(files.cert, serving.certPem);
    writeFileSync(files.key, serving.keyPem, { mode: 0o600 });
    writeFileSync(files.saKey, sa.privateKeyPem, { mode: 0o600 });
    writeFileSync(files.saPub, sa.publicKeyPem);

    const users: Record<string, Required<StaticTokenUser>> = {};
    for (const u of [
      { name: 'admin', groups: ['system:masters'] },
      { name: 'viewer', groups: ['paved:viewers'] },
      ...(options.users ?? []),
    ]) {
      users[u.name] = {
        name: u.name,
        groups: u.groups ?? [],
        token: (u as StaticTokenUser).token ?? token(),
      };
    }
    // token,user,uid,"group1,group2"
    writeFileSync(
      files.tokens,
      Object.values(users)
        .map(
          u =>
            `${u.token},${u.name},${u.name}${
              u.groups.length ? `,"${u.groups.join(',')}"` : ''
            }\n`,
        )
        .join(''),
      { mode: 0o600 },
    );

    const deadline = started + (options.startTimeoutMs ?? 120_000);
    let etcd: Started | undefined;
    let apiserver: Started | undefined;
    let ports: number[] = [];
    const killAll = () => {
      apiserver?.child.kill('SIGKILL');
      etcd?.child.kill('SIGKILL');
    };
    process.once('exit', killAll);

    const apiserverArgs = (etcdUrl: string, securePort: number) => [
      `--etcd-servers=${etcdUrl}`,
      `--etcd-compaction-interval=${
        options.etcdCompactionIntervalSeconds ?? 300
      }s`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${files.cert}`,
      `--tls-private-key-file=${files.key}`,
      `--client-ca-file=${files.ca}`,
      `--token-auth-file=${files.tokens}`,
      '--authorization-mode=Node,RBAC',
      `--service-account-issuer=${ISSUER}`,
      `--api-audiences=${ISSUER}`,
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.saKey}`,
      // Allocation ranges only: nothing routes to them.
      '--service-cluster-ip-range=10.96.0.0/16',
      // The `kubernetes` Service's endpoints would be 127.0.0.1,
      // which Endpoints validation rejects: leave them out.
      '--endpoint-reconciler-type=none',
      `--disable-admission-plugins=${DISABLED_ADMISSION.join(',')}`,
      '--allow-privileged=true',
      '--profiling=false',
      `--v=${options.verbosity ?? 0}`,
      ...(options.watchCacheDisabledFor?.length
        ? [
            `--watch-cache-sizes=${options.watchCacheDisabledFor
              .map(r => `${r}#0`)
              .join(',')}`,
          ]
        : []),
      ...(options.extraApiserverArgs ?? []),
    ];
    /** Starts kube-apiserver and waits for /readyz (stops it again on failure). */
    const launchApiserver = async (
      etcdUrl: string,
      securePort: number,
      until: number,
    ): Promise<Started> => {
      const proc = startProcess(
        bins.apiserver,
        apiserverArgs(etcdUrl, securePort),
        join(dir, 'apiserver.log'),
      );
      try {
        await waitUntil('kube-apiserver', proc, until, () =>
          httpsGetOk(
            `https://127.0.0.1:${securePort}/readyz`,
            ca.certPem,
            users.admin.token,
          ),
        );
      } catch (error) {
        await stopProcess(proc, 2000);
        throw error;
      }
      return proc;
    };

    // A port taken between freePorts() and the bind: retry on new ports.
    for (let attempt = 1; ; attempt++) {
      ports = await freePorts(3);
      const [clientPort, peerPort, securePort] = ports;
      const etcdUrl = `http://127.0.0.1:${clientPort}`;
      const peerUrl = `http://127.0.0.1:${peerPort}`;
      try {
        rmSync(join(dir, 'etcd'), { recursive: true, force: true });
        etcd = startProcess(
          bins.etcd,
          [
            '--name=paved',
            `--data-dir=${join(dir, 'etcd')}`,
            `--listen-client-urls=${etcdUrl}`,
            `--advertise-client-urls=${etcdUrl}`,
            `--listen-peer-urls=${peerUrl}`,
            `--initial-advertise-peer-urls=${peerUrl}`,
            `--initial-cluster=paved=${peerUrl}`,
            '--initial-cluster-state=new',
            // Throwaway data: no fsync (much faster on a shared disk).
            '--unsafe-no-fsync',
            '--log-level=warn',
          ],
          join(dir, 'etcd.log'),
        );
        await waitUntil('etcd', etcd, deadline, () =>
          httpGetOk(`${etcdUrl}/health`),
        );

        apiserver = await launchApiserver(etcdUrl, securePort, deadline);
        break;
      } catch (error) {
        await stopProcess(apiserver, 2000);
        await stopProcess(etcd, 2000);
        apiserver = undefined;
        etcd = undefined;
        if (
          error instanceof StartError &&
          error.portClash &&
          attempt < 3 &&
          Date.now() < deadline
        ) {
          continue;
        }
        process.removeListener('exit', killAll);
        throw error;
      }
    }
    const [clientPort, , securePort] = ports;
    const url = `https://127.0.0.1:${securePort}`;
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const caData = base64(ca.certPem);

    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'paved',
              cluster: { server: url, 'certificate-authority-data': caData },
            },
          ],
          users: Object.values(users).map(u => ({
            name: u.name,
            user: { token: u.token },
          })),
          contexts: Object.values(users).map(u => ({
            name: u.name,
            context: { cluster: 'paved', user: u.name },
          })),
          'current-context': 'admin',
        },
        null,
        2,
      ),
      { mode: 0o600 },
    );

    const procs = { apiserver: apiserver!, etcd: etcd! };
    let stopped: Promise<void> | undefined;
    let running = true;
    // stopApiserver/startApiserver one at a time, in call order.
    let transition: Promise<void> = Promise.resolve();
    const serially = (step: () => Promise<void>) => {
      const next = transition.then(step);
      transition = next.catch(() => undefined);
      return next;
    };
    const stopApiserver = () =>
      serially(async () => {
        if (!running) {
          return;
        }
        running = false;
        await stopProcess(procs.apiserver);
      });
    const startApiserver = () =>
      serially(async () => {
        if (running || stopped) {
          return;
        }
        const until = Date.now() + (options.startTimeoutMs ?? 120_000);
        // The port was ours a moment ago; something else may have taken it
        // in between (another test's outgoing connection): retry briefly.
        for (let attempt = 1; ; attempt++) {
          try {
            procs.apiserver = await launchApiserver(etcdUrl, securePort, until);
            break;
          } catch (error) {
            if (
              error instanceof StartError &&
              error.portClash &&
              attempt < 20 &&
              Date.now() < until
            ) {
              await sleep(500);
              continue;
            }
            throw error;
          }
        }
        apiserver = procs.apiserver;
        running = true;
      });
    return {
      url,
      caData,
      caPem: ca.certPem,
      adminToken: users.admin.token,
      viewerToken: users.viewer.token,
      users,
      kubeconfigPath,
      etcdUrl,
      dir,
      get pids() {
        return {
          apiserver: procs.apiserver.child.pid!,
          etcd: procs.etcd.child.pid!,
        };
      },
      startupMs: Date.now() - started,
      async createClientCertificate(user, groups = []) {
        const pair = await createClientCertificate(ca, user, groups);
        return { certData: base64(pair.certPem), keyData: base64(pair.keyPem) };
      },
      async compactEtcd() {
        const key = base64('compact_rev_key');
        const range = await etcdPost(etcdUrl, '/v3/kv/range', { key });
        const revision = Number(range.header?.revision);
        // kube-apiserver watches this key to learn the compacted revision.
        await etcdPost(etcdUrl, '/v3/kv/put', {
          key,
          value: base64(String(revision)),
        });
        await etcdPost(etcdUrl, '/v3/kv/compaction', {
          revision: String(revision),
          physical: true,
        });
        return revision;
      },
      stopApiserver,
      startApiserver,
      async restartApiserver() {
        await stopApiserver();
        await startApiserver();
      },
      get apiserverRunning() {
        return running;
      },
      memory() {
        return {
          apiserverRssBytes: rssBytes(procs.apiserver.child.pid),
          etcdRssBytes: rssBytes(procs.etcd.child.pid),
        };
      },
      logs(lines = 50) {
        return {
          apiserver: tail(procs.apiserver.log, lines),
          etcd: tail(procs.etcd.log, lines),
        };
      },
      stop() {
        stopped ??= (async () => {
          await transition;
          running = false;
          await stopProcess(procs.apiserver);
          await stopProcess(procs.etcd);
          process.removeListener('exit', killAll);
          if (!options.keepDir) {
            rmSync(dir, { recursive: true, force: true });
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    if (!options.keepDir) {
      rmSync(dir, { recursive: true, force: true });
    }
    throw error;
  }
}
