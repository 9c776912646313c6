import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { create as createTar } from 'tar';

/** Options of {@link PolicyBundleServer}. @public */
export interface PolicyBundleServerOptions {
  /** Folders whose `.rego` and `.json` files (without `*_test.rego`) make up the bundle. */
  dirs: string[];
  /**
   * The bundle revision, from a digest of the files (so every edit is a new
   * revision). Default: the digest itself.
   */
  revision?: (digest: string) => string;
}

/** A packed bundle: the files' digest, its revision and the .tar.gz. */
interface PackedBundle {
  digest: string;
  revision: string;
  archive: Buffer;
}

/** Path of the bundle on the server (OPA's `bundles.<name>.resource`). @public */
export const POLICY_BUNDLE_RESOURCE = '/bundles/paved.tar.gz';

/**
 * Serves folders of Rego as an OPA bundle over HTTP on 127.0.0.1, the way a
 * bundle service does: `GET /bundles/paved.tar.gz` with an ETag, `304` while
 * nothing changed. The bundle is packed from the files on each changed
 * request and NOT compiled here: OPA compiles it on activation, so a broken
 * file reaches OPA and OPA reports it (file, row, column) through its status
 * API, as it would for a broken bundle from CI.
 * @public
 */
export class PolicyBundleServer {
  private readonly options: PolicyBundleServerOptions;
  private readonly server: Server;
  private readonly workDir = mkdtempSync(join(tmpdir(), 'paved-bundle-'));
  private baseUrl?: string;
  private current?: PackedBundle;
  /** The bundle being packed, so concurrent askers share one staging folder. */
  private packing?: { digest: string; done: Promise<PackedBundle> };
  /** Bundle requests answered (200 or 304). */
  requests = 0;

  constructor(options: PolicyBundleServerOptions) {
    this.options = options;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
  }

  async start(options: { port?: number } = {}): Promise<string> {
    await new Promise<void>(resolve =>
      this.server.listen(options.port ?? 0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('PolicyBundleServer not started');
    return this.baseUrl;
  }

  /** The revision of the files as they are now. */
  async revision(): Promise<string> {
    return (await this.bundle()).revision;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    if (
      req.method !== 'GET' ||
      new URL(req.url ?? '/', 'http://bundle').pathname !==
        POLICY_BUNDLE_RESOURCE
    ) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    this.requests += 1;
    const bundle = await this.bundle();
    const etag = `"${bundle.digest}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', etag });
    res.end(bundle.archive);
  }

  private async bundle(): Promise<PackedBundle> {
    const files = this.files();
    const hash = createHash('sha256');
    for (const f of files)
      hash.update(`${f.path}\0`).update(f.content).update('\0');
    const digest = hash.digest('hex');
    if (this.current?.digest === digest) return this.current;
    // OPA's poll and a test asking for the revision arrive together: packing
    // the same digest twice at once would have one remove the staging
    // folder the other is archiving.
    if (this.packing?.digest === digest) return this.packing.done;
    const done = this.pack(files, digest);
    this.packing = { digest, done };
    try {
      this.current = await done;
      return this.current;
    } finally {
      if (this.packing?.done === done) this.packing = undefined;
    }
  }

  private async pack(
    files: Array<{ path: string; content: Buffer }>,
    digest: string,
  ): Promise<PackedBundle> {
    const revision = this.options.revision
      ? this.options.revision(digest)
      : digest;
    const staging = join(this.workDir, digest);
    rmSync(staging, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(staging, f.path)), { recursive: true });
      writeFileSync(join(staging, f.path), f.content);
    }
    writeFileSync(join(staging, '.manifest'), JSON.stringify({ revision }));
    const archive = join(this.workDir, `${digest}.tar.gz`);
    await createTar(
      { gzip: true, file: archive, cwd: staging, portable: true },
      ['.manifest', ...files.map(f => f.path)],
    );
    const packed = { digest, revision, archive: readFileSync(archive) };
    rmSync(staging, { recursive: true, force: true });
    return packed;
  }

  /** Every `.rego`/`.json` file of the folders but tests, with its path in the bundle. */
  private files(): Array<{ path: string; content: Buffer }> {
    const result: Array<{ path: string; content: Buffer }> = [];
    for (const dir of this.options.dirs) {
      const prefix =
        this.options.dirs.length > 1
          ? `${dir.split('/').filter(Boolean).pop()}/`
          : '';
      const walk = (current: string) => {
        for (const name of readdirSync(current).sort()) {
          const full = join(current, name);
          if (statSync(full).isDirectory()) walk(full);
          else if (
            (name.endsWith('.rego') && !name.endsWith('_test.rego')) ||
            name.endsWith('.json')
          ) {
            result.push({
              path: `${prefix}${relative(dir, full)}`,
              content: readFileSync(full),
            });
          }
        }
      };
      walk(dir);
    }
    return result;
  }
}
